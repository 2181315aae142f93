"""How dates, times and money are written on Vietnamese administrative documents (and on the
kiosk's screen, which imports these: the screen and the paper say it the same way)."""

from __future__ import annotations

from datetime import date, datetime


def money(amount_vnd: int) -> str:
    """`50000` → `50.000 đồng` (dots group thousands)."""
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"


def clock_and_day(moment: datetime) -> str:
    """`09 giờ 30 phút, ngày 15/08/2025` (items 4 and 5 of Mẫu 01)."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def short_moment(moment: datetime) -> str:
    """`09:30 ngày 15/08/2025`, for slips."""
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def place_and_date(place: str, day: date) -> str:
    """`Demo, ngày 15 tháng 08 năm 2025` (the dateline under the national motto)."""
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


# As written inside a sentence: "hẹn trả thứ Ba"; "Chủ nhật" is capitalised everywhere.
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def weekday(day: date, *, capital: bool = False) -> str:
    """`thứ Ba`; `Thứ Ba` with `capital` (at the start of a line)."""
    name = WEEKDAYS[day.weekday()]
    return name[0].upper() + name[1:] if capital else name
