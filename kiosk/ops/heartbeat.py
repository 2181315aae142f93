"""The app's side of the watchdog: touch a heartbeat file while the GUI event loop is alive.

`kiosk watchdog` starts the app with `KIOSK_HEARTBEAT_FILE` set; the UI calls `beat()` from a
timer on the GUI thread (every few seconds), so a frozen event loop stops the beats and the
watchdog restarts the app. Without the variable (no watchdog) `from_env()` returns None.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

HEARTBEAT_ENV = "KIOSK_HEARTBEAT_FILE"
BEAT_INTERVAL_S = 5.0


class Heartbeat:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def from_env(cls) -> Heartbeat | None:
        value = os.environ.get(HEARTBEAT_ENV)
        return cls(Path(value)) if value else None

    def beat(self) -> None:
        # A missed beat is the watchdog's business, never a reason to crash the app.
        with contextlib.suppress(OSError):
            self.path.touch()
