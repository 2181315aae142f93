"""The camera's live picture for the screen, without the UI touching the camera.

The composition root creates one `PreviewHub`, gives `hub.publish` to the camera services as their
`preview` callback, and keeps the hub as `Runtime.preview`. The UI subscribes while a camera
screen is shown. Frames go only to current subscribers and are never kept here: when nobody
watches, a published frame is dropped at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

FrameCallback = Callable[[Any], None]


class PreviewHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[FrameCallback] = []

    def subscribe(self, callback: FrameCallback) -> Callable[[], None]:
        """Receive every published frame (on the camera's thread); returns the unsubscribe."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, frame: Any) -> None:
        """Called by the camera service with each processed BGR frame."""
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(frame)
            except Exception:  # a broken screen must not stop the camera
                log.exception("preview subscriber failed")

    @property
    def watched(self) -> bool:
        with self._lock:
            return bool(self._subscribers)
