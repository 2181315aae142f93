"""Answers picked with a finger, never typed (docs/ui.md §12): fixed answers as big buttons, a date
as day / month / year with large − and + keys."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk import texts
from kiosk.domain.form_dates import parse_form_date
from ui import theme
from ui.widgets import BigButton, label

CHOICE_GAP = 24


class ChoiceButtons(QWidget):
    """One big button per answer, in as many columns as keep every answer on screen."""

    chosen = Signal(str)
    pressed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(CHOICE_GAP)
        self.buttons: dict[str, BigButton] = {}
        self.shown: tuple[str, ...] = ()

    def set_choices(self, choices: tuple[str, ...], picked: str = "") -> None:
        if choices != self.shown:
            self.shown = choices
            for old in self.buttons.values():
                self.grid.removeWidget(old)
                old.deleteLater()
            self.buttons = {}
            columns = 1 if len(choices) <= 3 else 2 if len(choices) <= 8 else 5
            for index, choice in enumerate(choices):
                widget = BigButton(choice, "check")
                widget.clicked.connect(lambda _=False, c=choice: self.chosen.emit(c))
                widget.pressed.connect(self.pressed)
                self.grid.addWidget(widget, index // columns, index % columns)
                self.buttons[choice] = widget
        for choice, widget in self.buttons.items():  # the answer given before, marked
            widget.setProperty("primary", "true" if choice == picked else "false")
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class _Wheel(QWidget):
    """One part of a date: its caption, the number, and − / + keys (± 10 for years)."""

    changed = Signal()

    def __init__(self, caption: str, low: int, high: int, big_steps: bool = False) -> None:
        super().__init__()
        self.low, self.high, self.value = low, high, low
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.caption = label(caption, theme.SMALL_PX, role="muted")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.caption)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.steps: dict[int, QPushButton] = {}
        for step in (-10, -1) if big_steps else (-1,):
            row.addWidget(self._step(step, caption))
        self.number = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold, wrap=False)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setMinimumWidth(200 if big_steps else 110)
        self.number.setAccessibleName(caption)
        row.addWidget(self.number)
        for step in (1, 10) if big_steps else (1,):
            row.addWidget(self._step(step, caption))
        column.addLayout(row)
        self.set_range(low, high, low)

    def _step(self, step: int, caption: str) -> QPushButton:
        widget = QPushButton(f"{step:+d}".replace("-", "−") if abs(step) > 1 else "−+"[step > 0])
        widget.setFont(theme.font(theme.TITLE_PX, QFont.Weight.Bold))
        widget.setMinimumSize(theme.BUTTON_HEIGHT, theme.BUTTON_HEIGHT)
        name = "bớt" if step < 0 else "thêm"
        widget.setAccessibleName(f"{caption} {name} {abs(step)}")
        widget.setAutoRepeat(True)  # held down, it keeps counting
        widget.setAutoRepeatDelay(600)
        widget.setAutoRepeatInterval(150)
        widget.clicked.connect(lambda _=False, s=step: self.set_value(self.value + s))
        self.steps[step] = widget
        return widget

    def set_range(self, low: int, high: int, value: int) -> None:
        self.low, self.high = low, high
        self.set_value(value)

    def set_value(self, value: int) -> None:
        self.value = max(self.low, min(self.high, value))
        self.number.setText(str(self.value))
        for step, widget in self.steps.items():
            widget.setEnabled(self.low <= self.value + (step // abs(step)) <= self.high)
        self.changed.emit()


class DatePicker(QWidget):
    """Day, month and year, each with large − / + keys: no typing, no format to know. The
    journey checks the date (real, in range) when it is given."""

    def __init__(self, language: str = "vi") -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(48)
        self.day = _Wheel(texts.get("ui.form.day", language), 1, 31)
        self.month = _Wheel(texts.get("ui.form.month", language), 1, 12)
        self.year = _Wheel(texts.get("ui.form.year", language), 1900, 2100, big_steps=True)
        for wheel in (self.day, self.month, self.year):
            row.addWidget(wheel)
        row.addStretch(1)

    def start(self, years: tuple[int, int], value: str, today: date) -> None:
        """Show `value` (dd/mm/yyyy) or, with none, today's date within the offered years."""
        first, last = years
        shown = parse_form_date(value) or today
        year = max(first, min(last, shown.year))
        self.year.set_range(first, last, year)
        self.month.set_value(shown.month)
        self.day.set_value(shown.day)

    def text(self) -> str:
        return f"{self.day.value:02d}/{self.month.value:02d}/{self.year.value}"
