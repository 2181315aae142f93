"""Dossier forms: typed fields, validation with Vietnamese messages, prefill from the card.

A form is the list of `FormField`s of a procedure (from the catalogue). Values travel as strings
(what the screen shows): dates as dd/mm/yyyy, numbers as digits. `validate_form` returns one
`FieldProblem` per bad field, each naming the field and saying why in Vietnamese.

At the kiosk only what the chip cannot know is asked (docs/ui.md §13): `questions` leaves out the
fields the card filled, `control_for` picks the control a field is answered with, and
`answer_problem` checks an answer the moment it is given, as a code the text catalogue words
(`phrase.answer_<code>`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.domain.form_dates import format_form_date, parse_form_date
from kiosk.domain.identity import CitizenIdentity, mask_id
from kiosk.domain.model import FormField, ServiceError, age_on

KINDS = ("text", "date", "phone", "number", "choice", "id_number", "email")

# Which CitizenIdentity attribute comes from which part of the card (docs/domain.md §1, §3).
PREFILL_SOURCES: dict[str, str] = {
    "id_number": "DG13 #1 / DG1 MRZ / QR field 1",
    "full_name": "DG13 #2 / QR field 3",
    "date_of_birth": "DG13 #3 / DG1 MRZ / QR field 4",
    "sex": "DG13 #4 / DG1 MRZ / QR field 5",
    "nationality": "DG13 #5",
    "ethnicity": "DG13 #6",
    "religion": "DG13 #7",
    "place_of_origin": "DG13 #8",
    "place_of_residence": "DG13 #9 / QR field 6",
    "identifying_features": "DG13 #10",
    "date_of_issue": "DG13 #11 / QR field 7",
    "date_of_expiry": "DG13 #12 / DG1 MRZ",
    "father_name": "DG13 #13",
    "mother_name": "DG13 #13",
    "spouse_name": "DG13 #14",
    "old_id_number": "DG13 #15 / QR field 2",
}

_PHONE = re.compile(r"0(3|5|7|8|9)\d{8}")
_ID_NUMBER = re.compile(r"\d{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class FieldProblem:
    key: str
    label: str
    message: str  # Vietnamese, names the field and says why


class FormInvalid(ServiceError):
    """The form has fields that fail validation; `problems` says which and why."""

    code = "form_invalid"

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems), code="form_invalid")
        self.problems = problems


def normalise_phone(value: str) -> str:
    """`+84 912 345 678` / `0912.345.678` → `0912345678` (unchanged when not a phone)."""
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def mask_phone(value: str) -> str:
    """A citizen's phone as the screen and the paper show it: `0912 345 678` → `09******78`.

    The first two and last two digits let the citizen recognise the number and hide six of ten
    (the same rule as the log redaction); a value too short to keep four digits and still hide
    four is hidden entirely, never shown as typed."""
    digits = "".join(c for c in normalise_phone(value) if c.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def validate_field(spec: FormField, raw: str, today: date) -> str | None:
    """None when the value is acceptable, else a Vietnamese message naming the field."""
    value = raw.strip()
    label = f"«{spec.label}»"
    if not value:
        return f"Bác chưa điền {label}." if spec.required else None
    if spec.max_length and len(value) > spec.max_length:
        return f"{label} dài quá {spec.max_length} ký tự."
    if spec.min_length and len(value) < spec.min_length:
        return f"{label} cần ít nhất {spec.min_length} ký tự."
    if spec.kind == "choice" and value not in spec.choices:
        return f"{label} cần chọn một trong: {', '.join(spec.choices)}."
    if spec.kind == "phone" and not _PHONE.fullmatch(normalise_phone(value)):
        return f"{label} chưa đúng: số di động có 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."
    if spec.kind == "id_number" and not _ID_NUMBER.fullmatch(value):
        return f"{label} chưa đúng: số định danh cá nhân có đúng 12 chữ số."
    if spec.kind == "email" and not _EMAIL.fullmatch(value):
        return f"{label} chưa đúng: thư điện tử có dạng ten@vidu.vn."
    if spec.kind == "number":
        if not value.isdigit():
            return f"{label} cần là một số (chỉ gồm chữ số)."
        number = int(value)
        if spec.min_value is not None and number < spec.min_value:
            return f"{label} không được nhỏ hơn {spec.min_value}."
        if spec.max_value is not None and number > spec.max_value:
            return f"{label} không được lớn hơn {spec.max_value}."
    if spec.kind == "date":
        return _validate_date(spec, value, today)
    if spec.pattern and not re.fullmatch(spec.pattern, value):
        hint = spec.pattern_hint or "đúng mẫu quy định"
        return f"{label} chưa đúng: cần {hint}."
    return None


def _validate_date(spec: FormField, value: str, today: date) -> str | None:
    label = f"«{spec.label}»"
    day = parse_form_date(value)
    if day is None:
        return f"{label} chưa đúng: ghi theo dạng ngày/tháng/năm, ví dụ 17/03/1995."
    if spec.not_future and day > today:
        return f"{label} không thể sau ngày hôm nay."
    if spec.not_past and day < today:
        return f"{label} không thể trước ngày hôm nay."
    if spec.min_age_years is not None and age_on(day, today) < spec.min_age_years:
        return f"{label}: người này chưa đủ {spec.min_age_years} tuổi."
    return None


def validate_form(
    fields: tuple[FormField, ...], values: Mapping[str, str], today: date
) -> list[FieldProblem]:
    """Every problem of the form, in field order (empty list: the form is valid)."""
    problems = []
    for spec in fields:
        message = validate_field(spec, values.get(spec.key, ""), today)
        if message:
            problems.append(FieldProblem(spec.key, spec.label, message))
    return problems


def clean_values(fields: tuple[FormField, ...], values: Mapping[str, str]) -> dict[str, str]:
    """The values the dossier keeps: known keys only, trimmed, phones normalised."""
    cleaned = {}
    for spec in fields:
        value = values.get(spec.key, "").strip()
        if spec.kind == "phone" and value:
            value = normalise_phone(value)
        cleaned[spec.key] = value
    return cleaned


def prefill_value(identity: CitizenIdentity, attribute: str) -> str:
    """The identity's attribute as the form shows it ("" when the card did not carry it)."""
    value = getattr(identity, attribute, None)
    if value is None:
        return ""
    if isinstance(value, date):
        return format_form_date(value)
    return str(value)


