"""The steps every journey starts with: consent, the card's QR, the chip, the face."""

from __future__ import annotations

import logging
from datetime import date, datetime

from kiosk import texts
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import Progress
from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.events import (
    Back,
    CardNotAuthentic,
    CardRead,
    Consented,
    Declined,
    Event,
    FaceFailed,
    FaceVerified,
    Failed,
    QrRead,
    Unavailable,
)
from kiosk.journey.steps.base import Handled, Marker, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import Row
from kiosk.services.interfaces import Services

FACE_TRIES = 3
QR_TIMEOUT_S = 60.0
CARD_WAIT_S = 60.0
EVERY_JOURNEY = frozenset(Journey)
log = logging.getLogger(__name__)


def _record_consent(ctx: JourneyContext, event: Event) -> None:
    if isinstance(event, Consented | Declined):
        ctx.consent = isinstance(event, Consented)


CONSENT = Step(
    id=StepId.CONSENT,
    screen="consent",
    transitions={Consented: StepId.QR_SCAN, Declined: StepId.GOODBYE, Back: StepId.WELCOME},
    leave=_record_consent,
    report_label="Đồng ý cho đọc thẻ",
    progress_in=EVERY_JOURNEY,
    answer=Consented(),
)


def _scan_qr(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    ctx.qr_text = services.qr.scan_card_qr(QR_TIMEOUT_S, progress)
    return QrRead()


QR_SCAN = Step(
    id=StepId.QR_SCAN,
    screen="qr",
    transitions={
        QrRead: StepId.CARD_READ,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.CONSENT,
    },
    work=_scan_qr,
    uses_device=True,
    report_label="Quét mã QR trên thẻ",
    progress_in=EVERY_JOURNEY,
)


def _read_card(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    if not services.card.wait_for_card(CARD_WAIT_S):
        return Failed("card_not_placed")
    ctx.identity = services.card.read_identity(ctx.qr_text, progress)
    if not_authentic(ctx.identity):
        log.warning(
            "card refused: %s (%s)", ctx.identity.authenticity, ctx.identity.authenticity_reason
        )
        return CardNotAuthentic()  # staff see the citizen; no dossier, account or lookup with it
    if card_expired(ctx.identity, vietnam_today()):
        return Failed("card_expired")  # renewed at the police; staff can still help
    return CardRead()


# Verdicts that refuse the card (docs/domain.md §1): its data were altered or signed by no one
# the kiosk trusts (or the kiosk trusts no one), or the chip failed active / chip authentication.
NOT_AUTHENTIC = frozenset(
    {"DATA_TAMPERED", "SIGNATURE_INVALID", "NOT_IN_SOD", "UNTRUSTED_CSCA", "NO_TRUST_STORE",
     "CHIP_AUTH_FAILED"}
)  # fmt: skip


def not_authentic(identity: CitizenIdentity) -> bool:
    return identity.authenticity in NOT_AUTHENTIC


def vietnam_today() -> date:
    """Today on the kiosk's clock, in Vietnam (UTC+7): a card expires on a Vietnamese day."""
    return datetime.now(VIETNAM).date()


def card_expired(identity: CitizenIdentity, today: date) -> bool:
    """The chip's date of expiry (DG13's, else DG1's) is past; on that day itself it is valid.
    No date: a card valid for life."""
    return identity.date_of_expiry is not None and identity.date_of_expiry < today


CARD_READ = Step(
    id=StepId.CARD_READ,
    screen="card",
    transitions={
        CardRead: StepId.FACE_CHECK,
        CardNotAuthentic: StepId.STAFF_HELP,  # a help request is raised there
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.QR_SCAN,
    },
    work=_read_card,
    uses_device=True,
    report_label="Đọc chip thẻ căn cước",
    progress_in=EVERY_JOURNEY,
)


def _check_face(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    identity = ctx.identity
    if identity is None or not identity.photo_jpeg:
        return Failed("no_chip_photo")
    ctx.face_tries += 1
    ctx.face = services.face.verify(identity.photo_jpeg, progress)
    if ctx.face.match and ctx.face.live:
        return FaceVerified()
    reason = ctx.face.reason or ("face_not_live" if not ctx.face.live else "face_no_match")
    if ctx.face_tries < FACE_TRIES:
        return FaceFailed(reason)
    return Failed("face_tries_exhausted")


def _face_guidance(ctx: JourneyContext, event: Event) -> Handled | None:
    if isinstance(event, FaceFailed):
        ctx.error_code = event.reason  # what to do differently; the step re-enters for the try
    return None


FACE_CHECK = Step(
    id=StepId.FACE_CHECK,
    screen="face",
    transitions={
        FaceVerified: Marker.AFTER_IDENTITY,
        FaceFailed: StepId.FACE_CHECK,  # guidance, then the next of three tries
        Failed: StepId.STAFF_HELP,  # three tries used, or no camera: staff verify
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.CONSENT,
    },
    work=_check_face,
    handle=_face_guidance,
    holds_card=True,
    uses_device=True,
    report_label="Xác thực khuôn mặt",
    progress_in=EVERY_JOURNEY,
    override_to=Marker.AFTER_IDENTITY,
)

# The chip's review card: everything the chip proved, read-only (docs/ui.md §13), in this order.
CHIP_CARD = ("full_name", "id_number", "date_of_birth", "sex", "place_of_origin",
             "place_of_residence", "date_of_issue", "date_of_expiry")  # fmt: skip


def chip_card_rows(identity: CitizenIdentity, language: str = "vi") -> tuple[Row, ...]:
    """The review card's rows: the ID number masked with a tap-to-reveal (docs/ui.md §9), an
    expiry of None said as "for life", attributes the card did not carry left out."""
    rows = []
    for name in CHIP_CARD:
        value = getattr(identity, name)
        caption = texts.get(f"ui.chip.{name}", language)
        if name == "id_number":
            rows.append(Row(caption, identity.masked_id, value))
        elif name == "date_of_expiry" and value is None:
            rows.append(Row(caption, texts.get("ui.chip.for_life", language)))
        elif isinstance(value, date):
            rows.append(Row(caption, f"{value.day:02d}/{value.month:02d}/{value.year}"))
        elif value:
            rows.append(Row(caption, str(value)))
    return tuple(rows)


STEPS = (CONSENT, QR_SCAN, CARD_READ, FACE_CHECK)
