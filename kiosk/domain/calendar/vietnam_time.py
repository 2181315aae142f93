"""Vietnam's clock: UTC+7 all year (no daylight saving), ICT. The one definition the kiosk uses
for "today", receipt times, due dates and dossier codes."""

from __future__ import annotations

from datetime import timedelta, timezone

UTC_OFFSET = timedelta(hours=7)
VIETNAM = timezone(UTC_OFFSET, "ICT")
