"""Creating a public-service account: the phone number, the code sent to it, the account."""

from __future__ import annotations

from dataclasses import replace

from kiosk import texts
from kiosk.domain.model import Progress, ServiceError
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    AccountCreated,
    AccountExists,
    Back,
    Confirmed,
    Event,
    Failed,
    OtpEntered,
    OtpSent,
    PhoneEntered,
    Unavailable,
)
from kiosk.journey.steps.base import ACCOUNT, STAY, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.texts import phrase
from kiosk.journey.view_data import Row, StepView
from kiosk.services.interfaces import Services


def _keep_phone(ctx: JourneyContext, event: Event) -> None:
    if isinstance(event, PhoneEntered):
        ctx.phone = event.phone


ACCOUNT_PHONE = Step(
    id=StepId.ACCOUNT_PHONE,
    screen="phone",
    transitions={PhoneEntered: StepId.ACCOUNT_OTP, Back: StepId.WELCOME},
    leave=_keep_phone,
    holds_card=True,
    report_label="Nhập số điện thoại",
    progress_in=ACCOUNT,
    after_identity_of=ACCOUNT,
)


def _request_otp(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.identity is not None
    try:
        services.accounts.request_otp(ctx.identity, ctx.phone)
    except ServiceError as exc:
        if exc.code != "account_exists":
            raise
        # Not a failure for the citizen: they already have an account; say so and help them on.
        ctx.account_existed = True
        return AccountExists()
    return OtpSent()


def _keep_otp(ctx: JourneyContext, event: Event) -> None:
    if isinstance(event, OtpEntered):
        ctx.extras["otp"] = event.otp


ACCOUNT_OTP = Step(
    id=StepId.ACCOUNT_OTP,
    screen="otp",
    transitions={
        OtpSent: STAY,
        AccountExists: StepId.ACCOUNT_DONE,
        OtpEntered: StepId.ACCOUNT_VERIFY,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.ACCOUNT_PHONE,
    },
    work=_request_otp,
    leave=_keep_otp,
    holds_card=True,
    report_label="Nhập mã xác nhận",
    progress_in=ACCOUNT,
)


def _verify_otp(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.identity is not None
    otp = str(ctx.extras.pop("otp", ""))
    ctx.account_username = services.accounts.verify_otp(ctx.identity, ctx.phone, otp)
    return AccountCreated()


ACCOUNT_VERIFY = Step(
    id=StepId.ACCOUNT_VERIFY,
    screen="sending",
    transitions={
        AccountCreated: StepId.ACCOUNT_DONE,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
    },
    work=_verify_otp,
    report_label="Tạo tài khoản",
    counted_as=StepId.ACCOUNT_OTP,
    retry_at=StepId.ACCOUNT_OTP,  # a wrong or expired code: a new code is sent and typed again
)


def _account_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.identity is None:
        return view
    label = texts.get("ui.row_user_name", language)
    rows = (Row(label, ctx.identity.masked_id, ctx.identity.id_number),)
    if not ctx.account_existed:
        return replace(view, rows=rows)
    return replace(
        view,
        rows=rows,
        title=phrase("account_existed_title", language, form),
        say=phrase("account_existed", language, form),
    )


ACCOUNT_DONE = Step(
    id=StepId.ACCOUNT_DONE,
    screen="account_done",
    transitions={Confirmed: StepId.GOODBYE},
    view=_account_view,
    progress_in=ACCOUNT,
    ends_journey=True,
)

STEPS = (ACCOUNT_PHONE, ACCOUNT_OTP, ACCOUNT_VERIFY, ACCOUNT_DONE)