def prefill(fields: tuple[FormField, ...], identity: CitizenIdentity) -> dict[str, str]:
    """Values for every field, filled from the card where the catalogue says so."""
    return {
        spec.key: prefill_value(identity, spec.prefill_from) if spec.prefill_from else ""
        for spec in fields
    }


class Control(StrEnum):
    """How a question is answered on the kiosk (docs/ui.md §13): never free typing when a
    finger can pick."""

    CHOICE = "choice"  # fixed answers as big buttons
    DATE = "date"  # day / month / year pickers
    KEYPAD = "keypad"  # digits only: phone, numbers, ID numbers, digit-only codes
    PLACE = "place"  # the commune's villages from a list, the keyboard as the last resort
    KEYBOARD = "keyboard"  # the Vietnamese keyboard: names and other free words


_DIGITS_PATTERN = re.compile(r"\\d\{\d+(,\d+)?\}")
_PLACE_WORDS = ("address", "place_of")
DATE_YEARS_BACK = 120  # oldest year a date picker offers: a date of birth of the eldest
DATE_YEARS_AHEAD = 30  # furthest year: a stay or a licence expiry


def control_for(spec: FormField) -> Control:
    if spec.kind == "choice" and spec.choices:
        return Control.CHOICE
    if spec.kind == "date":
        return Control.DATE
    if spec.kind in ("phone", "number", "id_number") or _DIGITS_PATTERN.fullmatch(spec.pattern):
        return Control.KEYPAD
    if spec.kind == "text" and any(word in spec.key for word in _PLACE_WORDS):
        return Control.PLACE
    return Control.KEYBOARD


def proved_by_chip(spec: FormField, values: Mapping[str, str]) -> bool:
    """The card filled this field: it is shown on the chip's review card, never asked again."""
    return bool(spec.prefill_from) and bool(values.get(spec.key, "").strip())


def questions(fields: tuple[FormField, ...], values: Mapping[str, str]) -> tuple[FormField, ...]:
    """The fields the citizen answers, in form order: those the chip could not fill."""
    return tuple(spec for spec in fields if not proved_by_chip(spec, values))


def date_years(spec: FormField, today: date) -> tuple[int, int]:
    """The years a date picker offers for this field (first, last), both included."""
    first = today.year - DATE_YEARS_BACK if not spec.not_past else today.year
    last = today.year if spec.not_future else today.year + DATE_YEARS_AHEAD
    return first, last


def answer_problem(spec: FormField, raw: str, today: date) -> str | None:
    """None when the answer is acceptable, else the problem's code (`phrase.answer_<code>` words
    it). Unlike `validate_field`, an empty answer is never acceptable: a citizen with nothing to
    give for an optional field says so with its own button."""
    value = raw.strip()
    if not value:
        return "empty"
    if spec.kind == "phone":
        return None if _PHONE.fullmatch(normalise_phone(value)) else "phone"
    if spec.kind == "id_number":
        return None if _ID_NUMBER.fullmatch(value) else "id_number"
    if spec.kind == "date":
        return _date_problem(spec, value, today)
    if spec.kind == "number":
        if not value.isdigit():
            return "number"
        if spec.min_value is not None and int(value) < spec.min_value:
            return "number_small"
        if spec.max_value is not None and int(value) > spec.max_value:
            return "number_big"
        return None
    if spec.max_length and len(value) > spec.max_length:
        return "too_long"
    if spec.min_length and len(value) < spec.min_length:
        return "too_short"
    if spec.kind == "choice" and value not in spec.choices:
        return "format"
    if spec.kind == "email" and not _EMAIL.fullmatch(value):
        return "format"
    if spec.pattern and not re.fullmatch(spec.pattern, value):
        return "digits" if _DIGITS_PATTERN.fullmatch(spec.pattern) else "format"
    return None


def _date_problem(spec: FormField, value: str, today: date) -> str | None:
    day = parse_form_date(value)
    first, last = date_years(spec, today)
    if day is None or not first <= day.year <= last:
        return "date"
    if spec.not_future and day > today:
        return "date_future"
    if spec.not_past and day < today:
        return "date_past"
    if spec.min_age_years is not None and age_on(day, today) < spec.min_age_years:
        return "date_age"
    return None


def shown_value(spec: FormField, value: str) -> tuple[str, str]:
    """(what the screen shows, the full value behind a tap): ID numbers are masked
    (docs/ui.md §9), phones as on paper; other values are shown as they are."""
    if value and spec.kind == "id_number":
        return mask_id(value), value
    if value and spec.kind == "phone":
        return mask_phone(value), normalise_phone(value)
    return value, ""


def village_addresses(villages: str, commune: str) -> tuple[str, ...]:
    """`[office] villages` ("Thôn 1; Xóm Chợ") as the addresses a citizen picks from:
    "Thôn 1, Xã Demo, Tỉnh Demo" (docs/ui.md §13)."""
    names = (name.strip() for name in villages.split(";"))
    return tuple(f"{name}, {commune}" if commune else name for name in names if name)
