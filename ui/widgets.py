"""Building blocks every screen uses: big buttons with pictograms, the header, the frame."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui import theme


def tinted_icon(name: str, colour: str, size: int = theme.ICON) -> QIcon:
    """A pictogram redrawn in `colour` (white on the blue primary buttons)."""
    with open(theme.pictogram_path(name), encoding="utf-8") as file:
        svg = file.read().replace("#0B3D91", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
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
        self.setIcon(tinted_icon(pictogram, theme.ON_ACCENT if primary else theme.ACCENT))
        self.setIconSize(QSize(theme.ICON, theme.ICON))
        self.setMinimumHeight(theme.BUTTON_HEIGHT)
        self.setFont(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold))
        self.setProperty("primary", "true" if primary else "false")
        self.setAccessibleName(text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


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


class Header(QWidget):
    """Progress ("Bước 3/7") at the top left, "Gọi cán bộ" always at the top right."""

    call_staff = Signal()

    def __init__(self, staff_label: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.progress = label("", theme.SMALL_PX, QFont.Weight.Medium, role="muted", wrap=False)
        row.addWidget(self.progress)
        row.addStretch(1)
        self.staff_button = BigButton(staff_label, "staff")
        self.staff_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.staff_button.clicked.connect(self.call_staff)
        row.addWidget(self.staff_button)

    def set_progress(self, number: int, total: int, word: str) -> None:
        self.progress.setText(f"{word} {number}/{total}" if number else "")


class Frame(QVBoxLayout):
    """Title at the top, the one instruction with its pictogram in the middle, buttons below."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(theme.MARGIN, theme.MARGIN // 2, theme.MARGIN, theme.MARGIN // 2)
        self.setSpacing(24)
