"""Time since this process started, for "time to ready" (`kiosk run --exit-when-ready`)."""

from __future__ import annotations

import os
import time

_IMPORTED_AT = time.perf_counter()


def _process_start_age_s() -> float | None:
    """Seconds since the OS started this process (Linux /proc), or None elsewhere."""
    try:
        with open(f"/proc/{os.getpid()}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22: starttime, in clock ticks after boot
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return up - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def elapsed_ms() -> float:
    age = _process_start_age_s()
    if age is not None:
        return age * 1000.0
    return (time.perf_counter() - _IMPORTED_AT) * 1000.0
