"""Capture in a worker thread: the newest frame is always at hand, unplug/replug become events.

The worker reads the source at the source's own rate (a webcam blocks in `read`; files and sample
scenes are paced to their `fps`). After `lost_after_s` without a frame the camera counts as
unplugged: `CameraEvent("disconnected")` is emitted, and the worker tries to reopen it every
`retry_every_s` until it answers (`CameraEvent("reconnected")`). Consumers take frames with
`next_frame()`, which never returns the same frame twice; `on_frame` sees every frame at the
camera's rate, from the capture thread (the UI's live mirror, whatever the analysis costs).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from devices.camera.errors import CameraUnavailable
from devices.camera.quality import FrameQuality, measure_quality
from devices.camera.sources import FrameSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraEvent:
    kind: str  # started | disconnected | reconnected | stopped
    source: str
    at: float  # time.monotonic()


@dataclass(frozen=True)
class CapturedFrame:
    number: int
    image: np.ndarray
    quality: FrameQuality
    at: float


class CaptureWorker:
    def __init__(
        self,
        source: FrameSource,
        on_event: Callable[[CameraEvent], None] | None = None,
        *,
        on_frame: Callable[[CapturedFrame], None] | None = None,
        lost_after_s: float = 1.0,
        retry_every_s: float = 1.0,
    ) -> None:
        self.source = source
        self._on_event = on_event
        self._on_frame = on_frame
        self.lost_after_s = lost_after_s
        self.retry_every_s = retry_every_s
        self.events: list[CameraEvent] = []
        self.connected = False
        self._latest: CapturedFrame | None = None
        self._condition = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._count = 0

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Open the source and start the thread; raises `CameraUnavailable` if it cannot open."""
        self.source.open()
        self.connected = True
        self._emit("started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="camera-capture", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, close the source and drop the last frame (privacy: nothing kept)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
        self.source.close()
        with self._condition:
            self._latest = None
            self._condition.notify_all()
        if self.connected:
            self.connected = False
        self._emit("stopped")

    def __enter__(self) -> CaptureWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- consumers ----------------------------------------------------------------------------

    def next_frame(self, after: int = -1, timeout_s: float = 1.0) -> CapturedFrame | None:
        """The newest frame numbered above `after`, waiting up to `timeout_s`; None if none came."""
        deadline = time.monotonic() + timeout_s
        with self._condition:
            while self._latest is None or self._latest.number <= after:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stop.is_set():
                    return None
                self._condition.wait(remaining)
            return self._latest

    # --- worker -------------------------------------------------------------------------------

    def _emit(self, kind: str) -> None:
        event = CameraEvent(kind, self.source.name, time.monotonic())
        self.events.append(event)
        log.info("camera %s: %s", kind, self.source.name)
        if self._on_event is not None:
            self._on_event(event)

    def _run(self) -> None:
        period = 1.0 / max(self.source.fps, 1.0)
        last_frame_at = time.monotonic()
        while not self._stop.is_set():
            if not self.connected:
                self._try_reopen()
                last_frame_at = time.monotonic()
                continue
            started = time.monotonic()
            try:
                image = self.source.read()
            except Exception:  # a driver error on unplug: treated like a missing frame
                log.exception("camera read failed")
                image = None
            now = time.monotonic()
            if image is None:
                if now - last_frame_at >= self.lost_after_s:
                    self.connected = False
                    self.source.close()
                    self._emit("disconnected")
                else:
                    self._stop.wait(0.02)
                continue
            last_frame_at = now
            frame = CapturedFrame(self._count, image, measure_quality(image), now)
            self._count += 1
            with self._condition:
                self._latest = frame
                self._condition.notify_all()
            if self._on_frame is not None:
                self._on_frame(frame)
            spare = period - (time.monotonic() - started)
            if spare > 0:
                self._stop.wait(spare)

    def _try_reopen(self) -> None:
        if self._stop.wait(self.retry_every_s):
            return
        try:
            self.source.open()
        except CameraUnavailable:
            return
        self.connected = True
        self._emit("reconnected")
