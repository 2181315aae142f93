"""A large numeric keypad: the only keyboard a citizen sees (phone number, OTP)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui import theme
from ui.widgets import label


class Keypad(QWidget):
    changed = Signal(str)

    def __init__(self, min_length: int, max_length: int, key_height: int | None = None) -> None:
        """`key_height` at the 1366×768 design (scaled here); the default is a button's less 8."""
        super().__init__()
        height = (
            theme.px(key_height) if key_height is not None else theme.BUTTON_HEIGHT - theme.px(8)
        )
        self.min_length, self.max_length = min_length, max_length
        self._digits = ""
        # The display is placed by the screen (beside the instruction); the keys live here.
        self.display = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold, wrap=False)
        self.display.setAccessibleName("số đã nhập")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.px(24))
        # Four columns, three rows: fits beside the instruction even at 1366×768.
        keys = ["1", "2", "3", "Xoá", "4", "5", "6", "Lùi", "7", "8", "9", "0"]
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate(keys):
            widget = QPushButton(key)
            widget.setFont(theme.font(theme.TITLE_PX, QFont.Weight.Bold))
            widget.setMinimumSize(theme.px(130), height)
            widget.setProperty("key", "true")  # the digit in the middle of its key
            widget.setAccessibleName({"Xoá": "xoá hết", "Lùi": "xoá một số"}.get(key, key))
            widget.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(widget, index // 4, index % 4)
            self.keys[key] = widget

    def press(self, key: str) -> None:
        if key == "Xoá":
            self._digits = ""
        elif key == "Lùi":
            self._digits = self._digits[:-1]
        elif len(self._digits) < self.max_length:
            self._digits += key
        self.display.setText(" ".join(self._digits) or "_")
        self.changed.emit(self._digits)

    def text(self) -> str:
        return self._digits

    def complete(self) -> bool:
        return self.min_length <= len(self._digits) <= self.max_length

    def clear(self) -> None:
        self._digits = ""
        self.display.setText("_")
