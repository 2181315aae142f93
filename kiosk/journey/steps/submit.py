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
from kiosk.journey.texts import guidance, phrase
from kiosk.journey.view_data import FeeView, Row, StepView, clock, long_date
from kiosk.services.interfaces import Services
from printing.wording import money

PAYMENT_WAIT_S = 300.0
PAYMENT_POLL_S = 1.0
DOSSIER_FEE = "dossier_fee"  # ctx.extras: the fee the answers cost, priced before the review


def dossier_fee(ctx: JourneyContext) -> int:
    """The one fee of the dossier (docs/domain.md §6): as stored once submitted, as priced from
    the answers before; the procedure's list fee only until the answers are priced."""
    if ctx.result is not None:
        return ctx.result.fee_vnd
    priced = ctx.extras.get(DOSSIER_FEE)
    if isinstance(priced, int):
        return priced
    return ctx.procedure.fee_vnd if ctx.procedure is not None else 0


def fee_words(amount_vnd: int, language: str) -> str:
    return money(amount_vnd) if amount_vnd else texts.get("ui.free", language)


def _submit(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.identity is not None
    ctx.result = services.dossiers.submit(ctx.draft, ctx.identity)
    if ctx.result.fee_vnd == 0:  # nothing to pay: no fee screen, no QR for 0 đồng
        ctx.paid = True
        return Paid()
    return Submitted()


SUBMIT_STEP = Step(
    id=StepId.SUBMIT,
    screen="sending",
    transitions={
        Submitted: StepId.FEE,
        Paid: StepId.RECEIPT,  # a free dossier
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
    },
    work=_submit,
    report_label="Gửi hồ sơ",
    progress_in=SUBMIT,
)


def _request_fee(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.result is not None
    if ctx.result.fee_vnd == 0:
        ctx.paid = True
        return Paid()
    code = ctx.result.portal_code or ctx.result.kiosk_reference
    ctx.fee = services.payments.request(ctx.result.fee_vnd, code)
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


def fee_view(ctx: JourneyContext) -> FeeView | None:
    """The dossier's fee with its payee, for the screens and the unpaid-fee lines of the slip."""
    amount = dossier_fee(ctx)
    if ctx.procedure is None or amount == 0:
        return None
    request = ctx.fee
    if request is None:
        return FeeView(amount, paid=ctx.paid)
    return FeeView(
        amount_vnd=amount,
        paid=ctx.paid,
        payee=request.payee,
        account=request.account,
        counter=request.counter,
        vietqr_payload="" if ctx.paid else request.vietqr_payload,
    )


def _fee_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.procedure is None:
        return view
    amount = money(dossier_fee(ctx))
    say = view.say
    if language == "vi":  # submitted first: say so before asking for money
        received = phrase("dossier_received", language, form)
        fee = texts.get("phrase.fee_amount", language, form, amount=amount)
        say = f"{received} {fee} {say}"
    qr = ctx.fee.vietqr_payload if ctx.fee is not None else view.qr_payload
    fee_data = fee_view(ctx)
    rows: tuple[Row, ...] = ()
    if fee_data is not None and fee_data.payee:
        rows = (
            Row(texts.get("ui.row_payee", language), fee_data.payee),
            Row(texts.get("ui.row_account", language), fee_data.account),
        )
    # What the voice says while the bank is asked, shown too (docs/ui.md §10); before the bank
    # has given the QR, that it is on its way (the instruction already speaks of scanning it).
    waiting = ctx.fee is not None and not ctx.paid and ctx.progress[1] == "fee_ready"
    requesting = ctx.fee is None and not ctx.paid
    notice = guidance("fee_ready", language, form) if waiting else ""
    notice = guidance("fee_requesting", language, form) if requesting else notice
    return replace(
        view, big_text=amount, qr_payload=qr, say=say, rows=rows, fee=fee_data, notice=notice
    )


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
    rows: tuple[Row, ...] = (
        Row(texts.get("ui.row_dossier_code", language), code),
        Row(texts.get("ui.row_due", language), f"{long_date(due)}, {clock(due)}"),
    )
    fee_data = fee_view(ctx)
    notice = ""
    if fee_data is not None and not fee_data.paid:  # paying at the counter: how much, and where
        counter = fee_data.counter or texts.get("ui.the_counter", language)
        notice = texts.get(
            "phrase.pay_at_counter", language, form, amount=money(fee_data.amount_vnd), name=counter
        )
        rows += (Row(texts.get("ui.row_fee", language), notice),)
        say += " " + notice
    return replace(view, big_text=code, rows=rows, say=say, fee=fee_data, notice=notice)


DONE = Step(
    id=StepId.DONE,
    screen="done",
    transitions={Confirmed: StepId.GOODBYE},
    view=_result_view,
    progress_in=SUBMIT,
    ends_journey=True,
)


STEPS = (SUBMIT_STEP, FEE, RECEIPT, DONE)
