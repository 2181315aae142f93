"""Form fields: typed validation, Vietnamese messages naming the field, prefill from the card."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.catalogue import load_catalogue
from kiosk.domain.form_dates import parse_form_date
from kiosk.domain.forms import (
    clean_values,
    mask_phone,
    normalise_phone,
    prefill,
    validate_field,
    validate_form,
)
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import FormField

TODAY = date(2026, 1, 5)


def identity() -> CitizenIdentity:
    return CitizenIdentity(
        id_number="001095012345",
        full_name="Nguyễn Văn An",
        date_of_birth=date(1995, 3, 17),
        sex="Nam",
        place_of_residence="Thôn 1, Xã A, Huyện B, Tỉnh C",
    )


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        (FormField("a", "Họ và tên"), "", "Bác chưa điền «Họ và tên»."),
        (FormField("a", "Điện thoại", kind="phone"), "0123456789", "số di động có 10 chữ số"),
        (FormField("a", "Số định danh", kind="id_number"), "12345", "đúng 12 chữ số"),
        (FormField("a", "Ngày sinh", kind="date"), "31/02/2000", "ngày/tháng/năm"),
        (
            FormField("a", "Ngày mất", kind="date", not_future=True),
            "06/01/2026",
            "sau ngày hôm nay",
        ),
        (FormField("a", "Số trang", kind="number", min_value=1), "0", "không được nhỏ hơn 1"),
        (FormField("a", "Số trang", kind="number"), "ba", "cần là một số"),
        (FormField("a", "Giới tính", kind="choice", choices=("Nam", "Nữ")), "X", "Nam, Nữ"),
        (FormField("a", "Tên", max_length=3), "Nguyễn", "dài quá 3 ký tự"),
        (FormField("a", "Ngày sinh", kind="date", min_age_years=18), "06/01/2008", "chưa đủ 18"),
        (FormField("a", "Số GPLX", pattern=r"\d{12}", pattern_hint="12 chữ số"), "12", "12 chữ số"),
    ],
)
def test_a_bad_value_gets_a_vietnamese_message_naming_the_field(spec, value, expected):
    message = validate_field(spec, value, TODAY)
    assert message is not None and expected in message and spec.label in message


@pytest.mark.parametrize(
    ("spec", "value"),
    [
        (FormField("a", "Điện thoại", kind="phone"), "+84 912 345 678"),
        (FormField("a", "Ngày sinh", kind="date", not_future=True), "5/1/2026"),
        (FormField("a", "Ghi chú", required=False), ""),
        (FormField("a", "Ngày sinh", kind="date", min_age_years=18), "05/01/2008"),
    ],
)
def test_a_good_value_passes(spec, value):
    assert validate_field(spec, value, TODAY) is None


def test_phone_numbers_are_normalised_to_ten_digits():
    assert normalise_phone("+84 912.345.678") == "0912345678"


def test_dates_must_exist_on_the_calendar():
    assert parse_form_date("29/02/2024") == date(2024, 2, 29)
    assert parse_form_date("29/02/2025") is None


def test_prefill_fills_identity_fields_and_leaves_the_rest_empty():
    fields = load_catalogue().get("birth_registration").fields
    values = prefill(fields, identity())
    assert values["applicant_name"] == "Nguyễn Văn An"
    assert values["applicant_id"] == "001095012345"
    assert values["applicant_address"] == "Thôn 1, Xã A, Huyện B, Tỉnh C"
    assert values["child_name"] == ""


def test_prefilled_dates_use_the_form_format():
    fields = load_catalogue().get("marriage_registration").fields
    assert prefill(fields, identity())["applicant_date_of_birth"] == "17/03/1995"


def test_validate_form_lists_every_bad_field_in_form_order():
    fields = load_catalogue().get("residence_confirmation").fields
    problems = validate_form(fields, prefill(fields, identity()), TODAY)
    assert [p.key for p in problems] == ["content", "purpose"]


def test_clean_values_keeps_only_form_keys_and_normalises_phones():
    fields = (FormField("phone", "Điện thoại", kind="phone"),)
    assert clean_values(fields, {"phone": " +84912345678 ", "x": "y"}) == {"phone": "0912345678"}


def test_a_phone_on_screen_and_paper_keeps_its_first_two_and_last_two_digits() -> None:
    assert mask_phone("0912345678") == "09******78"


def test_a_phone_is_masked_the_same_however_it_was_typed() -> None:
    assert mask_phone("0912 345 678") == mask_phone("+84 912.345.678") == "09******78"


def test_a_phone_too_short_to_mask_is_hidden_entirely() -> None:
    assert mask_phone("12345") == "*****"
