"""Working days and return dates (docs/domain.md §9; Labour Code art. 112; Decree 61/2018
art. 19)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.domain.calendar.workdays import (
    WorkdaysTableError,
    WorkingCalendar,
    load_overrides,
    parse_table,
    statutory_holidays,
)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.load()


@pytest.mark.parametrize(
    ("received", "days", "due", "why"),
    [
        ("2026-02-13 10:00", 1, "2026-02-23 10:00", "Tết 2026: 16–20/02 off (29 Tết .. mùng 4)"),
        ("2026-02-12 09:00", 3, "2026-02-24 09:00", "Tết 2026 inside the span"),
        ("2027-02-04 10:00", 1, "2027-02-12 10:00", "Tết 2027 (Sat 06/02): 05/02 off, 08–09, "
         "substitutes 10–11 for Saturday and Sunday"),
        ("2025-04-25 09:00", 1, "2025-04-26 09:00", "2025: Saturday 26/04 is a make-up day"),
        ("2025-04-29 09:00", 1, "2025-05-05 09:00", "2025: 30/4, 1/5 and swapped 2/5 off"),
        ("2026-08-21 14:00", 1, "2026-08-22 14:00", "2026: Saturday 22/08 is a make-up day"),
        ("2026-08-28 09:00", 1, "2026-09-03 09:00", "2026: 31/08 swapped, 1–2/09 national day"),
        ("2026-04-24 09:00", 1, "2026-04-28 09:00", "Hùng Kings 2026 on Sunday: Monday 27/04 off"),
        ("2025-01-24 08:00", 1, "2025-02-03 08:00", "Tết 2025 as announced: 27/01–31/01 off"),
        ("2025-02-14 08:00", 1, "2025-02-15 08:00", "2025: Saturday 15/02 is a make-up day"),
        ("2026-03-02 09:00", 5, "2026-03-09 09:00", "an ordinary week"),
    ],
)  # fmt: skip
def test_return_date_skips_weekends_and_holidays(
    calendar: WorkingCalendar, received: str, days: int, due: str, why: str
) -> None:
    start = datetime.fromisoformat(received)
    assert calendar.add(start, days) == datetime.fromisoformat(due), why


def test_same_day_procedure_before_15h_is_due_at_closing_the_same_day(
    calendar: WorkingCalendar,
) -> None:
    assert calendar.add(datetime(2026, 3, 2, 14, 59), 0) == datetime(2026, 3, 2, 17, 0)


def test_same_day_procedure_received_after_15h_is_due_the_next_working_day(
    calendar: WorkingCalendar,
) -> None:
    assert calendar.add(datetime(2026, 3, 6, 15, 0), 0) == datetime(2026, 3, 9, 17, 0)


def test_dossier_received_after_closing_counts_from_the_next_opening(
    calendar: WorkingCalendar,
) -> None:
    assert calendar.add(datetime(2026, 3, 2, 18, 30), 2) == datetime(2026, 3, 5, 7, 30)


def test_dossier_received_on_a_sunday_counts_from_monday_opening(
    calendar: WorkingCalendar,
) -> None:
    assert calendar.add(datetime(2026, 3, 1, 10, 0), 1) == datetime(2026, 3, 3, 7, 30)


def test_time_zone_of_the_reception_time_is_kept(calendar: WorkingCalendar) -> None:
    vietnam = timezone(timedelta(hours=7))
    due = calendar.add(datetime(2026, 3, 2, 9, 0, tzinfo=vietnam), 1)
    assert due == datetime(2026, 3, 3, 9, 0, tzinfo=vietnam)


def test_aware_time_in_utc_is_counted_in_vietnam_time(calendar: WorkingCalendar) -> None:
    received = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # 15:30 in Hà Nội: after the cutoff
    assert calendar.add(received, 0) == datetime(
        2026, 3, 3, 17, 0, tzinfo=timezone(timedelta(hours=7))
    )


def test_negative_days_are_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add(datetime(2026, 3, 2, 9), -1)


def test_span_crossing_new_year_counts_1_january_as_a_holiday(calendar: WorkingCalendar) -> None:
    assert calendar.add(datetime(2026, 12, 31, 9), 1) == datetime(2027, 1, 4, 9)


@pytest.mark.parametrize(
    ("year", "adjacent"),
    [
        (2021, date(2021, 9, 3)),  # 2/9 Thursday → Friday 3/9
        (2022, date(2022, 9, 1)),  # Friday → Thursday 1/9
        (2024, date(2024, 9, 3)),  # Monday → Tuesday 3/9
        (2025, date(2025, 9, 1)),  # Tuesday → Monday 1/9
    ],
)
def test_national_day_adjacent_day_matches_the_announced_one(year: int, adjacent: date) -> None:
    assert statutory_holidays(year)[adjacent] == "Quốc khánh"


def test_holiday_on_saturday_gives_the_next_monday_off() -> None:
    calendar = WorkingCalendar()
    # 2/9/2023 was a Saturday: 1/9 (Friday), 2/9 and the substitute Monday 4/9.
    assert not calendar.is_working_day(date(2023, 9, 4))
    assert calendar.is_working_day(date(2023, 9, 5))


def test_staff_override_file_replaces_the_year_entry(tmp_path: Path) -> None:
    (tmp_path / "workdays.json").write_text(
        json.dumps({"years": {"2026": {"days_off": ["2026-03-04"], "working_days": []}}}),
        encoding="utf-8",
    )
    calendar = WorkingCalendar(load_overrides(tmp_path))
    assert not calendar.is_working_day(date(2026, 3, 4))
    assert not calendar.is_working_day(date(2026, 8, 22))  # the built-in 2026 swap was replaced


def test_built_in_table_without_staff_file_keeps_the_announced_swaps(tmp_path: Path) -> None:
    calendar = WorkingCalendar(load_overrides(tmp_path))
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"years": {"2026": {"days_off": ["2026-13-01"]}}}, "not a YYYY-MM-DD"),
        ({"years": {"2026": {"days_off": ["2025-01-02"]}}}, "another year"),
        ({"years": {"2026": {"holidays": []}}}, "unknown keys"),
        ({"years": {"26": {}}}, "4-digit"),
        ({"years": {"2026": {"days_off": ["2026-03-04"], "working_days": ["2026-03-04"]}}},
         "both"),
        ([], "'years'"),
    ],
)  # fmt: skip
def test_malformed_table_is_refused_naming_the_entry(document: object, complaint: str) -> None:
    with pytest.raises(WorkdaysTableError, match=complaint):
        parse_table(document, "workdays.json")


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_prints_the_due_time_in_iso_8601() -> None:
    done = _kiosk("workdays", "--from", "2026-02-13 10:00", "--days", "1")
    assert (done.returncode, done.stdout.strip()) == (0, "2026-02-23T10:00")


@pytest.mark.parametrize(
    "args",
    [("--from", "2026-02-30 10:00", "--days", "1"), ("--from", "2026-02-13 10:00", "--days", "-1"),
     ("--from", "yesterday", "--days", "1")],
)  # fmt: skip
def test_cli_bad_input_exits_2_with_one_line(args: tuple[str, ...]) -> None:
    done = _kiosk("workdays", *args)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        ("2026-12-03T14:59", "2026-12-03T17:00", "Thursday before 15:00: the same day"),
        ("2026-12-03T15:30", "2026-12-04T17:00", "Thursday after 15:00: Friday"),
        ("2026-12-03T22:30", "2026-12-04T17:00", "Thursday after closing: Friday, not Monday"),
        ("2026-12-04T16:00", "2026-12-07T17:00", "Friday after 15:00: Monday"),
        ("2026-12-05T10:00", "2026-12-07T17:00", "Saturday: Monday"),
    ],
)
def test_a_same_day_procedure_is_due_by_the_next_working_day_at_the_latest(
    calendar: WorkingCalendar, received: str, due: str, why: str
) -> None:
    from kiosk.domain.catalogue import load_catalogue

    vietnam = timezone(timedelta(hours=7))
    start = datetime.fromisoformat(received).replace(tzinfo=vietnam)
    death = load_catalogue().get("death_registration")
    assert death.same_day is not None
    expected = datetime.fromisoformat(due).replace(tzinfo=vietnam)
    assert death.due_at(start, calendar) == expected, why
