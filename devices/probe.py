"""What a device answers when asked whether it is there: `kiosk doctor` shows it as one line.

Card transports and printers both report this way, so doctor maps one type to its checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProbeState(StrEnum):
    PRESENT = "present"  # there and ready
    ATTENTION = "attention"  # works, but someone should look (a card left on it, paper low)
    ABSENT = "absent"  # not found, or does not answer
    ERROR = "error"  # found but cannot work (paper out, cover open, driver missing)
    UNKNOWN = "unknown"  # this device cannot be asked from here


@dataclass(frozen=True)
class ProbeResult:
    state: ProbeState
    message: str  # plain words for the person at the kiosk
    remedy: str = ""  # what to do about it, when not PRESENT
