"""What is wrong with an answer, at the field: red words beside a warning sign, never colour alone
(docs/ui.md §4, §12)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui import theme
from ui.widgets import label, pictogram_pixmap

ICON_PX = 48


class _WarningSign(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setFixedSize(ICON_PX, ICON_PX)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self.rect(), pictogram_pixmap("warning", theme.ERROR, ICON_PX))
        painter.end()


class ProblemLine(QWidget):
    """Hidden while there is nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.sign = _WarningSign()
        row.addWidget(self.sign, 0, Qt.AlignmentFlag.AlignTop)
        self.text = label("", theme.BODY_PX, QFont.Weight.DemiBold, role="error")
        self.text.setAccessibleName("lỗi")
        row.addWidget(self.text, 1)
        self.hide()

    def set_text(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(bool(text))
