"""A filled-in session (sample citizen, procedure, dossier) for rendering and view tests."""

from __future__ import annotations

from datetime import date, datetime

from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    DocumentSpec,
    DossierDraft,
    DossierStatus,
    FeeRequest,
    FeeRule,
    FormField,
    Procedure,
    SubmitResult,
)
from kiosk.journey.context import Journey, JourneyContext

VIETQR_EXAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
    "62170813ung ho lu lut6304C15C"
)

RESIDENCE = Procedure(
    code="CT07",
    name="Xác nhận thông tin về cư trú",
    authority="Công an xã",
    fee=FeeRule("fixed", amount_vnd=20_000),
    processing_days=3,
    documents=(DocumentSpec("ct01", "Tờ khai CT01"),),
    fields=(
        FormField("full_name", "Họ, chữ đệm và tên", prefill_from="full_name"),
        FormField("date_of_birth", "Ngày sinh", kind="date", prefill_from="date_of_birth"),
        FormField("place_of_residence", "Nơi thường trú", prefill_from="place_of_residence"),
    ),
    receipt_form="CT04",
)
BIRTH = Procedure("KS", "Đăng ký khai sinh", "UBND xã", FeeRule("free"), 0)


def sample_identity() -> CitizenIdentity:
    return CitizenIdentity(
        id_number="001095012345",
        full_name="Nguyễn Văn An",
        date_of_birth=date(1955, 3, 17),
        sex="Nam",
        place_of_origin="Xã Vĩnh Hậu, huyện Hòa Bình, tỉnh Bạc Liêu",
        place_of_residence="Thôn 1, Xã Đông Hưng, Tỉnh Thái Bình",
        photo_jpeg=b"\xff\xd8 not a real photo",
    )


def sample_context() -> JourneyContext:
    ctx = JourneyContext(journey=Journey.SUBMIT)
    ctx.identity = sample_identity()
    ctx.procedures = [RESIDENCE, BIRTH]
    ctx.procedure = RESIDENCE
    ctx.draft = DossierDraft(
        RESIDENCE,
        {
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "17/03/1955",
            "place_of_residence": "Thôn 1, Xã Đông Hưng, Tỉnh Thái Bình",
        },
    )
    ctx.fee = FeeRequest(20_000, VIETQR_EXAMPLE, "ref")
    ctx.result = SubmitResult(
        "KIOSK-000.00.12.H56-260428-0007",
        "000.00.12.H56-260428-0007",
        datetime(2026, 4, 23, 9, 30),
        datetime(2026, 4, 28, 14, 30),
        queued_offline=False,
        fee_vnd=20_000,
    )
    ctx.receipt_location = "/tmp/receipt.pdf"
    ctx.statuses = [
        DossierStatus("000.00.12.H56-260401-0003", "Đăng ký khai sinh", "Đã có kết quả", None)
    ]
    ctx.progress = (0.4, "blink")
    ctx.error_code = "card_not_placed"
    return ctx
