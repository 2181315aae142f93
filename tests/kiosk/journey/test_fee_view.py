"""The fee names its payee and, when it is paid at the counter, how much and where."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from kiosk.domain.model import DossierDraft, FeeRequest, FeeRule, Procedure, SubmitResult
from kiosk.journey.context import JourneyContext
from kiosk.journey.steps import StepId
from kiosk.journey.steps.submit import DOSSIER_FEE
from kiosk.journey.view import view_for
from tests.fakes import RESIDENCE

REQUEST = FeeRequest(10_000, "000201...", "REF", "UBND xã Demo", "KIOSKDEMO0001", "Quầy số 2")


def _context(paid: bool) -> JourneyContext:
    ctx = JourneyContext(procedure=RESIDENCE, fee=REQUEST, paid=paid)
    now = datetime(2026, 4, 23, 9, 30)
    ctx.result = SubmitResult("K-1", "000.00.12.H56-260423-0001", now, now, False, 10_000)
    return ctx


def test_the_fee_screen_names_the_payee_and_the_account_beside_the_qr():
    view = view_for(StepId.FEE, _context(paid=False))
    assert {r.label: r.value for r in view.rows} == {
        "Người nhận tiền": "UBND xã Demo",
        "Số tài khoản": "KIOSKDEMO0001",
    }
    assert view.fee is not None and view.fee.vietqr_payload == "000201..."


def test_waiting_for_the_fee_is_shown_not_only_spoken():
    ctx = _context(paid=False)
    ctx.progress = (0.0, "fee_ready")
    assert view_for(StepId.FEE, ctx).notice == "Máy đang chờ tiền lệ phí."


def test_after_paying_at_the_counter_the_result_says_how_much_and_where():
    view = view_for(StepId.DONE, _context(paid=False))
    assert view.notice == "Bác nộp 10.000 đồng tiền mặt tại Quầy số 2."
    assert view.notice in view.say
    assert view.fee is not None and not view.fee.paid and view.fee.vietqr_payload


def test_a_paid_fee_leaves_nothing_to_pay_on_the_result():
    view = view_for(StepId.DONE, _context(paid=True))
    assert view.notice == "" and view.fee is not None and view.fee.vietqr_payload == ""


# Late birth registration: listed free, 8.000 đồng once the birth is past the 60 days.
LATE_FREE = Procedure(
    "KS", "Đăng ký khai sinh", "UBND xã",
    FeeRule("free_within_days", days=60, date_field="born", amount_after_vnd=8000), 0,
)  # fmt: skip


def test_the_review_shows_the_fee_the_answers_cost_not_the_list_fee():
    ctx = JourneyContext(procedure=LATE_FREE, draft=DossierDraft(LATE_FREE))
    ctx.extras[DOSSIER_FEE] = 8000
    rows = {r.label: r.value for r in view_for(StepId.REVIEW, ctx).rows}
    assert rows["Lệ phí"] == "8.000 đồng"


def test_the_fee_screen_asks_for_the_stored_dossiers_fee():
    ctx = _context(paid=False)
    ctx.procedure = LATE_FREE
    ctx.fee = replace(REQUEST, amount_vnd=8000)
    assert ctx.result is not None
    ctx.result = replace(ctx.result, fee_vnd=8000)
    view = view_for(StepId.FEE, ctx)
    assert view.big_text == "8.000 đồng" and view.fee is not None and view.fee.amount_vnd == 8000


def test_before_the_bank_gives_the_qr_the_screen_says_it_is_on_its_way():
    ctx = _context(paid=False)
    ctx.fee = None  # the payment request is being made
    view = view_for(StepId.FEE, ctx)
    assert view.notice == "Máy đang tạo mã thanh toán. Bác chờ một chút."
    assert view.qr_payload == ""
