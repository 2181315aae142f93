"""Dates and money as the paper (and the screen) write them."""

from datetime import date

from printing.wording import money, weekday


def test_a_weekday_inside_a_sentence_is_lowercase() -> None:
    assert weekday(date(2026, 4, 28)) == "thứ Ba"


def test_a_weekday_at_the_start_of_a_line_is_capitalised() -> None:
    assert weekday(date(2026, 4, 28), capital=True) == "Thứ Ba"


def test_sunday_is_capitalised_everywhere() -> None:
    assert weekday(date(2026, 5, 3)) == weekday(date(2026, 5, 3), capital=True) == "Chủ nhật"


def test_money_groups_thousands_with_dots() -> None:
    assert money(1_250_000) == "1.250.000 đồng"
