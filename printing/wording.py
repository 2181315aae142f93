"""How dates, times, money and agencies are written on Vietnamese administrative documents (and
on the kiosk's screen, which imports these: the screen and the paper say it the same way)."""

from __future__ import annotations

from datetime import date, datetime


def money(amount_vnd: int) -> str:
    """`50000` → `50.000 đồng` (dots group thousands)."""
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"


# Decree 30/2020/NĐ-CP, Appendix I, Part I, II.4.b (docs/domain.md §7): a leading zero only for
# days 1–9 and for months 1 and 2 (a "1" or "2" written before them would make another date).


def day_number(day: int) -> str:
    """`5` → `05`; `15` → `15`."""
    return f"{day:02d}"


def month_number(month: int) -> str:
    """`2` → `02`; `8` → `8`."""
    return f"{month:02d}" if month <= 2 else str(month)


def numeric_date(day: date) -> str:
    """`15/8/2025`, `05/02/2026`."""
    return f"{day_number(day.day)}/{month_number(day.month)}/{day.year}"


def clock_and_day(moment: datetime) -> str:
    """`09 giờ 30 phút, ngày 15/8/2025` (items 4 and 5 of Mẫu 01)."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {numeric_date(moment)}"


def short_moment(moment: datetime) -> str:
    """`09:30 ngày 15/8/2025`, for slips."""
    return f"{moment:%H:%M} ngày {numeric_date(moment)}"


def written_date(day: date) -> str:
    """`ngày 15 tháng 8 năm 2025`; `ngày 05 tháng 02 năm 2026`."""
    return f"ngày {day_number(day.day)} tháng {month_number(day.month)} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """`Demo, ngày 15 tháng 8 năm 2025` (the dateline under the national motto)."""
    return f"{place}, {written_date(day)}"


# As written inside a sentence: "hẹn trả thứ Ba"; "Chủ nhật" is capitalised everywhere.
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def weekday(day: date, *, capital: bool = False) -> str:
    """`thứ Ba`; `Thứ Ba` with `capital` (at the start of a line)."""
    name = WEEKDAYS[day.weekday()]
    return name[0].upper() + name[1:] if capital else name


def agency_name(authority: str, locality: str, province: str = "") -> str:
    """The agency a procedure's catalogue `authority` names, for one commune: `Công an cấp xã`
    at `xã Demo` → `Công an xã Demo`; `… Công an tỉnh` in `tỉnh Demo` → `… Công an tỉnh Demo`
    (docs/domain.md §7). An authority naming no level is returned as written."""
    name = " ".join(authority.split())
    for level, place in ((" cấp xã", locality), (" xã", locality), (" tỉnh", province)):
        if name.endswith(level) and place:
            return f"{name[: -len(level)]} {place}"
    return name
