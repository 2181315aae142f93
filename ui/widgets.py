"""Building blocks every screen uses: big buttons with pictograms, the header, the frame,
tap-to-reveal values."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import theme


def svg_renderer(name: str, colour: str = theme.ACCENT) -> QSvgRenderer:
    with open(theme.pictogram_path(name), encoding="utf-8") as file:
        svg = file.read().replace("#0B3D91", colour)
    return QSvgRenderer(QByteArray(svg.encode("utf-8")))


def tinted_icon(name: str, colour: str, size: int = theme.ICON) -> QIcon:
    """A pictogram redrawn in `colour` (white on the blue primary buttons)."""
    renderer = svg_renderer(name, colour)
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


class BigButton(QPushButton):
    """A touch button ≥ 96 px tall with a pictogram beside its words."""

    def __init__(
        self, text: str, pictogram: str, primary: bool = False, parent: QWidget | None = None
    ):
        super().__init__(text, parent)
        self.pictogram_name = pictogram
        self.primary = primary
        self.setIcon(tinted_icon(pictogram, theme.ON_ACCENT if primary else theme.ACCENT))
        self.setIconSize(QSize(theme.ICON, theme.ICON))
        self.setMinimumHeight(theme.BUTTON_HEIGHT)
        self.setFont(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold))
        self.setProperty("primary", "true" if primary else "false")
        self.setAccessibleName(text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_label(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)


def label(
    text: str,
    px: int = theme.BODY_PX,
    weight: QFont.Weight = QFont.Weight.Normal,
    role: str = "",
    wrap: bool = True,
) -> QLabel:
    widget = QLabel(text)
    widget.setFont(theme.font(px, weight))
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    # Line height ≥ 1.4 for readers who read slowly.
    widget.setStyleSheet("line-height: 140%;")
    return widget


def pictogram(name: str, size: int = theme.PICTOGRAM) -> QSvgWidget:
    widget = QSvgWidget(theme.pictogram_path(name))
    widget.setFixedSize(size, size)
    return widget


class ProgressDots(QWidget):
    """One dot per step of the journey: done and current filled, the rest hollow."""

    def __init__(self) -> None:
        super().__init__()
        self.number = self.total = 0
        self.setFixedHeight(theme.DOT * 2)

    def set_progress(self, number: int, total: int) -> None:
        self.number, self.total = number, total
        self.setFixedWidth(total * theme.DOT * 2 if total else 0)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.ACCENT), 3))
        d = theme.DOT
        for index in range(self.total):
            painter.setBrush(QColor(theme.ACCENT) if index < self.number else QColor(theme.SURFACE))
            painter.drawEllipse(index * d * 2 + 4, d // 2 + 2, d - 4, d - 4)
        painter.end()


class Header(QWidget):
    """Progress ("Bước 3/7" and dots) at the top left; "Nghe lại" and "Gọi cán bộ" at the top
    right, always in the same place."""

    call_staff = Signal()
    replay = Signal()

    def __init__(self, staff_label: str, replay_label: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.BUTTON_GAP)
        column = QVBoxLayout()
        column.setSpacing(4)
        self.progress = label("", theme.SMALL_PX, QFont.Weight.Medium, role="muted", wrap=False)
        column.addWidget(self.progress)
        self.dots = ProgressDots()
        column.addWidget(self.dots)
        row.addLayout(column)
        row.addStretch(1)
        self.replay_button = BigButton(replay_label, "speaker")
        self.replay_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.replay_button.clicked.connect(self.replay)
        row.addWidget(self.replay_button)
        self.staff_button = BigButton(staff_label, "staff")
        self.staff_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.staff_button.clicked.connect(self.call_staff)
        row.addWidget(self.staff_button)

    def set_progress(self, number: int, total: int, word: str) -> None:
        self.progress.setText(f"{word} {number}/{total}" if number else "")
        self.dots.set_progress(number, total)
        self.dots.setVisible(bool(number))


class Frame(QVBoxLayout):
    """Title at the top, the one instruction with its pictogram in the middle, buttons below."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(theme.MARGIN, theme.MARGIN // 2, theme.MARGIN, theme.MARGIN // 2)
        self.setSpacing(20)


class RevealButton(QPushButton):
    """A personal value shown masked (001******345); a tap shows it in full for a few seconds."""

    REMASK_MS = 10_000

    def __init__(self, caption: str, masked: str, full: str, px: int) -> None:
        super().__init__(masked)
        self.caption, self.masked, self.full = caption, masked, full
        self.setFont(theme.font(px, QFont.Weight.DemiBold))
        self.setProperty("reveal", "true")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(theme.BUTTON_HEIGHT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setIcon(tinted_icon("search", theme.ACCENT))
        self.setIconSize(QSize(theme.ICON, theme.ICON))
        self.clicked.connect(self.toggle)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.hide_value)
        self._update_name()

    @property
    def revealed(self) -> bool:
        return self.text() == self.full

    def toggle(self) -> None:
        if self.revealed:
            self.hide_value()
        else:
            self.setText(self.full)
            self._timer.start(self.REMASK_MS)
            self._update_name()

    def hide_value(self) -> None:
        self.setText(self.masked)
        self._update_name()

    def _update_name(self) -> None:
        action = "chạm để che lại" if self.revealed else "chạm để xem đầy đủ"
        self.setAccessibleName(f"{self.caption}, {action}")
