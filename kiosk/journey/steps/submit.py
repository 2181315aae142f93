"""Sending the dossier, the fee, the receipt and the result."""

from __future__ import annotations

import time
from dataclasses import replace

from kiosk import texts
from kiosk.domain.model import Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Confirmed,
    Event,
    Failed,
    FeeShown,
    Paid,
    PayAtCounter,
    Printed,
    Submitted,
    Unavailable,
)
from kiosk.journey.steps.base import STAY, SUBMIT, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.texts import phrase
from kiosk.journey.view_data import Row, StepView, clock, long_date
from kiosk.services.interfaces import Services
from printing.wording import money

PAYMENT_WAIT_S = 300.0
PAYMENT_POLL_S = 1.0


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


STEPS = (SUBMIT_STEP, FEE, RECEIPT, DONE)
