"""Time for the service: injectable (tests and the bench move it), Vietnam's day for figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

Clock = Callable[[], datetime]

# Figures are counted per local day in Vietnam (UTC+7 all year: no daylight saving).
VIETNAM = timezone(timedelta(hours=7))


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_day(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).date().isoformat()


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")
