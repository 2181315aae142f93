"""Loading now what the first citizen's steps would otherwise load mid-journey.

Some first uses are heavy and hold Python's GIL, so the screen freezes while they run on a worker
thread: loading dlib's models (the demo's sample camera finds the demo face's landmarks in the
kiosk's own process: 1-3 s), the receipt's libraries (reportlab, python-escpos, which parses a
large YAML file on import) and the garbage they leave, which the next full collection walks.
`warm_up(runtime)` does all of it once, on the runtime's thread while the welcome screen waits;
the UI then moves everything loaded out of the collector's sight (`ui.runner`).

Each part is best effort: a part that fails is logged and left for its step to report.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def _receipt_libraries(runtime: Any) -> None:
    import escpos.printer  # noqa: F401 (imported for its side effect: the capability table)

    import printing.receipt
    import printing.slip  # noqa: F401


def _face_model(runtime: Any) -> None:
    start = getattr(runtime.services.face, "model", None)
    if callable(start):
        start()  # the child process (3-6 s, its own GIL): ready before the first face check


def _sample_camera(runtime: Any) -> None:
    if runtime.config.devices.camera != "sample":
        return
    from devices.camera.sources import open_source

    for purpose in ("face", "qr", "document"):
        source = open_source("sample", purpose)
        source.open()
        source.close()


PARTS: list[tuple[str, Callable[[Any], None]]] = [
    ("receipt libraries", _receipt_libraries),
    ("face model", _face_model),
    ("sample camera", _sample_camera),
]


def warm_up(runtime: Any) -> dict[str, float]:
    """Run every part; returns the seconds each took (for the log and the bench)."""
    took: dict[str, float] = {}
    for name, part in PARTS:
        started = time.perf_counter()
        try:
            part(runtime)
        except Exception:
            log.exception("warm-up of the %s failed", name)
        took[name] = round(time.perf_counter() - started, 3)
    log.info("warm-up: %s", took)
    return took
