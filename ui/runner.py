"""Runs a step's work on Qt's thread pool and brings the result back to the GUI thread, so the
screen never freezes during a chip read, a face match or a submission."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from kiosk.journey.engine import JourneyEngine, WorkItem
from kiosk.journey.events import Event

# Step work in Python (chip crypto, image handling) holds the GIL in 5 ms slices by default, and
# every Qt-to-Python call on the GUI thread (a paint, a signal) waits for one: a screen refresh
# with a few dozen such calls then stalls for 100 ms+. A 1 ms slice keeps the screen fluid.
GIL_SWITCH_INTERVAL_S = 0.001


def keep_gui_responsive() -> None:
    import sys

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def freeze_start_up_objects() -> None:
    """Move everything loaded so far (Qt wrappers, libraries, catalogues: it lives as long as the
    kiosk) out of the garbage collector's sight. Otherwise a full collection, triggered by any
    thread's allocations mid-journey, walks all of it holding the GIL: measured 110-230 ms of
    frozen screen during the receipt step. Call it only before the first citizen: objects that
    held personal data must stay collectable."""
    import gc

    gc.freeze()


class _Signals(QObject):
    finished = Signal(object, object)  # WorkItem, Event
    progress = Signal(object, float, str)  # WorkItem, fraction, key


# Devices report progress on every frame (15-30 a second); the screen needs far fewer updates.
PROGRESS_INTERVAL_S = 0.1  # ≤ 10 screen updates a second for a moving bar


class _ThrottledProgress:
    """Passes a progress report on at once when its key changes (a new instruction must be
    shown and said without delay), otherwise at most every PROGRESS_INTERVAL_S."""

    def __init__(self, item: WorkItem, signals: _Signals) -> None:
        self.item, self.signals = item, signals
        self.key: str | None = None
        self.sent_at = 0.0

    def __call__(self, fraction: float, key: str) -> None:
        now = time.monotonic()
        if key == self.key and now - self.sent_at < PROGRESS_INTERVAL_S:
            return
        self.key, self.sent_at = key, now
        self.signals.progress.emit(self.item, fraction, key)


class _Job(QRunnable):
    def __init__(self, engine: JourneyEngine, item: WorkItem, signals: _Signals) -> None:
        super().__init__()
        self.engine, self.item, self.signals = engine, item, signals

    def run(self) -> None:
        event = self.engine.run(self.item, _ThrottledProgress(self.item, self.signals))
        self.signals.finished.emit(self.item, event)


class QtRunner(QObject):
    """Starts pending work after every transition; feeds results back into the engine."""

    progressed = Signal(float, str)

    def __init__(self, engine: JourneyEngine) -> None:
        super().__init__()
        self.engine = engine
        keep_gui_responsive()
        self.pool = QThreadPool.globalInstance()
        self.signals = _Signals()
        self.signals.finished.connect(self._finished)
        self.signals.progress.connect(self._progress)
        self.busy: WorkItem | None = None
        # A step whose work ended with an in-place event (the list is loaded, the code is sent)
        # stays in the same generation: its work must not start again.
        self.completed_generation = -1

    def kick(self) -> None:
        item = self.engine.pending_work()
        if item is None or (self.busy is not None and self.busy == item):
            return
        if item.generation == self.completed_generation:
            return
        self.busy = item
        self.pool.start(_Job(self.engine, item, self.signals))

    def _finished(self, item: WorkItem, event: Event) -> None:
        if self.busy == item:
            self.busy = None
        self.completed_generation = item.generation
        self.engine.complete_work(item, event)

    def _progress(self, item: WorkItem, fraction: float, key: str) -> None:
        if item.generation == self.engine.generation:
            self.engine.ctx.progress = (fraction, key)
            self.progressed.emit(fraction, key)

    def wait_idle(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)
