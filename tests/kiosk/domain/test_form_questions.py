"""What the kiosk asks (only what the chip cannot know), with which control, and how an answer is
checked the moment it is given (docs/ui.md §13)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.catalogue import load_catalogue
from kiosk.domain.forms import (
    Control,
    answer_problem,
    control_for,
    date_years,
    prefill,
    questions,
    shown_value,
    village_addresses,
)
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import FormField

TODAY = date(2026, 1, 5)
CITIZEN = CitizenIdentity(
    id_number="001095012345",
    full_name="Nguyễn Văn An",
    date_of_birth=date(1995, 3, 17),
    sex="Nam",
    place_of_residence="Thôn 1, Xã A, Tỉnh C",
)


def test_the_real_catalogue_never_asks_what_the_chip_filled():
    for procedure in load_catalogue().procedures:
        values = prefill(procedure.fields, CITIZEN)
        asked = {spec.key for spec in questions(procedure.fields, values)}
        assert not {spec.key for spec in procedure.fields if spec.prefill_from} & asked


def test_a_field_the_card_left_empty_is_asked_after_all():
    spec = FormField("origin", "Quê quán", prefill_from="place_of_origin")
    assert questions((spec,), prefill((spec,), CITIZEN)) == (spec,)


@pytest.mark.parametrize(
    ("spec", "control"),
    [
        (FormField("child_sex", "Giới tính", kind="choice", choices=("Nam", "Nữ")), Control.CHOICE),
        (FormField("date_of_death", "Ngày mất", kind="date"), Control.DATE),
        (FormField("phone", "Số điện thoại", kind="phone"), Control.KEYPAD),
        (FormField("pages", "Số trang", kind="number"), Control.KEYPAD),
        (FormField("partner_id", "Số định danh", kind="id_number"), Control.KEYPAD),
        (FormField("licence", "Số GPLX", pattern=r"\d{12}"), Control.KEYPAD),
        (FormField("new_address", "Địa chỉ mới"), Control.PLACE),
        (FormField("place_of_death", "Nơi mất"), Control.PLACE),
        (FormField("child_name", "Họ và tên của trẻ"), Control.KEYBOARD),
    ],
)
def test_each_question_gets_the_control_that_fits_it(spec, control):
    assert control_for(spec) is control


def test_no_question_of_the_real_catalogue_needs_the_keyboard_for_a_fixed_answer():
    for procedure in load_catalogue().procedures:
        for spec in procedure.fields:
            if spec.kind in ("choice", "date", "phone", "number", "id_number"):
                assert control_for(spec) is not Control.KEYBOARD, spec.key


@pytest.mark.parametrize(
    ("spec", "answer", "problem"),
    [
        (FormField("a", "Tên"), "", "empty"),
        (FormField("a", "Tên", required=False), "  ", "empty"),
        (FormField("a", "Điện thoại", kind="phone"), "0123456789", "phone"),
        (FormField("a", "Điện thoại", kind="phone"), "091234567", "phone"),
        (FormField("a", "Số định danh", kind="id_number"), "12345", "id_number"),
        (FormField("a", "Ngày", kind="date"), "31/02/2000", "date"),
        (FormField("a", "Ngày", kind="date"), "01/01/1800", "date"),
        (FormField("a", "Ngày mất", kind="date", not_future=True), "06/01/2026", "date_future"),
        (FormField("a", "Tạm trú đến", kind="date", not_past=True), "04/01/2026", "date_past"),
        (FormField("a", "Ngày sinh", kind="date", min_age_years=18), "06/01/2008", "date_age"),
        (FormField("a", "Số trang", kind="number", min_value=1), "0", "number_small"),
        (FormField("a", "Số bản", kind="number", max_value=50), "51", "number_big"),
        (FormField("a", "Số GPLX", pattern=r"\d{12}"), "12", "digits"),
        (FormField("a", "Tên", max_length=3), "Nguyễn", "too_long"),
    ],
)
def test_a_wrong_answer_is_caught_the_moment_it_is_given(spec, answer, problem):
    assert answer_problem(spec, answer, TODAY) == problem


@pytest.mark.parametrize(
    ("spec", "answer"),
    [
        (FormField("a", "Điện thoại", kind="phone"), "0912345678"),
        (FormField("a", "Ngày mất", kind="date", not_future=True), "05/01/2026"),
        (FormField("a", "Giới tính", kind="choice", choices=("Nam", "Nữ")), "Nữ"),
        (FormField("a", "Số bản", kind="number", min_value=1, max_value=50), "3"),
    ],
)
def test_a_right_answer_is_taken(spec, answer):
    assert answer_problem(spec, answer, TODAY) is None


def test_a_date_picker_offers_no_year_a_date_of_birth_cannot_have():
    birth = FormField("b", "Ngày sinh", kind="date", not_future=True)
    stay = FormField("s", "Tạm trú đến", kind="date", not_past=True)
    assert date_years(birth, TODAY) == (1906, 2026)
    assert date_years(stay, TODAY) == (2026, 2056)


def test_an_id_number_answer_is_shown_masked_with_the_full_value_behind_a_tap():
    spec = FormField("partner_id", "Số định danh", kind="id_number")
    assert shown_value(spec, "001095012345") == ("001******345", "001095012345")


def test_the_offices_villages_become_addresses_in_the_commune():
    assert village_addresses("Thôn 1; ; Xóm Chợ ", "Xã Demo, Tỉnh Demo") == (
        "Thôn 1, Xã Demo, Tỉnh Demo",
        "Xóm Chợ, Xã Demo, Tỉnh Demo",
    )


def test_the_villages_setting_refuses_a_value_that_is_not_text():
    from kiosk.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="villages"):
        parse_config("[office]\nvillages = 3\n", "kiosk.toml")
