"""Building blocks every screen uses: big buttons with pictograms, the header, the frame,
tap-to-reveal values."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk import texts
from ui import theme


@cache
def _svg_text(name: str, colour: str) -> bytes:
    with open(theme.pictogram_path(name), encoding="utf-8") as file:
        return file.read().replace("#0B3D91", colour).encode("utf-8")


def svg_renderer(name: str, colour: str = theme.ACCENT) -> QSvgRenderer:
    return QSvgRenderer(QByteArray(_svg_text(name, colour)))


@cache
def pictogram_pixmap(name: str, colour: str, size: int) -> QPixmap:
    """A pictogram drawn once at `size` px (twice that, for sharp scaling) and kept: screens and
    buttons paint the picture, they never parse and render the SVG again (GUI thread only)."""
    renderer = svg_renderer(name, colour)
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return pixmap


def tinted_icon(name: str, colour: str, size: int | None = None) -> QIcon:
    """A pictogram redrawn in `colour` (white on the blue primary buttons)."""
    return QIcon(pictogram_pixmap(name, colour, size or theme.ICON))


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
    px: int | None = None,
    weight: QFont.Weight = QFont.Weight.Normal,
    role: str = "",
    wrap: bool = True,
) -> QLabel:
    widget = QLabel(text)
    widget.setFont(theme.font(px or theme.BODY_PX, weight))
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    # Line height ≥ 1.4 for readers who read slowly.
    widget.setStyleSheet("line-height: 140%;")
    return widget


class Pictogram(QWidget):
    """A shipped pictogram, painted from its cached picture."""

    def __init__(self, name: str, size: int | None = None) -> None:
        super().__init__()
        size = size or theme.PICTOGRAM  # read when built: sizes follow the screen (theme.SCALE)
        self.setFixedSize(size, size)
        self.name = ""
        self.set_name(name)

    def set_name(self, name: str) -> None:
        if name != self.name:
            self.name = name
            self.setProperty("pictogram", name)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(
            QRectF(self.rect()),
            pictogram_pixmap(self.name, theme.ACCENT, self.width()),
            QRectF(0, 0, self.width() * 2, self.height() * 2),
        )
        painter.end()


def pictogram(name: str, size: int | None = None) -> Pictogram:
    return Pictogram(name, size)


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
    right, always in the same place. A notice ("Đã báo cán bộ, …", "làm thử") takes the
    progress's place, inside the header's height: showing it never moves or grows anything
    (docs/ui.md §12)."""

    call_staff = Signal()
    replay = Signal()

    def __init__(self, staff_label: str, replay_label: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.BUTTON_GAP)
        self.progress_box = QWidget()
        column = QVBoxLayout(self.progress_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.progress = label("", theme.SMALL_PX, QFont.Weight.Medium, role="muted", wrap=False)
        column.addWidget(self.progress)
        self.dots = ProgressDots()
        column.addWidget(self.dots)
        row.addWidget(self.progress_box)
        self.notice = label("", theme.SMALL_PX, QFont.Weight.Medium, role="banner")
        self.notice.setAccessibleName("notice")
        self.notice.setMaximumHeight(theme.BUTTON_HEIGHT)
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notice.hide()
        row.addWidget(self.notice, 1)
        self.spacer = QWidget()  # keeps the buttons at the right while no notice shows
        self.spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.spacer, 1)
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

    def set_notice(self, text: str) -> None:
        """Show `text` in the progress's place ("" shows the progress again)."""
        self.notice.setText(text)
        # What goes hides before what comes shows: both at once are wider than a 1280 panel,
        # and showing lays the window out at once.
        for widget in (self.notice, self.progress_box, self.spacer):
            if widget.isVisibleTo(self) and (widget is self.notice) != bool(text):
                widget.hide()
        self.notice.setVisible(bool(text))
        self.progress_box.setVisible(not text)
        self.spacer.setVisible(not text)


class Frame(QVBoxLayout):
    """Title at the top, the one instruction with its pictogram in the middle, buttons below."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(theme.MARGIN, theme.MARGIN // 2, theme.MARGIN, theme.MARGIN // 2)
        self.setSpacing(theme.px(20))


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

    def set_values(self, caption: str, masked: str, full: str) -> None:
        """Show another value in the same button (masked again)."""
        self.caption, self.masked, self.full = caption, masked, full
        self.hide_value()

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
        action = texts.get("ui.tap_to_hide" if self.revealed else "ui.tap_to_reveal")
        self.setAccessibleName(f"{self.caption}, {action}")
