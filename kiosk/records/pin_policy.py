"""Which staff PINs are refused, and why, in words an administrator understands.

A staff PIN is typed on the kiosk's PIN pad, which has the keys 0-9 and nothing else: so a PIN is
6 to 12 ASCII digits. Among those, the ones a bystander or a guesser tries first are refused:
one repeated digit, a near-repeat (000001), a run (123456, 654321, 890123, 135791), a repeated
group (121212, 123123), doubled digits (112233), fewer than three different digits, and dates
(ddmmyy, yymmdd, yyyymm; ddmmyyyy, yyyymmdd).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import pairwise

MIN_PIN = 6
MAX_PIN = 12  # the PIN pad takes at most 12 digits
ASCII_DIGITS = frozenset("0123456789")
FIRST_YEAR, LAST_YEAR = 1900, 2099  # four-digit years a birthday or a memorable date falls in

# The date layouts refused, by PIN length.
DATE_LAYOUTS: tuple[tuple[str, ...], ...] = (
    ("ddmmyy", "yymmdd", "yyyymm"),  # 6 digits
    ("ddmmyyyy", "yyyymmdd"),  # 8 digits
)


def pin_weakness(pin: str) -> str | None:
    """Why `pin` may not be a staff PIN (one plain sentence), or None when it is acceptable."""
    if any(ch.isdigit() and ch not in ASCII_DIGITS for ch in pin):
        return "the PIN uses digits the PIN pad cannot type (full-width or another script): use 0-9"
    if not pin or any(ch not in ASCII_DIGITS for ch in pin):
        return (
            f"a staff PIN is {MIN_PIN} to {MAX_PIN} digits 0-9 only (the PIN pad has no other keys)"
        )
    if len(pin) < MIN_PIN:
        return f"a staff PIN needs at least {MIN_PIN} digits"
    if len(pin) > MAX_PIN:
        return f"a staff PIN has at most {MAX_PIN} digits (the PIN pad takes no more)"
    counts = Counter(pin)
    if len(counts) == 1:
        return "the PIN is one digit repeated"
    if counts.most_common(1)[0][1] == len(pin) - 1:
        return "the PIN is one digit repeated with a single change"
    if _steps_evenly(pin):
        return "the PIN is a run of digits counting up or down"
    if _period(pin) is not None:
        return "the PIN repeats a group of digits"
    if _doubled(pin):
        return "the PIN is made of doubled digits"
    if _looks_like_date(pin):
        return "the PIN is a date (a birthday or another date is easy to guess)"
    if len(counts) < 3:
        return "the PIN uses fewer than three different digits"
    return None


def _steps_evenly(pin: str) -> bool:
    """Every digit is the previous one plus the same step (mod 10): 123456, 654321, 135791."""
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    return len(steps) == 1


def _period(pin: str) -> int | None:
    """The shortest group that, repeated, spells the PIN (121212 → 2, 1231231 → 3)."""
    for size in range(1, len(pin) // 2 + 1):
        if all(pin[i] == pin[i - size] for i in range(size, len(pin))):
            return size
    return None


def _doubled(pin: str) -> bool:
    """Every digit comes in a run of the same length, 2 or more: 112233, 111222."""
    runs: list[int] = []
    for index, ch in enumerate(pin):
        if index and ch == pin[index - 1]:
            runs[-1] += 1
        else:
            runs.append(1)
    return len(set(runs)) == 1 and runs[0] >= 2


def _looks_like_date(pin: str) -> bool:
    layouts = {6: DATE_LAYOUTS[0], 8: DATE_LAYOUTS[1]}.get(len(pin), ())
    return any(_is_date(pin, layout) for layout in layouts)


def _is_date(pin: str, layout: str) -> bool:
    day = _field(pin, layout, "dd")
    month = _field(pin, layout, "mm")
    if day is None:
        day = 1  # yyyymm: any day of that month
    year = _field(pin, layout, "yyyy")
    if year is None:
        year = 2000  # any two-digit year: a leap year, so 29 February counts as a date
    elif not FIRST_YEAR <= year <= LAST_YEAR:
        return False
    try:
        date(year, month or 0, day)
    except ValueError:
        return False
    return True


def _field(pin: str, layout: str, name: str) -> int | None:
    start = layout.find(name)
    return None if start < 0 else int(pin[start : start + len(name)])
