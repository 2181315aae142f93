"""The live camera picture with the guide the citizen fits into (an oval for the face, a card
outline for the QR code).

The UI never opens the camera. A camera service that can show its frames puts a feed in
`Services.extras["preview"]`: any object with

    subscribe(callback: Callable[[numpy.ndarray], None]) -> Callable[[], None]

calling `callback(frame)` with each BGR uint8 frame (H×W×3) from its own thread, and returning
an unsubscribe function. Frames cross to the GUI thread through a queued signal; only the latest
is kept. Without a feed, or before the first frame, the guide is drawn on a plain surface: never a
made-up picture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ui import theme


class PreviewFeed(Protocol):
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


def frame_to_image(frame: Any) -> QImage:
    """A BGR uint8 numpy frame as an RGB QImage (copied: the frame's buffer may be reused)."""
    height, width = frame.shape[:2]
    rgb = frame[:, :, ::-1].copy()
    return QImage(rgb.data, width, height, width * 3, QImage.Format.Format_RGB888).copy()


class _Bridge(QObject):
    frame = Signal(object)


class CameraPreview(QWidget):
    def __init__(self, guide: str) -> None:
        super().__init__()
        if guide not in ("face", "card"):
            raise ValueError(f"unknown guide {guide!r}")
        self.guide = guide
        self.image: QImage | None = None
        self.setFixedSize(*theme.PREVIEW)
        self.setAccessibleName(
            "khung camera: đưa mặt vào khung" if guide == "face" else "khung camera: đưa mã QR vào"
        )
        self._bridge = _Bridge()
        self._bridge.frame.connect(self._show_frame, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = None
        self.frames_shown = 0

    def attach(self, feed: PreviewFeed | None) -> None:
        """Start showing a feed's frames (None: the guide alone)."""
        self.detach()
        if feed is not None:
            self._unsubscribe = feed.subscribe(self._bridge.frame.emit)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.image = None
        self.update()

    def _show_frame(self, frame: Any) -> None:
        if self._unsubscribe is None:
            return  # a frame that was in flight when the screen moved on
        self.image = frame_to_image(frame)
        self.frames_shown += 1
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect())
        if self.image is not None:
            scaled = self.image.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            # Mirrored, like a looking glass: moving left moves the picture left.
            painter.drawImage(0, 0, scaled.mirrored(True, False))
        else:
            painter.fillRect(area, QColor("#E4E8F0"))
        painter.setPen(QPen(QColor(theme.ACCENT), 8, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        w, h = area.width(), area.height()
        if self.guide == "face":
            painter.drawEllipse(QRectF(w * 0.3, h * 0.1, w * 0.4, h * 0.8))
        else:
            painter.drawRoundedRect(QRectF(w * 0.15, h * 0.2, w * 0.7, h * 0.6), 18, 18)
        painter.setPen(QPen(QColor(theme.ACCENT), 6))
        painter.drawRect(area.adjusted(3, 3, -3, -3))
        painter.end()
