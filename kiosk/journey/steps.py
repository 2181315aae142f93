"""The steps of every journey. A step may do automatic work (read the card, match the face,
submit); the engine's runner calls `work` off the GUI thread and feeds the returned event back.
Steps with no work wait for the citizen. `handle` lets a step consume an event in place (the form
confirms one field at a time) before the transition table is consulted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from kiosk.domain.model import NotBuilt, Progress, ServiceError
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import Event, EventType
from kiosk.services.interfaces import Services

FACE_TRIES = 3
QR_TIMEOUT_S = 60.0
CARD_WAIT_S = 60.0
PAYMENT_WAIT_S = 300.0
PAYMENT_POLL_S = 1.0


class StepId(StrEnum):
    WELCOME = "welcome"
    CONSENT = "consent"
    QR_SCAN = "qr_scan"
    CARD_READ = "card_read"
    FACE_CHECK = "face_check"
    CHOOSE_PROCEDURE = "choose_procedure"
    FORM = "form"
    DOCUMENTS = "documents"
    REVIEW = "review"
    FEE = "fee"
    SUBMIT = "submit"
    RECEIPT = "receipt"
    DONE = "done"
    ACCOUNT_PHONE = "account_phone"
    ACCOUNT_OTP = "account_otp"
    ACCOUNT_VERIFY = "account_verify"
    ACCOUNT_DONE = "account_done"
    STATUS_LIST = "status_list"
    CARD_PAUSED = "card_paused"
    ERROR = "error"
    STAFF_HELP = "staff_help"
    GOODBYE = "goodbye"


Work = Callable[[JourneyContext, Services, Progress], Event]


def _scan_qr(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    ctx.qr_text = services.qr.scan_card_qr(QR_TIMEOUT_S, progress)
    return Event(EventType.QR_READ)


def _read_card(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    if not services.card.wait_for_card(CARD_WAIT_S):
        return Event(EventType.FAILED, {"code": "card_not_placed"})
    ctx.identity = services.card.read_identity(ctx.qr_text, progress)
    return Event(EventType.CARD_READ)


def _check_face(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    identity = ctx.identity
    if identity is None or not identity.photo_jpeg:
        return Event(EventType.FAILED, {"code": "no_chip_photo"})
    ctx.face_tries += 1
    ctx.face = services.face.verify(identity.photo_jpeg, progress)
    if ctx.face.match and ctx.face.live:
        return Event(EventType.FACE_VERIFIED)
    reason = ctx.face.reason or ("face_not_live" if not ctx.face.live else "face_no_match")
    if ctx.face_tries < FACE_TRIES:
        return Event(EventType.FACE_FAILED, {"reason": reason})
    return Event(EventType.FAILED, {"code": "face_tries_exhausted"})


def _load_procedures(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    ctx.procedures = services.dossiers.procedures()
    return Event(EventType.STATUS_FOUND)  # STAY: the list is shown


def _capture_documents(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.procedure is not None
    for document in ctx.procedure.document_names:
        ctx.draft.attachments.append(
            services.dossiers.capture_document(ctx.draft, document, progress)
        )
    return Event(EventType.DOCUMENTS_DONE)


def _request_fee(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.procedure is not None and ctx.result is not None
    if ctx.procedure.fee_vnd == 0:
        ctx.paid = True
        return Event(EventType.PAID)
    code = ctx.result.portal_code or ctx.result.kiosk_reference
    ctx.fee = services.payments.request(ctx.procedure, code)
    progress(0.0, "fee_ready")
    if ctx.result.portal_code is None:  # queued offline: the portal cannot confirm a payment yet
        return Event(EventType.FEE_SHOWN)
    deadline = time.monotonic() + PAYMENT_WAIT_S
    while time.monotonic() < deadline:
        if services.payments.is_paid(ctx.fee):
            ctx.paid = True
            return Event(EventType.PAID)
        time.sleep(PAYMENT_POLL_S)
    return Event(EventType.FAILED, {"code": "payment_timeout"})


def _submit(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.identity is not None
    ctx.result = services.dossiers.submit(ctx.draft, ctx.identity)
    return Event(EventType.SUBMITTED)


def _print_receipt(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.identity is not None and ctx.result is not None
    ctx.receipt_location = services.printer.print_receipt(ctx.draft, ctx.identity, ctx.result)
    return Event(EventType.PRINTED)


def _request_otp(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.identity is not None
    try:
        services.accounts.request_otp(ctx.identity, ctx.phone)
    except ServiceError as exc:
        if exc.code != "account_exists":
            raise
        # Not a failure for the citizen: they already have an account; say so and help them on.
        ctx.account_existed = True
        return Event(EventType.ACCOUNT_EXISTS)
    return Event(EventType.OTP_SENT)


def _verify_otp(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.identity is not None
    otp = str(ctx.extras.pop("otp", ""))
    ctx.account_username = services.accounts.verify_otp(ctx.identity, ctx.phone, otp)
    return Event(EventType.ACCOUNT_CREATED)


def _lookup_status(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.identity is not None
    ctx.statuses = services.status.lookup(ctx.identity)
    return Event(EventType.STATUS_FOUND)


WORK: dict[StepId, Work] = {
    StepId.QR_SCAN: _scan_qr,
    StepId.CARD_READ: _read_card,
    StepId.FACE_CHECK: _check_face,
    StepId.CHOOSE_PROCEDURE: _load_procedures,
    StepId.DOCUMENTS: _capture_documents,
    StepId.FEE: _request_fee,
    StepId.SUBMIT: _submit,
    StepId.RECEIPT: _print_receipt,
    StepId.ACCOUNT_OTP: _request_otp,
    StepId.ACCOUNT_VERIFY: _verify_otp,
    StepId.STATUS_LIST: _lookup_status,
}


def run_work(work: Work, ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    """Run a step's work and turn every failure into an event: the journey never crashes."""
    try:
        return work(ctx, services, progress)
    except NotBuilt as exc:
        return Event(EventType.UNAVAILABLE, {"feature": exc.feature, "code": exc.code})
    except ServiceError as exc:
        return Event(EventType.FAILED, {"code": exc.code})
    except Exception:  # a bug must not strand a citizen: log it, hand over to staff
        import logging

        logging.getLogger(__name__).exception("step work crashed")
        return Event(EventType.FAILED, {"code": "internal"})


# --- in-place handling ------------------------------------------------------------------------

STAY = "STAY"  # same marker as in table.py


def handle_in_place(state: StepId, ctx: JourneyContext, event: Event) -> str | None:
    """Events a step consumes without leaving it. Returns STAY, or None for the table."""
    if state is StepId.FORM and ctx.draft is not None:
        fields = ctx.draft.procedure.fields
        if event.type is EventType.CORRECTED:
            key = str(event.data.get("field", ""))
            if any(f.key == key for f in fields):
                ctx.draft.values[key] = str(event.data.get("value", ""))
            return STAY
        if event.type is EventType.CONFIRMED and ctx.field_index < len(fields) - 1:
            ctx.field_index += 1
            return STAY
        if event.type is EventType.BACK and ctx.field_index > 0:
            ctx.field_index -= 1
            return STAY
    if state is StepId.FACE_CHECK and event.type is EventType.FACE_FAILED:
        ctx.error_code = str(event.data.get("reason", "face_no_match"))
        return None  # the table re-enters the step for the next try
    return None
