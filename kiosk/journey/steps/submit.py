"""Submitting a dossier: choose the procedure, confirm the prefilled form, photograph the
papers, review, send, pay, print the receipt."""

from __future__ import annotations

import time
from dataclasses import replace

from kiosk import texts
from kiosk.domain.model import Progress
from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.events import (
    Back,
    Confirmed,
    DocumentsDone,
    DraftPrefilled,
    Event,
    Failed,
    FeeShown,
    FieldCorrected,
    Paid,
    PayAtCounter,
    Printed,
    ProcedureChosen,
    ProceduresLoaded,
    Submitted,
    Unavailable,
)
from kiosk.journey.steps.base import STAY, Handled, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.texts import phrase
from kiosk.journey.view_data import Row, StepView, clock, long_date
from kiosk.services.interfaces import Services
from printing.wording import money

PAYMENT_WAIT_S = 300.0
PAYMENT_POLL_S = 1.0
SUBMIT = frozenset({Journey.SUBMIT})


def _load_procedures(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    ctx.procedures = services.dossiers.procedures()
    return ProceduresLoaded()


def _choose_procedure(ctx: JourneyContext, event: Event) -> None:
    if not isinstance(event, ProcedureChosen):
        return
    chosen = next((p for p in ctx.procedures if p.code == event.code), None)
    if chosen is None or ctx.identity is None:
        raise ValueError(f"unknown procedure {event.code!r}")
    ctx.procedure = chosen
    ctx.draft = None  # prefilled by the form step's work, off the GUI thread
    ctx.field_index = 0


def _procedure_choices(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    free = texts.get("ui.free", language)
    return replace(
        view,
        choices=tuple(
            (p.code, p.name + " — " + (money(p.fee_vnd) if p.fee_vnd else free))
            for p in ctx.procedures
        ),
    )


CHOOSE_PROCEDURE = Step(
    id=StepId.CHOOSE_PROCEDURE,
    screen="choose_procedure",
    transitions={
        ProceduresLoaded: STAY,  # the catalogue is loaded and shown
        ProcedureChosen: StepId.FORM,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.WELCOME,
    },
    work=_load_procedures,
    leave=_choose_procedure,
    view=_procedure_choices,
    holds_card=True,
    report_label="Chọn thủ tục",
    progress_in=SUBMIT,
    after_identity_of=SUBMIT,
)


def _prefill(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    """The draft from the card's data (a database read and decryption): once per procedure, so
    coming back from the documents keeps the citizen's corrections."""
    assert ctx.procedure is not None and ctx.identity is not None
    if ctx.draft is None or ctx.draft.procedure != ctx.procedure:
        ctx.draft = services.dossiers.prefill(ctx.procedure, ctx.identity)
        ctx.field_index = 0
    return DraftPrefilled()


def _confirm_field(ctx: JourneyContext, event: Event) -> Handled | None:
    if ctx.draft is None:  # still being prefilled: nothing to confirm or correct yet
        return Handled.REFUSED if isinstance(event, Confirmed | FieldCorrected) else None
    fields = ctx.draft.procedure.fields
    if isinstance(event, FieldCorrected):
        if any(f.key == event.key for f in fields):
            ctx.draft.values[event.key] = event.value
        return Handled.STAY
    if isinstance(event, Confirmed) and ctx.field_index < len(fields) - 1:
        ctx.field_index += 1
        return Handled.STAY
    if isinstance(event, Back) and ctx.field_index > 0:
        ctx.field_index -= 1
        return Handled.STAY
    return None


def _field_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.draft is None:  # being prefilled: say nothing until the first field is there
        return replace(view, ready=False, say="")
    if not ctx.draft.procedure.fields:
        return view
    fields = ctx.draft.procedure.fields
    index = min(ctx.field_index, len(fields) - 1)
    spec = fields[index]
    value = ctx.draft.values.get(spec.key, "")
    say = (
        texts.get("phrase.field_check", language, form, label=spec.label, value=value)
        if language == "vi"
        else view.say
    )
    return replace(
        view,
        rows=(Row(spec.label, value),),
        field_position=(index + 1, len(fields)),
        field_key=spec.key,
        say=say,
    )


FORM = Step(
    id=StepId.FORM,
    screen="form",
    transitions={
        DraftPrefilled: STAY,
        Confirmed: StepId.DOCUMENTS,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.CHOOSE_PROCEDURE,
    },
    work=_prefill,
    handle=_confirm_field,
    view=_field_view,
    holds_card=True,
    report_label="Kiểm tra tờ khai",
    progress_in=SUBMIT,
)


def _capture_documents(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.procedure is not None
    for document in ctx.procedure.document_names:
        ctx.draft.attachments.append(
            services.dossiers.capture_document(ctx.draft, document, progress)
        )
    return DocumentsDone()


DOCUMENTS = Step(
    id=StepId.DOCUMENTS,
    screen="documents",
    transitions={
        DocumentsDone: StepId.REVIEW,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.FORM,
    },
    work=_capture_documents,
    holds_card=True,
    uses_device=True,
    report_label="Chụp giấy tờ",
    progress_in=SUBMIT,
)


def _review_rows(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.draft is None:
        return view
    rows = [Row(texts.get("ui.row_procedure", language), ctx.draft.procedure.name)]
    if ctx.identity is not None:
        id_label = texts.get("ui.row_id_number", language)
        rows.append(Row(id_label, ctx.identity.masked_id, ctx.identity.id_number))
    rows += [Row(f.label, ctx.draft.values.get(f.key, "")) for f in ctx.draft.procedure.fields]
    rows.append(Row(texts.get("ui.row_documents", language), str(len(ctx.draft.attachments))))
    return replace(view, rows=tuple(rows))


REVIEW = Step(
    id=StepId.REVIEW,
    screen="review",
    transitions={Confirmed: StepId.SUBMIT, Back: StepId.DOCUMENTS},
    view=_review_rows,
    holds_card=True,
    report_label="Xem lại hồ sơ",
    progress_in=SUBMIT,
    answer=Confirmed(),
)


def _submit(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.identity is not None
    ctx.result = services.dossiers.submit(ctx.draft, ctx.identity)
    return Submitted()


SUBMIT_STEP = Step(
    id=StepId.SUBMIT,
    screen="sending",
    transitions={Submitted: StepId.FEE, Failed: StepId.ERROR, Unavailable: StepId.STAFF_HELP},
    work=_submit,
    report_label="Gửi hồ sơ",
    progress_in=SUBMIT,
)


def _request_fee(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.procedure is not None and ctx.result is not None
    if ctx.procedure.fee_vnd == 0:
        ctx.paid = True
        return Paid()
    code = ctx.result.portal_code or ctx.result.kiosk_reference
    ctx.fee = services.payments.request(ctx.procedure, code)
    progress(0.0, "fee_ready")
    if ctx.result.portal_code is None:  # queued offline: the portal cannot confirm a payment yet
        return FeeShown()
    deadline = time.monotonic() + PAYMENT_WAIT_S
    while time.monotonic() < deadline:
        if services.payments.is_paid(ctx.fee):
            ctx.paid = True
            return Paid()
        time.sleep(PAYMENT_POLL_S)
    return Failed("payment_timeout")


def _fee_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.procedure is None:
        return view
    amount = money(ctx.procedure.fee_vnd)
    say = view.say
    if language == "vi":  # submitted first: say so before asking for money
        received = phrase("dossier_received", language, form)
        fee = texts.get("phrase.fee_amount", language, form, amount=amount)
        say = f"{received} {fee} {say}"
    qr = ctx.fee.vietqr_payload if ctx.fee is not None else view.qr_payload
    return replace(view, big_text=amount, qr_payload=qr, say=say)


# The fee is paid once the dossier is safe and has its code (the transfer's purpose); a dossier
# queued offline shows the QR without waiting and the citizen may pay at the counter.
FEE = Step(
    id=StepId.FEE,
    screen="fee",
    transitions={
        FeeShown: STAY,
        Paid: StepId.RECEIPT,
        PayAtCounter: StepId.RECEIPT,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
    },
    work=_request_fee,
    view=_fee_view,
    report_label="Nộp phí",
    progress_in=SUBMIT,
    answer=PayAtCounter(),
)


def _print_receipt(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.identity is not None and ctx.result is not None
    ctx.receipt_location = services.printer.print_receipt(ctx.draft, ctx.identity, ctx.result)
    return Printed()


# A receipt that cannot print still ends at DONE: the code is on screen, staff reprint.
RECEIPT = Step(
    id=StepId.RECEIPT,
    screen="printing",
    transitions={Printed: StepId.DONE, Failed: StepId.DONE, Unavailable: StepId.DONE},
    work=_print_receipt,
    uses_device=True,
    report_label="In giấy hẹn",
    counted_as=StepId.DONE,
)


def _result_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.result is None:
        return view
    code = ctx.result.portal_code or ctx.result.kiosk_reference
    due = ctx.result.due_at
    say = view.say
    if ctx.result.queued_offline:
        say += " " + phrase("queued_offline", language, form)
    if not ctx.receipt_location:
        say += " " + phrase("reprint", language, form)
    rows = (
        Row(texts.get("ui.row_dossier_code", language), code),
        Row(texts.get("ui.row_due", language), f"{long_date(due)}, {clock(due)}"),
    )
    return replace(view, big_text=code, rows=rows, say=say)


DONE = Step(
    id=StepId.DONE,
    screen="done",
    transitions={Confirmed: StepId.GOODBYE},
    view=_result_view,
    progress_in=SUBMIT,
    ends_journey=True,
)

STEPS = (CHOOSE_PROCEDURE, FORM, DOCUMENTS, REVIEW, SUBMIT_STEP, FEE, RECEIPT, DONE)
