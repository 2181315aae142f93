"""Dates as a form shows them: dd/mm/yyyy (also d/m/yyyy when typed)."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_form_date(value: str) -> date | None:
    """dd/mm/yyyy (also d/m/yyyy) → date; None when not a real date."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_form_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")
