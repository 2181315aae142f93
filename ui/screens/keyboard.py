"""The Vietnamese on-screen keyboard for the rare correction of a prefilled value.

Letters compose with Telex (`ui.telex`: "ee" → "ê", "s" after a vowel → sắc …); for people who
never learned Telex, a row of tone keys (á à ả ã ạ) puts the tone on the word being typed.
It fills the screen, so that its keys stay large even at 1366×768, and ends with "Lưu" (save, the
value goes to the journey as a correction) or "Huỷ" (cancel, nothing changes).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.journey.texts import button, phrase
from ui import theme
from ui.telex import TelexBuffer
from ui.widgets import BigButton, label

ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm,./"]
TONE_KEYS = [("á", "s", "dấu sắc"), ("à", "f", "dấu huyền"), ("ả", "r", "dấu hỏi"),
             ("ã", "x", "dấu ngã"), ("ạ", "j", "dấu nặng")]  # fmt: skip


class VietnameseKeyboard(QWidget):
    saved = Signal(str)
    cancelled = Signal()

    def __init__(self, language: str = "vi", form: str = "Bác") -> None:
        super().__init__()
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.buffer = TelexBuffer()
        self.shift = False
        column = QVBoxLayout(self)
        column.setContentsMargins(theme.MARGIN, theme.MARGIN // 2, theme.MARGIN, theme.MARGIN // 2)
        column.setSpacing(12)
        self.caption = label("", theme.SMALL_PX, role="muted")
        column.addWidget(self.caption)
        self.display = label("", theme.TITLE_PX, QFont.Weight.Bold)
        self.display.setAccessibleName("chữ đang sửa")
        column.addWidget(self.display)
        self.hint = label(phrase("correct_field", language, form), theme.SMALL_PX, role="muted")
        column.addWidget(self.hint)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.keys: dict[str, QPushButton] = {}
        for row, keys in enumerate(ROWS):
            for col, key in enumerate(keys):
                self._key(grid, key, key, key, row, col)
        self._key(grid, "⌫", "backspace", "xoá một chữ", 2, 9)
        last = len(ROWS)
        self.shift_key = self._key(grid, "Chữ hoa", "shift", "chữ hoa", last, 0, 2)
        self._key(grid, "Dấu cách", "space", "dấu cách", last, 2, 3)
        for index, (shown, telex_key, name) in enumerate(TONE_KEYS):
            self._key(grid, shown, telex_key, name, last, 5 + index)
        column.addLayout(grid, 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(theme.BUTTON_GAP)
        self.cancel = BigButton(button("cancel", language), "back")
        self.cancel.setMaximumWidth(420)
        self.cancel.clicked.connect(self.cancelled)
        bottom.addWidget(self.cancel)
        bottom.addStretch(1)
        self.save = BigButton(button("save", language), "check", primary=True)
        self.save.setMaximumWidth(520)
        self.save.clicked.connect(lambda: self.saved.emit(self.text().strip()))
        bottom.addWidget(self.save)
        column.addLayout(bottom)

    def _key(
        self, grid: QGridLayout, shown: str, key: str, name: str, row: int, col: int, span: int = 1
    ) -> QPushButton:
        widget = QPushButton(shown)
        widget.setProperty("key", "true")
        widget.setFont(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold))
        widget.setMinimumHeight(theme.KEY_HEIGHT)
        widget.setMinimumWidth(60)
        widget.setAccessibleName(name)
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        widget.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(widget, row, col, 1, span)
        self.keys[key] = widget
        return widget

    def start(self, caption: str, value: str) -> None:
        self.caption.setText(caption)
        self.buffer.set_text(value)
        self.shift = False
        self._show()

    def press(self, key: str) -> None:
        if key == "backspace":
            self.buffer.backspace()
        elif key == "shift":
            self.shift = not self.shift
        elif key == "space":
            self.buffer.press(" ")
        else:
            self.buffer.press(key.upper() if self.shift and key.isalpha() else key)
            self.shift = False
        self._show()

    def type_keys(self, keys: str) -> None:
        """Press a sequence of keys (as a person would, one key at a time)."""
        for key in keys:
            self.press("space" if key == " " else key)

    def text(self) -> str:
        return self.buffer.text

    def _show(self) -> None:
        self.display.setText(self.buffer.text + "|")
        self.shift_key.setProperty("primary", "true" if self.shift else "false")
        self.shift_key.style().unpolish(self.shift_key)
        self.shift_key.style().polish(self.shift_key)
