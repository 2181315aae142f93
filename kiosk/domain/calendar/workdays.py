"""Working days of a Vietnamese commune office, and the return date of a dossier.

A working day is Monday–Friday, minus the statutory holidays (Labour Code 2019, art. 112):
1/1; Tết Nguyên đán, 5 days (the last day of the lunar year and the first four of the new one);
Hùng Kings' day (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day. A holiday on a Saturday or
Sunday gives a substitute day off on the next working day (art. 112(3)). Lunar dates come from the
Vietnamese calendar at UTC+7 (`kiosk.domain.calendar.lunar`), never a Chinese one.

Each year the government announces swaps (a weekday off, a Saturday worked): those live in a
per-year table, `workdays.json` next to this module, and staff can replace a year's entry with a
`workdays.json` in the kiosk's data folder (same layout).

Return time (`WorkingCalendar.add`): N working days after reception, at the same time of day; a
dossier received outside office hours counts from the next opening. A same-day procedure (N = 0)
is due at closing time the same day — unless it was received after 15:00 (or on a day off), then
the next working day (Decree 61/2018/NĐ-CP, art. 19). Naive times are taken as office (Vietnam)
time; aware times are converted to UTC+7 first.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kiosk.domain.calendar import lunar
from kiosk.domain.calendar.vietnam_time import VIETNAM

TABLE_FILE = Path(__file__).with_name("workdays.json")
OVERRIDE_FILE_NAME = "workdays.json"
SAME_DAY_CUTOFF = time(15, 0)


class WorkdaysTableError(ValueError):
    """The per-year table of days off is malformed (the message names the file and the entry)."""


@dataclass(frozen=True)
class YearOverride:
    """One year's announced changes on top of the computed statutory holidays."""

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    note: str = ""


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of `year` (dates that may fall on a weekend), with their names."""
    days: dict[date, str] = {date(year, 1, 1): "Tết Dương lịch"}
    new_year = lunar.tet(year)
    for offset in range(-1, 4):  # the last day of the old lunar year and mùng 1–4
        days[new_year + timedelta(days=offset)] = "Tết Nguyên đán"
    days[lunar.lunar_to_solar(10, 3, year)] = "Giỗ Tổ Hùng Vương"
    days[date(year, 4, 30)] = "Ngày Chiến thắng"
    days[date(year, 5, 1)] = "Ngày Quốc tế Lao động"
    national_day = date(year, 9, 2)
    days[national_day] = "Quốc khánh"
    # The adjacent day: the government has picked the one that joins a weekend or a bridge day
    # (2/9 on Monday or Thursday → 3/9; otherwise 1/9). The per-year table corrects any year.
    adjacent = 1 if national_day.weekday() in (0, 3) else -1
    days[national_day + timedelta(days=adjacent)] = "Quốc khánh"
    return days


def substitute_days(holidays: Mapping[date, str]) -> dict[date, str]:
    """Days off given for holidays that fall on Saturday or Sunday: the next free weekday each."""
    taken = set(holidays)
    substitutes: dict[date, str] = {}
    for day in sorted(holidays):
        if day.weekday() < 5:
            continue
        candidate = day + timedelta(days=1)
        while candidate.weekday() >= 5 or candidate in taken:
            candidate += timedelta(days=1)
        taken.add(candidate)
        substitutes[candidate] = f"Nghỉ bù {holidays[day]}"
    return substitutes


def _parse_dates(values: Any, where: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise WorkdaysTableError(f"{where} must be a list of YYYY-MM-DD dates")
    days: set[date] = set()
    for value in values:
        try:
            days.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise WorkdaysTableError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None
    return frozenset(days)


def parse_table(document: Any, source: str) -> dict[int, YearOverride]:
    """Validate a per-year table (the layout of `workdays.json`)."""
    if not isinstance(document, dict) or not isinstance(document.get("years"), dict):
        raise WorkdaysTableError(f"{source}: expected an object with a 'years' object")
    table: dict[int, YearOverride] = {}
    for key, entry in document["years"].items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise WorkdaysTableError(f"{source}: year {key!r} is not a 4-digit year")
        if not isinstance(entry, dict):
            raise WorkdaysTableError(f"{source}: year {key} must be an object")
        unknown = set(entry) - {"days_off", "working_days", "note"}
        if unknown:
            raise WorkdaysTableError(f"{source}: year {key} has unknown keys {sorted(unknown)}")
        year = int(key)
        off = _parse_dates(entry.get("days_off", []), f"{source}: {key}.days_off")
        work = _parse_dates(entry.get("working_days", []), f"{source}: {key}.working_days")
        stray = sorted(d.isoformat() for d in off | work if d.year != year)
        if stray:
            raise WorkdaysTableError(f"{source}: year {key} lists dates of another year: {stray}")
        both = sorted(d.isoformat() for d in off & work)
        if both:
            raise WorkdaysTableError(f"{source}: {key} lists {both} as both off and working")
        table[year] = YearOverride(off, work, str(entry.get("note", "")))
    return table


def load_table(path: Path) -> dict[int, YearOverride]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorkdaysTableError(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkdaysTableError(f"{path} is not valid JSON: {exc}") from None
    return parse_table(document, str(path))


def load_overrides(data_dir: Path | None = None) -> dict[int, YearOverride]:
    """The built-in table, with years replaced by `<data_dir>/workdays.json` when it exists."""
    table = load_table(TABLE_FILE)
    if data_dir is not None:
        staff_file = data_dir / OVERRIDE_FILE_NAME
        if staff_file.exists():
            table.update(load_table(staff_file))
    return table


@dataclass
class WorkingCalendar:
    """Which days are working days, and when a dossier is due (implements `WorkingDays`)."""

    overrides: Mapping[int, YearOverride] = field(default_factory=dict)
    opening: time = time(7, 30)
    closing: time = time(17, 0)
    same_day_cutoff: time = SAME_DAY_CUTOFF
    _days_off: dict[int, frozenset[date]] = field(default_factory=dict, init=False, repr=False)
    _flags: dict[int, tuple[int, bytes]] = field(default_factory=dict, init=False, repr=False)
    _ordinals: list[int] = field(default_factory=list, init=False, repr=False)
    _first_year: int = field(default=0, init=False, repr=False)
    _last_year: int = field(default=0, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    @classmethod
    def load(cls, data_dir: Path | None = None, **hours: time) -> WorkingCalendar:
        return cls(load_overrides(data_dir), **hours)

    def days_off(self, year: int) -> frozenset[date]:
        """Every weekday of `year` that is not a working day, and no weekend day."""
        cached = self._days_off.get(year)
        if cached is None:
            holidays = statutory_holidays(year)
            off = {d for d in holidays if d.year == year} | set(substitute_days(holidays))
            override = self.overrides.get(year, YearOverride())
            off = (off | override.days_off) - override.working_days
            cached = frozenset(d for d in off if d.weekday() < 5)
            self._days_off[year] = cached
        return cached

    def holidays(self, year: int) -> dict[date, str]:
        """Named days off of `year` (statutory, substitutes, announced), for staff screens."""
        named = {**statutory_holidays(year)}
        named.update(substitute_days(named))
        override = self.overrides.get(year, YearOverride())
        for day in override.days_off:
            named.setdefault(day, "Nghỉ theo thông báo")
        return {d: n for d, n in sorted(named.items()) if d not in override.working_days}

    def _year_flags(self, year: int) -> tuple[int, bytes]:
        """(ordinal of 1 January, one byte per day of `year`: 1 for a working day)."""
        first = date(year, 1, 1)
        override = self.overrides.get(year, YearOverride())
        off = self.days_off(year)
        flags = bytearray()
        day = first
        while day.year == year:
            flags.append(day in override.working_days or (day.weekday() < 5 and day not in off))
            day += timedelta(days=1)
        return first.toordinal(), bytes(flags)

    def is_working_day(self, day: date) -> bool:
        entry = self._flags.get(day.year)
        if entry is None:
            with self._lock:
                entry = self._flags[day.year] = self._year_flags(day.year)
        return bool(entry[1][day.toordinal() - entry[0]])

    def _working_ordinals_through(self, year: int) -> list[int]:
        """Sorted ordinals of every working day from the first year asked for through `year`."""
        if not self._ordinals:
            self._first_year = self._last_year = year
            self._ordinals.extend(self._ordinals_of(year))
        while self._first_year > year:
            self._first_year -= 1
            self._ordinals[:0] = self._ordinals_of(self._first_year)
        while self._last_year < year:
            self._last_year += 1
            self._ordinals.extend(self._ordinals_of(self._last_year))
        return self._ordinals

    def _ordinals_of(self, year: int) -> list[int]:
        if year not in self._flags:
            self._flags[year] = self._year_flags(year)
        first, flags = self._flags[year]
        return [first + i for i, working in enumerate(flags) if working]

    def next_working_day(self, day: date, count: int = 1) -> date:
        """The `count`-th working day strictly after `day`."""
        with self._lock:
            ordinals = self._working_ordinals_through(day.year)
            while True:
                index = bisect.bisect_right(ordinals, day.toordinal()) + count - 1
                if index < len(ordinals):
                    return date.fromordinal(ordinals[index])
                ordinals = self._working_ordinals_through(self._last_year + 1)

    def add(self, start: datetime, days: int) -> datetime:
        """When a dossier received at `start` with a legal time of `days` working days is due."""
        if days < 0:
            raise ValueError(f"working days must be 0 or more, got {days}")
        if start.tzinfo is not None:  # office hours are Vietnam's: count in UTC+7
            start = start.astimezone(VIETNAM)
        day, clock = start.date(), start.timetz()
        if days == 0:
            if not (self.is_working_day(day) and clock.replace(tzinfo=None) < self.same_day_cutoff):
                day = self.next_working_day(day)
            return datetime.combine(day, self.closing, tzinfo=start.tzinfo)
        if not self.is_working_day(day) or clock.replace(tzinfo=None) >= self.closing:
            day, clock = self.next_working_day(day), self.opening.replace(tzinfo=start.tzinfo)
        elif clock.replace(tzinfo=None) < self.opening:
            clock = self.opening.replace(tzinfo=start.tzinfo)
        return datetime.combine(self.next_working_day(day, days), clock)
