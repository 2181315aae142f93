"""Dates and money as the paper (and the screen) write them."""

from datetime import date

import pytest

from printing.wording import (
    agency_name,
    money,
    numeric_date,
    place_and_date,
    weekday,
    written_date,
)


def test_a_weekday_inside_a_sentence_is_lowercase() -> None:
    assert weekday(date(2026, 4, 28)) == "thứ Ba"


def test_a_weekday_at_the_start_of_a_line_is_capitalised() -> None:
    assert weekday(date(2026, 4, 28), capital=True) == "Thứ Ba"


def test_sunday_is_capitalised_everywhere() -> None:
    assert weekday(date(2026, 5, 3)) == weekday(date(2026, 5, 3), capital=True) == "Chủ nhật"


def test_money_groups_thousands_with_dots() -> None:
    assert money(1_250_000) == "1.250.000 đồng"


# Decree 30/2020/NĐ-CP, Appendix I, Part I, II.4.b: days below 10 and months 1 and 2 take a
# leading zero; no other day or month does (docs/domain.md §7).
DECREE_30_DATES = [
    (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026", "05/02/2026"),
    (date(2026, 1, 31), "ngày 31 tháng 01 năm 2026", "31/01/2026"),
    (date(2026, 3, 1), "ngày 01 tháng 3 năm 2026", "01/3/2026"),
    (date(2025, 8, 15), "ngày 15 tháng 8 năm 2025", "15/8/2025"),
    (date(2026, 8, 3), "ngày 03 tháng 8 năm 2026", "03/8/2026"),
    (date(2026, 12, 10), "ngày 10 tháng 12 năm 2026", "10/12/2026"),
    (date(2026, 11, 9), "ngày 09 tháng 11 năm 2026", "09/11/2026"),
]


@pytest.mark.parametrize(("day", "written", "_numeric"), DECREE_30_DATES)
def test_a_written_date_follows_decree_30(day: date, written: str, _numeric: str) -> None:
    assert written_date(day) == written


@pytest.mark.parametrize(("day", "_written", "numeric"), DECREE_30_DATES)
def test_a_numeric_date_on_paper_follows_the_same_zeros(
    day: date, _written: str, numeric: str
) -> None:
    assert numeric_date(day) == numeric


def test_the_dateline_puts_the_place_before_the_written_date() -> None:
    assert place_and_date("Demo", date(2025, 8, 15)) == "Demo, ngày 15 tháng 8 năm 2025"


@pytest.mark.parametrize(
    ("authority", "agency"),
    [
        ("Công an cấp xã", "Công an phường Hà Đông"),
        ("Công an xã", "Công an phường Hà Đông"),
        (
            "Phòng Cảnh sát giao thông Công an tỉnh",
            "Phòng Cảnh sát giao thông Công an thành phố Hà Nội",
        ),
        ("Sở Tư pháp", "Sở Tư pháp"),
    ],
)
def test_a_catalogue_authority_is_named_for_the_commune_and_province(
    authority: str, agency: str
) -> None:
    assert agency_name(authority, "phường Hà Đông", "thành phố Hà Nội") == agency
