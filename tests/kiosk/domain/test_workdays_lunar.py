"""The Vietnamese lunar calendar at UTC+7 (docs/domain.md §9)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kiosk.domain.calendar import lunar

REFERENCE = json.loads((Path(__file__).parent / "data" / "vn_lunar_dates.json").read_text())


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [
        # docs/domain.md §9: years where the Vietnamese (UTC+7) and Chinese (UTC+8) Tết differ.
        (1985, date(1985, 1, 21), date(1985, 2, 20)),
        (2007, date(2007, 2, 17), date(2007, 2, 18)),
        (2030, date(2030, 2, 2), date(2030, 2, 3)),
    ],
)
def test_tet_follows_the_vietnamese_calendar_where_it_differs_from_the_chinese(
    year: int, vietnam: date, china: date
) -> None:
    assert lunar.tet(year) == vietnam != china


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 1, 29)), (2026, date(2026, 2, 17)), (2027, date(2027, 2, 6)),
     (2028, date(2028, 1, 26))],
)  # fmt: skip
def test_tet_dates_of_domain_section_9(year: int, expected: date) -> None:
    assert lunar.tet(year) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 4, 7)), (2026, date(2026, 4, 26)), (2027, date(2027, 4, 16))],
)
def test_hung_kings_day_10_3_lunar_of_domain_section_9(year: int, expected: date) -> None:
    assert lunar.lunar_to_solar(10, 3, year) == expected


def test_tet_and_hung_kings_agree_with_the_reference_table_1901_to_2099() -> None:
    wrong = [
        (year, tet, hung)
        for year, (tet, hung) in REFERENCE["dates"].items()
        if lunar.tet(int(year)).isoformat() != tet
        or lunar.lunar_to_solar(10, 3, int(year)).isoformat() != hung
    ]
    assert wrong == []


def test_leap_month_of_2023_is_the_second_month() -> None:
    # Năm Quý Mão 2023 had a leap 2nd month (tháng 2 nhuận) starting 2023-03-22.
    assert lunar.leap_month(2023) == 2
    assert lunar.lunar_to_solar(1, 2, 2023, leap=True) == date(2023, 3, 22)


def test_asking_for_a_leap_month_the_year_does_not_have_is_refused() -> None:
    with pytest.raises(lunar.LunarDateError):
        lunar.lunar_to_solar(1, 5, 2026, leap=True)


def test_day_30_of_a_29_day_month_is_refused() -> None:
    # Tháng Chạp of Giáp Thìn (ending before Tết 2025-01-29) had 29 days: 2024-12-31 .. 2025-01-28.
    assert lunar.lunar_to_solar(29, 12, 2024) == date(2025, 1, 28)
    with pytest.raises(lunar.LunarDateError):
        lunar.lunar_to_solar(30, 12, 2024)
