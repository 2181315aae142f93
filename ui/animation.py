"""Short looping instructions: a card sliding onto the reader, a face settling into the camera's
frame. Drawn from the shipped pictograms; with `[ui] animations = false` the final frame is shown
still (the instruction is the same, only the motion is gone)."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ui import theme
from ui.widgets import pictogram_pixmap


class LoopAnimation(QWidget):
    """Base: `phase` runs 0 → 1 every ANIMATION_MS; subclasses draw one frame for a phase."""

    def __init__(self, animated: bool, size: int | None = None) -> None:
        super().__init__()
        size = size or theme.PICTOGRAM + theme.px(80)  # read when built: follows the screen
        self.setFixedSize(size, size)
        self.phase = 1.0
        self.animation: QVariantAnimation | None = None
        if animated:
            self.animation = QVariantAnimation(self)
            self.animation.setStartValue(0.0)
            self.animation.setEndValue(1.0)
            self.animation.setDuration(theme.ANIMATION_MS)
            self.animation.setLoopCount(-1)
            self.animation.setEasingCurve(QEasingCurve.Type.InOutQuad)
            self.animation.valueChanged.connect(self._advance)

    def _advance(self, value: float) -> None:
        self.phase = float(value)
        self.update()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        if self.animation is not None:
            self.animation.start()

    def hideEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        if self.animation is not None:
            self.animation.stop()
        self.phase = 1.0

    @property
    def running(self) -> bool:
        return (
            self.animation is not None and self.animation.state() == QVariantAnimation.State.Running
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.draw(painter, self.phase)
        painter.end()

    def draw(self, painter: QPainter, phase: float) -> None:
        raise NotImplementedError


class PlaceCardAnimation(LoopAnimation):
    """The card comes down onto the lit reader (first 60 % of the loop), then rests there. The
    card shows its front: the instruction says the chip (on the back) faces down."""

    CARD = "card_face_up"

    def __init__(self, animated: bool) -> None:
        super().__init__(animated)
        self.setAccessibleName("hình động: đặt thẻ lên đầu đọc")

    def draw(self, painter: QPainter, phase: float) -> None:
        w, h = self.width(), self.height()
        reader = QRectF(w * 0.08, h * 0.45, w * 0.84, h * 0.3)
        lit = phase >= 0.6
        painter.setPen(QPen(QColor(theme.ACCENT), 5))
        painter.setBrush(QColor("#E0A800") if lit else QColor(theme.SURFACE))
        painter.drawRoundedRect(reader, 14, 14)
        travel = min(phase / 0.6, 1.0)
        card = QRectF(w * 0.14, h * (0.0 + 0.25 * travel), w * 0.72, h * 0.5)
        picture = pictogram_pixmap(self.CARD, theme.ACCENT, self.width())
        painter.drawPixmap(card, picture, QRectF(picture.rect()))


class LookAtCameraAnimation(LoopAnimation):
    """The camera's corner marks close in around the face, then hold. Always in the accent
    colour: green means success (docs/ui.md §4), and nothing has matched yet."""

    def __init__(self, animated: bool) -> None:
        super().__init__(animated)
        self.setAccessibleName("hình động: nhìn thẳng vào camera")

    def draw(self, painter: QPainter, phase: float) -> None:
        w, h = self.width(), self.height()
        picture = pictogram_pixmap("face", theme.ACCENT, self.width())
        painter.drawPixmap(
            QRectF(w * 0.2, h * 0.2, w * 0.6, h * 0.6), picture, QRectF(picture.rect())
        )
        inset = 0.02 + 0.12 * min(phase / 0.6, 1.0)
        painter.setPen(QPen(QColor(theme.ACCENT), 8))
        frame = QRectF(w * inset, h * inset, w * (1 - 2 * inset), h * (1 - 2 * inset))
        arm = w * 0.16
        for x, y, dx, dy in (
            (frame.left(), frame.top(), 1, 1),
            (frame.right(), frame.top(), -1, 1),
            (frame.left(), frame.bottom(), 1, -1),
            (frame.right(), frame.bottom(), -1, -1),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * arm), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * arm))
        painter.setPen(Qt.PenStyle.NoPen)
