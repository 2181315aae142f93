"""The Vietnamese on-screen keyboard: the last resort for an answer no list can offer (a name).

Every letter has its own key — â ê ô ơ ư ă đ beside the Latin ones, and the five tone marks as
keys (á à ả ã ạ) that put the tone on the word being typed — so nobody needs to know Telex; Telex
still works for those who do (`ui.telex`). Key labels are only glyphs the bundled font has
(`missing_glyphs`: the font has no ⌫, so that key says "Xoá"). It covers the screen below the
header, never "Gọi cán bộ" (docs/ui.md §13), and ends with "Tiếp tục" (the answer goes to the
journey, checked there) or "Quay lại".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QRawFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk import texts
from kiosk.journey.texts import button
from ui import theme
from ui.screens.problem import ProblemLine
from ui.telex import TelexBuffer
from ui.widgets import BigButton, label

COLUMNS = 12
# Letter rows: the Latin keys as on every keyboard, the Vietnamese letters at the row ends.
ROWS = ["1234567890", "qwertyuiopăâ", "asdfghjklđêô", "zxcvbnmơư,.-"]
TONE_KEYS = [("á", "s", "dấu sắc"), ("à", "f", "dấu huyền"), ("ả", "r", "dấu hỏi"),
             ("ã", "x", "dấu ngã"), ("ạ", "j", "dấu nặng")]  # fmt: skip
KEY_GAP = 6  # with 72 px keys, thirteen columns fit a 1280 px wide panel


def missing_glyphs(labels: list[str], font: QFont) -> list[str]:
    """The labels with a character `font` itself cannot draw. (QFontMetrics.inFontUcs4 answers
    for the font with its fallbacks, which a kiosk PC may not have: it says yes to ⌫.)"""
    raw = QRawFont.fromFont(font)
    return [text for text in labels if not all(raw.supportsCharacter(ord(c)) for c in text)]


class VietnameseKeyboard(QWidget):
    saved = Signal(str)
    cancelled = Signal()
    skipped = Signal()
    finish_asked = Signal()  # "Kết thúc"

    def __init__(self, language: str = "vi", form: str = "Bác") -> None:
        super().__init__()
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.buffer = TelexBuffer()
        self.shift = False
        column = QVBoxLayout(self)
        # A gap above "Kết thúc" from "Gọi cán bộ" just over it (≥ 24 px between targets).
        column.setContentsMargins(
            theme.MARGIN // 2, theme.px(24), theme.MARGIN // 2, theme.MARGIN // 2
        )
        column.setSpacing(8)
        # What is being written, and at its right "Kết thúc": the keyboard covers the screen's
        # bottom bar, and a citizen must always have a way out (docs/ui.md §12).
        top = QHBoxLayout()
        words = QVBoxLayout()
        words.setSpacing(8)
        self.caption = label("", theme.SMALL_PX, role="muted")
        words.addWidget(self.caption)
        self.display = label("", theme.TITLE_PX, QFont.Weight.Bold)
        self.display.setAccessibleName("chữ đang viết")
        words.addWidget(self.display)
        top.addLayout(words, 1)
        self.finish = BigButton(button("exit.finish", language), "cross")
        self.finish.clicked.connect(self.finish_asked)
        top.addWidget(self.finish, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.problem = ProblemLine()
        column.addWidget(self.problem)
        grid = QGridLayout()
        grid.setSpacing(KEY_GAP)
        self.keys: dict[str, QPushButton] = {}
        for row, keys in enumerate(ROWS):
            for col, key in enumerate(keys):
                self._key(grid, key, key, key, row, col)
        word = {name: texts.get(f"ui.form.{name}", language) for name in ("backspace", "shift",
                                                                            "space")}  # fmt: skip
        self._key(grid, word["backspace"], "backspace", "xoá một chữ", 0, 10, 2)
        last = len(ROWS)
        self.shift_key = self._key(grid, word["shift"], "shift", "chữ hoa", last, 0, 2)
        for index, (shown, tone_key, name) in enumerate(TONE_KEYS):
            self._key(grid, shown, "tone-" + tone_key, name, last, 2 + index)
        self._key(grid, word["space"], "space", "dấu cách", last, 7, 5)
        # The answer's buttons in their own column at the right: the rows keep their 76 px.
        self.cancel = BigButton(button("back", language), "back")
        self.cancel.clicked.connect(self.cancelled)
        grid.addWidget(self.cancel, 0, COLUMNS, 2, 1)
        self.skip = BigButton(button("form.skip", language), "cross")
        self.skip.clicked.connect(self.skipped)
        grid.addWidget(self.skip, 2, COLUMNS, 1, 1)
        self.save = BigButton(button("next", language), "check", primary=True)
        self.save.clicked.connect(lambda: self.saved.emit(self.text().strip()))
        grid.addWidget(self.save, 3, COLUMNS, 2, 1)
        for action in (self.cancel, self.skip, self.save):
            action.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            action.setMinimumWidth(action.sizeHint().width())  # words never cut
        column.addStretch(1)  # the keys sit at the bottom, the words being written at the top
        column.addLayout(grid)

    def _key(
        self, grid: QGridLayout, shown: str, key: str, name: str, row: int, col: int, span: int = 1
    ) -> QPushButton:
        widget = QPushButton(shown)
        widget.setProperty("key", "true")
        widget.setFont(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold))
        widget.setMinimumHeight(theme.KEY_HEIGHT)
        widget.setMinimumWidth(theme.MIN_KEY)
        widget.setAccessibleName(name)
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        widget.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(widget, row, col, 1, span)
        self.keys[key] = widget
        return widget

    def start(self, caption: str, value: str, optional: bool = False) -> None:
        self.caption.setText(caption)
        self.buffer.set_text(value)
        self.shift = False
        self.skip.setVisible(optional)
        self.problem.set_text("")
        self._show()

    def show_problem(self, text: str) -> None:
        self.problem.set_text(text)

    def press(self, key: str) -> None:
        if key == "backspace":
            self.buffer.backspace()
        elif key == "shift":
            self.shift = not self.shift
        elif key == "space":
            self.buffer.press(" ")
        elif key.startswith("tone-"):
            self.buffer.tone(key.removeprefix("tone-"))
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

    def labels(self) -> list[str]:
        return [key.text() for key in self.keys.values()]

    def _show(self) -> None:
        self.display.setText(self.buffer.text + "|")
        self.shift_key.setProperty("primary", "true" if self.shift else "false")
        self.shift_key.style().unpolish(self.shift_key)
        self.shift_key.style().polish(self.shift_key)
