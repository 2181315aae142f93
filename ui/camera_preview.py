"""The live camera picture with the guide the citizen fits into (an oval for the face, a card
outline for the QR code).

The UI never opens the camera. A camera service that can show its frames puts a feed in
`Runtime.preview`: any object with

    subscribe(callback: Callable[[numpy.ndarray], None]) -> Callable[[], None]

calling `callback(frame)` with each BGR uint8 frame (H×W×3) from its own thread, and returning
an unsubscribe function. Frames are thinned to ≤ 15 a second, mirrored, cropped and scaled to the
preview's size on that thread; the GUI thread only paints a ready QImage. Without a feed, or
before the first frame, the guide is drawn on a plain surface: never a made-up picture.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ui import theme


class PreviewFeed(Protocol):
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


MAX_FPS = 15.0  # the mirror needs no more; every frame shown costs the GUI thread a paint


def crop_to(frame: Any, width: int, height: int) -> Any:
    """The middle of `frame` with the aspect ratio width:height (a view, no copy)."""
    h, w = frame.shape[:2]
    if w * height > h * width:  # too wide: cut the sides
        keep = max(1, h * width // height)
        left = (w - keep) // 2
        return frame[:, left : left + keep]
    keep = max(1, w * height // width)
    top = (h - keep) // 2
    return frame[top : top + keep]


def frame_to_image(frame: Any, width: int = 0, height: int = 0, mirror: bool = True) -> QImage:
    """A BGR uint8 numpy frame as an RGB QImage, mirrored like a looking glass (moving left
    moves the picture left) unless `mirror` is False, cropped and scaled to width×height when
    given. Runs on the camera's thread: OpenCV does the pixel work without holding Python's
    lock, and the QImage owns a copy (the frame's buffer may be reused)."""
    import cv2

    if width and height:
        frame = cv2.resize(
            crop_to(frame, width, height), (width, height), interpolation=cv2.INTER_AREA
        )
    rgb = cv2.cvtColor(cv2.flip(frame, 1) if mirror else frame, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, w * 3, QImage.Format.Format_RGB888).copy()


# guide → what a screen reader says about the preview
GUIDES = {
    "face": "khung camera: đưa mặt vào khung",
    "card": "khung camera: đưa mã QR vào",
    "page": "khung camera: đặt giấy tờ trong khung",
}


class _Bridge(QObject):
    frame = Signal(object)


class _FrameConverter:
    """The subscriber on the camera's thread: at most MAX_FPS frames, converted there, and none
    while the GUI thread has not yet shown the last one (a busy screen drops frames, it never
    queues them)."""

    def __init__(self, bridge: _Bridge, size: tuple[int, int], mirror: bool) -> None:
        self.bridge = bridge
        self.size = size
        self.mirror = mirror
        self.sent_at = 0.0
        self.in_flight = threading.Event()
        self.stopped = False

    def __call__(self, frame: Any) -> None:
        now = time.monotonic()
        if self.stopped or self.in_flight.is_set() or now - self.sent_at < 1.0 / MAX_FPS:
            return
        self.sent_at = now
        image = frame_to_image(frame, *self.size, mirror=self.mirror)
        self.in_flight.set()
        self.bridge.frame.emit((self, image))


class CameraPreview(QWidget):
    def __init__(self, guide: str) -> None:
        super().__init__()
        if guide not in GUIDES:
            raise ValueError(f"unknown guide {guide!r}")
        self.guide = guide
        self.image: QImage | None = None
        self.setFixedSize(*theme.PREVIEW)
        self.setAccessibleName(GUIDES[guide])
        self._bridge = _Bridge()
        self._bridge.frame.connect(self._show_frame, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = None
        self._converter: _FrameConverter | None = None
        self.frames_shown = 0

    def attach(self, feed: PreviewFeed | None) -> None:
        """Start showing a feed's frames (None: the guide alone)."""
        self.detach()
        if feed is not None:
            # A page on the desk is shown as it lies (mirrored, its words would read backwards).
            mirror = self.guide != "page"
            size = (self.width(), self.height())
            self._converter = _FrameConverter(self._bridge, size, mirror)
            self._unsubscribe = feed.subscribe(self._converter)

    def detach(self) -> None:
        if self._converter is not None:
            self._converter.stopped = True
            self._converter = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.image = None
        self.update()

    def _show_frame(self, message: tuple[_FrameConverter, QImage]) -> None:
        converter, image = message
        converter.in_flight.clear()
        if converter is not self._converter:
            return  # a frame that was in flight when the screen moved on
        self.image = image
        self.frames_shown += 1
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect())
        if self.image is not None:
            painter.drawImage(0, 0, self.image)  # ready-made on the camera's thread
        else:
            painter.fillRect(area, QColor("#E4E8F0"))
        painter.setPen(QPen(QColor(theme.ACCENT), 8, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        w, h = area.width(), area.height()
        if self.guide == "face":
            painter.drawEllipse(QRectF(w * 0.3, h * 0.1, w * 0.4, h * 0.8))
        elif self.guide == "page":  # an A4 sheet, upright
            page_h = h * 0.84
            page_w = page_h / 1.414
            painter.drawRoundedRect(QRectF((w - page_w) / 2, h * 0.08, page_w, page_h), 10, 10)
        else:
            painter.drawRoundedRect(QRectF(w * 0.15, h * 0.2, w * 0.7, h * 0.6), 18, 18)
        painter.setPen(QPen(QColor(theme.ACCENT), 6))
        painter.drawRect(area.adjusted(3, 3, -3, -3))
        painter.end()
