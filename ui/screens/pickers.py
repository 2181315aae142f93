"""Answers picked with a finger, never typed (docs/ui.md §13): fixed answers as big buttons, a date
as day / month / year with large − and + keys."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk import texts
from kiosk.domain.form_dates import parse_form_date
from ui import theme
from ui.widgets import BigButton, label

CHOICE_GAP = 24


class ChoiceButtons(QWidget):
    """One button per answer, in as many columns as the longest answer allows. Big buttons for a
    few answers, key-sized ones for many; more than the room holds go in pages turned with
    "Trang trước" / "Trang sau" on the last row (no scrolling, docs/ui.md §13). The room is the
    height this widget is given, so it re-lays itself out when that settles."""

    chosen = Signal(str)
    pressed = Signal()

    def __init__(self, language: str = "vi") -> None:
        super().__init__()
        self.language = language
        policy = self.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Ignored)  # takes the room, never asks more
        self.setSizePolicy(policy)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(theme.px(CHOICE_GAP))
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.buttons: dict[str, QPushButton] = {}
        self.shown: tuple[tuple[str, str], ...] = ()
        self.picked = ""
        self.page = 0
        self.pager: list[QWidget] = []
        self._laid_out_for: tuple[int, int] = (-1, -1)

    def set_choices(self, choices: tuple[tuple[str, str], ...], picked: str = "") -> None:
        """`choices`: (the answer sent, the words on its button)."""
        self.picked = picked
        if choices != self.shown:
            self.shown, self.page = choices, 0
            self._lay_out(keep=picked)  # the page with the answer given before
        self._mark()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._laid_out_for != (self.rows_fit(), self.width_for()):
            # The room settled (or changed): pages of another size, still showing what was first.
            self._lay_out(keep=next(iter(self.buttons), ""))
            self._mark()

    def width_for(self) -> int:
        """The room the answers share: the window's width inside the screen's margins (this
        widget may not be laid out yet when the answers arrive)."""
        return self.window().width() - 2 * theme.MARGIN

    def rows_fit(self) -> int:
        """Rows of key-sized buttons the given height holds (at least two: answers and pager)."""
        gap = theme.px(CHOICE_GAP)
        return max(2, (self.height() + gap) // (theme.KEY_HEIGHT + gap))

    def columns(self, words: list[str]) -> int:
        metrics = QFontMetrics(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold))
        widest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        gap = theme.px(CHOICE_GAP)
        cell = widest + theme.ICON + theme.px(80) + gap  # words, pictogram, padding, gap
        return max(1, min(len(words), 5, (self.width_for() + gap) // max(cell, 1)))

    def per_page(self) -> int:
        """Answers on one page: all of them when they fit, else every row but the pager's."""
        columns = self.columns([words for _, words in self.shown])
        rows = self.rows_fit()
        return len(self.shown) if len(self.shown) <= columns * rows else columns * (rows - 1)

    def page_count(self) -> int:
        return max(1, -(-len(self.shown) // max(self.per_page(), 1)))

    def turn(self, pages: int) -> None:
        self.page = max(0, min(self.page + pages, self.page_count() - 1))
        self._lay_out()
        self._mark()

    def _lay_out(self, keep: str = "") -> None:
        """Lay out the page holding the answer `keep` (none: the current page)."""
        self._laid_out_for = (self.rows_fit(), self.width_for())
        answers = [answer for answer, _ in self.shown]
        if keep in answers:
            self.page = answers.index(keep) // max(self.per_page(), 1)
        for old in [*self.buttons.values(), *self.pager]:
            self.grid.removeWidget(old)
            old.hide()  # not drawn under the new answers until it is deleted
            old.deleteLater()
        self.buttons, self.pager = {}, []
        choices = self.shown
        columns = self.columns([words for _, words in choices])
        per_page = self.per_page()
        self.page = min(self.page, self.page_count() - 1)
        on_page = choices[self.page * per_page : (self.page + 1) * per_page]
        rows = -(-len(choices) // columns)
        big = rows <= 3 and len(on_page) == len(choices) and self._big_fits(rows)
        for index, (answer, words) in enumerate(on_page):
            widget = self._button(words, big=big)
            widget.clicked.connect(lambda _=False, a=answer: self.chosen.emit(a))
            widget.pressed.connect(self.pressed)
            self.grid.addWidget(widget, index // columns, index % columns)
            self.buttons[answer] = widget
        if self.page_count() > 1:
            self._add_pager(self.rows_fit() - 1, columns)
        self.grid.activate()
        for shown in [*self.buttons.values(), *self.pager]:
            shown.show()

    def _big_fits(self, rows: int) -> bool:
        gap = theme.px(CHOICE_GAP)
        return self.height() <= 0 or rows * (theme.BUTTON_HEIGHT + gap) - gap <= self.height()

    def _add_pager(self, row: int, columns: int) -> None:
        pages = self.page_count()
        where = texts.get("ui.page", self.language, value=f"{self.page + 1}/{pages}")
        earlier = self._button(texts.get("button.page_prev", self.language), big=False)
        later = self._button(texts.get("button.page_next", self.language), big=False)
        earlier.setEnabled(self.page > 0)
        later.setEnabled(self.page < pages - 1)
        earlier.clicked.connect(lambda: self.turn(-1))
        later.clicked.connect(lambda: self.turn(1))
        self.grid.addWidget(earlier, row, 0)
        self.grid.addWidget(later, row, max(columns - 1, 1))
        self.pager = [earlier, later]
        if columns < 3:  # no cell between the buttons: the page's number goes on "Trang sau"
            later.setText(f"{later.text()} · {where}")
            return
        page = label(where, theme.SMALL_PX, QFont.Weight.Medium, role="muted", wrap=False)
        page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.addWidget(page, row, 1, 1, columns - 2)
        self.pager.insert(1, page)

    def _mark(self) -> None:
        for answer, widget in self.buttons.items():  # the answer given before, marked
            widget.setProperty("primary", "true" if answer == self.picked else "false")
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _button(self, words: str, big: bool) -> QPushButton:
        if big:
            return BigButton(words, "check")
        widget = QPushButton(words)
        widget.setProperty("key", "true")
        widget.setFont(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold))
        widget.setMinimumHeight(theme.KEY_HEIGHT)
        widget.setAccessibleName(words)
        return widget


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
        # + above the number, − below it (± 10 beside ± 1 for years): narrow enough for three.
        self.steps: dict[int, QPushButton] = {}
        for steps in ((1, 10), None, (-1, -10)):
            if steps is None:
                self.number = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold, wrap=False)
                self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.number.setAccessibleName(caption)
                column.addWidget(self.number)
                continue
            row = QHBoxLayout()
            row.setSpacing(16)
            for step in steps if big_steps else steps[:1]:
                row.addWidget(self._step(step, caption))
            column.addLayout(row)
        self.set_range(low, high, low)

    def _step(self, step: int, caption: str) -> QPushButton:
        widget = QPushButton(f"{step:+d}".replace("-", "−") if abs(step) > 1 else "−+"[step > 0])
        widget.setProperty("key", "true")
        widget.setFont(theme.font(theme.TITLE_PX, QFont.Weight.Bold))
        widget.setMinimumSize(theme.CHOICE_WIDTH // 2, theme.KEY_HEIGHT)
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
        row.setSpacing(theme.BUTTON_GAP)
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
