"""Working-day computations: 10,000 return dates, cold (fresh calendar) and warm.

    python -m bench workdays [--count N] [--runs N]

Each computation adds 0–20 working days to a different reception time spread over 2025–2032
(Tết, Hùng Kings, swaps and the 15:00 rule all met). Target: 10,000 in ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta

from kiosk.domain.calendar.workdays import WorkingCalendar, load_overrides

TARGET_S = 0.5


def _starts(count: int) -> list[tuple[datetime, int]]:
    first = datetime(2025, 1, 2, 7, 0)
    return [(first + timedelta(minutes=397 * i), i % 21) for i in range(count)]


def _run(calendar: WorkingCalendar, cases: list[tuple[datetime, int]]) -> float:
    start = time.perf_counter()
    for received, days in cases:
        calendar.add(received, days)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workdays")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    cases = _starts(args.count)
    overrides = load_overrides()
    cold = [_run(WorkingCalendar(overrides), cases) for _ in range(args.runs)]
    calendar = WorkingCalendar(overrides)
    _run(calendar, cases)
    warm = [_run(calendar, cases) for _ in range(args.runs)]
    span = f"{cases[0][0]:%Y-%m-%d} .. {cases[-1][0]:%Y-%m-%d}"
    print(f"{args.count} computations, receptions {span}")
    print(f"{'what':<34}{'median s':>10}{'target s':>10}{'ratio':>8}")
    for name, times in (("cold (holidays computed too)", cold), ("warm", warm)):
        median = statistics.median(times)
        print(f"{name:<34}{median:>10.3f}{TARGET_S:>10.1f}{median / TARGET_S:>8.2f}")
    return 0
