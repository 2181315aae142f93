"""The form: the chip's review card, then only what the chip cannot know, one question at a time,
each with the control that fits it (docs/ui.md §13). The screen decides nothing: it sends the
answer and shows what the journey says about it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.forms import Control
from kiosk.journey.events import Back, ChipDataWrong, Confirmed, FieldCorrected, FieldSkipped
from kiosk.journey.texts import button
from kiosk.journey.view import Row, StepView
from kiosk.journey.view_data import Question
from ui import theme
from ui.screens.base import EXIT_GAP
from ui.screens.instruction import InstructionScreen
from ui.screens.keyboard import VietnameseKeyboard
from ui.screens.keypad import Keypad
from ui.screens.pickers import ChoiceButtons, DatePicker
from ui.screens.problem import ProblemLine
from ui.widgets import BigButton, RevealButton, label

KEYPAD_KEY = 80  # keypad keys in a question: ≥ 72 (docs/ui.md §5), room for the problem line
LONG_VALUE = 26  # characters: a value this long gets the card's whole width


def group_digits(digits: str) -> str:
    """0912345678 → "0912 345 678": digits read in small groups (docs/ui.md §2)."""
    head, rest = digits[:4], digits[4:]
    groups = [head] + [rest[i : i + 3] for i in range(0, len(rest), 3)]
    return " ".join(g for g in groups if g) or "_"


class ChipCard(QWidget):
    """Everything the chip proved, read-only, two values a line (a long one takes the line)."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(theme.px(32))
        self.grid.setVerticalSpacing(theme.px(14))
        self.widgets: list[QWidget] = []
        self.reveal_buttons: list[RevealButton] = []
        self.values: list[QLabel] = []
        self.shown: tuple[Row, ...] | None = None

    def set_rows(self, rows: tuple[Row, ...]) -> None:
        if rows == self.shown:
            return
        self.shown = rows
        for old in self.widgets:
            self.grid.removeWidget(old)
            old.hide()  # not drawn under the new rows until it is deleted
            old.deleteLater()
        self.widgets, self.reveal_buttons, self.values = [], [], []
        line, column = 0, 0
        for row in rows:
            wide = len(row.value) > LONG_VALUE
            if wide and column:
                line, column = line + 1, 0
            caption = label(row.label, theme.SMALL_PX, role="muted", wrap=False)
            value: QWidget
            if row.reveal:
                value = RevealButton(row.label, row.value, row.reveal, theme.BODY_PX)
                self.reveal_buttons.append(value)
            else:
                value = label(row.value, theme.BODY_PX, QFont.Weight.DemiBold)
                value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                self.values.append(value)
            self.grid.addWidget(caption, line, column, Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(value, line, column + 1, 1, 3 if wide else 1)
            self.widgets += [caption, value]
            column = 0 if wide or column else 2
            line += 1 if column == 0 else 0
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.grid.setRowStretch(line + 1, 1)

    def needed_width(self) -> int:
        """The narrowest the card can be, counted from its widgets whether or not Qt has shown
        them yet (new rows are shown by a queued call, after the screen decides its layout)."""
        columns: dict[int, int] = {}
        for index in range(self.grid.count()):
            item = self.grid.itemAt(index)
            widget = item.widget() if item is not None else None
            position: tuple[int, int, int, int] = self.grid.getItemPosition(index)  # type: ignore[assignment]
            _, column, _, span = position
            if widget is not None and span == 1:
                columns[column] = max(columns.get(column, 0), widget.minimumSizeHint().width())
        return sum(columns.values()) + self.grid.horizontalSpacing() * max(0, len(columns) - 1)


class FormScreen(InstructionScreen):
    """The chip's card ("Đúng" / "Thông tin này sai"), then one question per screen."""

    pictogram_name = "card"

    def build_actions(self) -> None:
        self.card = ChipCard()
        # One page shown at a time; hidden pages take no room (a stack would size to the largest).
        self.answer_pages = QWidget()
        self.page_column = QVBoxLayout(self.answer_pages)
        self.page_column.setContentsMargins(0, 0, 0, 0)
        self.page_column.addWidget(self.card)
        self.question_pages: dict[Control, QWidget] = {}
        self.problem = ProblemLine()
        self.choice = ChoiceButtons(self.language)
        self.choice.chosen.connect(self._answer)
        self.choice.pressed.connect(self.pressed)
        self.date = DatePicker(self.language)
        self.keypad = Keypad(1, 12, key_height=KEYPAD_KEY)
        self.number = label("_", theme.BIG_NUMBER_PX, QFont.Weight.Bold, wrap=False)
        self.number.setAccessibleName("số đã nhập")
        self.keypad.changed.connect(lambda digits: self.number.setText(group_digits(digits)))
        self._add_page(Control.CHOICE, self.choice)
        self._add_page(Control.PLACE, self.choice)  # the villages: the same big buttons
        self._add_page(Control.DATE, self.date)
        number_column = QVBoxLayout()
        number_column.addWidget(self.number)
        number_column.addStretch(1)
        keypad_row = QHBoxLayout()
        keypad_row.addLayout(number_column, 1)
        keypad_row.addWidget(self.keypad)
        keypad_host = QWidget()
        keypad_host.setLayout(keypad_row)
        self._add_page(Control.KEYPAD, keypad_host)
        self._add_page(Control.KEYBOARD, QWidget())  # the keyboard lies over the screen
        self.extra.addWidget(self.answer_pages, 1)
        self.extra.addWidget(self.problem)
        # The bottom bar: "Quay lại", then what this screen answers with.
        self.wrong = BigButton(button("form.wrong", self.language), "warning")
        self.wrong.clicked.connect(lambda: self.send(ChipDataWrong()))
        self.skip = BigButton(button("form.skip", self.language), "cross")
        self.skip.clicked.connect(self._skip)
        self.other_place = BigButton(button("form.other_place", self.language), "edit")
        self.other_place.clicked.connect(self.open_keyboard)
        self.yes = BigButton(button("yes", self.language), "check", primary=True)
        self.yes.clicked.connect(lambda: self.send(Confirmed()))
        self.next = BigButton(button("next", self.language), "check", primary=True)
        self.next.clicked.connect(self._give)
        for action in (self.wrong, self.skip, self.other_place, self.yes, self.next):
            action.setMinimumWidth(theme.CHOICE_WIDTH)
            self.bottom.addWidget(action)
        # Four buttons share the card's bar: the push to the right goes inside the ways out (one
        # gap fewer), "Đúng" is only as wide as its word, and where "Thông tin này sai" still does
        # not fit (a 1280-pixel panel) it goes under the card, where such a panel has the room.
        stretch = self.bottom.takeAt(1)
        assert stretch is not None and stretch.spacerItem() is not None
        item = self.bottom.itemAt(0)
        exits = item.layout() if item is not None else None
        assert isinstance(exits, QHBoxLayout)
        exits.addStretch(1)
        # The answers' buttons as wide as their words where that is less: with both ways out,
        # "Không có" and "Tiếp tục" share a 1280-pixel panel's bar.
        for action in (self.yes, self.skip, self.other_place, self.next):
            action.setMinimumWidth(min(theme.CHOICE_WIDTH, action.sizeHint().width()))
        self.wrong_row = QHBoxLayout()
        self.wrong_row.addStretch(1)
        self.extra.addLayout(self.wrong_row)
        # Until a view says which answer is asked, the chip's card's two answers only: five
        # buttons side by side would make the screen wider than the window.
        for action in (self.skip, self.other_place, self.next):
            action.hide()
        self.blank = QWidget()  # the body's page while the keyboard lies over it
        self.pages.addWidget(self.blank)
        keep = self.bottom_host.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.bottom_host.setSizePolicy(keep)
        # The keyboard covers the screen below the header ("Gọi cán bộ" stays in reach).
        self.keyboard = VietnameseKeyboard(self.language, self.options.form)
        self.keyboard.setParent(self)
        self.keyboard.hide()
        self.keyboard.saved.connect(self._answer)
        self.keyboard.cancelled.connect(self._keyboard_back)
        self.keyboard.skipped.connect(self._skip)
        self.keyboard.finish_asked.connect(self.finish_asked)
        self.question: Question | None = None

    def _add_page(self, control: Control, widget: QWidget) -> None:
        if self.page_column.indexOf(widget) < 0:
            self.page_column.addWidget(widget)
            widget.hide()
        self.question_pages[control] = widget

    def _show_page(self, page: QWidget) -> None:
        # The old page hides before the new one shows: showing lays the screen out at once, and
        # two pages at a time are taller than the window, which would grow to hold them.
        for widget in (self.card, *self.question_pages.values()):
            if widget is not page:
                widget.hide()
        page.show()

    # --- answers -----------------------------------------------------------------------------

    def _answer(self, value: str) -> None:
        if self.question is not None:
            self.send(FieldCorrected(self.question.key, value))

    def _give(self) -> None:
        """ "Tiếp tục": the date picked or the digits typed."""
        if self.question is None:
            return
        if self.question.control == Control.DATE:
            self._answer(self.date.text())
        elif self.question.control == Control.KEYPAD:
            self._answer(self.keypad.text())

    def _skip(self) -> None:
        if self.question is not None and self.question.optional:
            self.send(FieldSkipped(self.question.key))

    def _keyboard_back(self) -> None:
        question = self.question
        if question is not None and question.control == Control.PLACE:
            self.close_keyboard()  # back to the village list
        else:
            self.send_back()

    def send_back(self) -> None:
        self.send(Back())

    # --- the keyboard ------------------------------------------------------------------------

    def open_keyboard(self) -> None:
        question = self.question
        caption = question.label if question else self.title.text()
        value = question.value if question else ""
        self.keyboard.start(caption, value, optional=bool(question and question.optional))
        self._place_keyboard()
        self._covered(True)
        self.keyboard.show()
        self.keyboard.raise_()

    def close_keyboard(self) -> None:
        self.keyboard.hide()
        self._covered(False)

    def _covered(self, covered: bool) -> None:
        """What the keyboard lies over is hidden, not only covered: its buttons must not be
        found (nor tapped) under the keys. Their room is kept, so the header does not move."""
        if covered:
            self.pages.setCurrentWidget(self.blank)
        elif self.pages.currentWidget() is self.blank:
            onlooker = self.view is not None and self.view.onlooker
            self.pages.setCurrentWidget(self.cover if onlooker else self.body_host)
        self.bottom_host.setVisible(not covered)

    def _place_keyboard(self) -> None:
        top = self.header.geometry().bottom() + 12
        self.keyboard.setGeometry(0, top, self.width(), self.height() - top)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._place_keyboard()
        self._place_wrong()
        if self.question is None:
            self.picture.setVisible(self._card_has_room_for_picture())

    def set_can_finish(self, can: bool) -> None:
        self._place_wrong(finish=can)  # "Kết thúc" takes the bar's room: placed before shown
        super().set_can_finish(can)
        self.keyboard.finish.setVisible(can)  # the keyboard covers the bar: its own way out

    def _card_has_room_for_picture(self) -> bool:
        """The pictogram beside the chip's card only where both fit (not on a 1280 panel)."""
        needed = self.picture.minimumWidth() + self.row.spacing()
        needed += self.card.needed_width() + 2 * theme.MARGIN
        return needed <= self.window().width()

    def _show_answers(self, wanted: list[BigButton]) -> None:
        """The bar's answers: the others hidden first, the wanted placed, then shown (showing
        lays the screen out at once: with too many buttons the window would grow)."""
        for widget in (self.wrong, self.skip, self.other_place, self.yes, self.next):
            if widget not in wanted:
                widget.hide()
        self._place_wrong(wanted)
        for widget in wanted:
            widget.show()

    def _place_wrong(
        self, shown: list[BigButton] | None = None, finish: bool | None = None
    ) -> None:
        """ "Thông tin này sai" and "Không có" in the bottom bar when the bar has their room,
        else under the answers (a 1280-pixel panel has room below, not beside)."""
        answers = [self.wrong, self.skip, self.other_place, self.yes, self.next]
        if shown is None:
            shown = [w for w in answers if w.isVisibleTo(self)]
        if finish is None:
            finish = self.finish_button.isVisibleTo(self)
        movable = [w for w in (self.wrong, self.skip) if w in shown]
        below: list[BigButton] = []
        while movable and self._bar_width([w for w in shown if w not in below], finish) > (
            self._room()
        ):
            below.append(movable.pop(0))
        for widget in answers:
            in_bar = self.bottom.indexOf(widget) >= 0
            if widget in below and in_bar:
                self.bottom.removeWidget(widget)
                self.wrong_row.addWidget(widget)
            elif widget not in below and not in_bar and widget in (self.wrong, self.skip):
                self.wrong_row.removeWidget(widget)
                later = [
                    w for w in answers[answers.index(widget) + 1 :] if self.bottom.indexOf(w) >= 0
                ]
                self.bottom.insertWidget(self.bottom.indexOf(later[0]), widget)

    def _room(self) -> int:
        return self.window().width() - 2 * theme.MARGIN

    def _bar_width(self, answers: list[BigButton], finish: bool) -> int:
        """The bottom bar's narrowest width with the ways out shown and these answers."""
        exits = [self.back_button] if self.back_button.isVisibleTo(self) else []
        exits += [self.finish_button] if finish else []
        width = sum(max(w.minimumWidth(), w.sizeHint().width()) for w in exits + answers)
        width += EXIT_GAP * max(0, len(exits) - 1)
        return width + self.bottom.spacing() * len(answers)

    # --- rendering ---------------------------------------------------------------------------

    def show_view(self, view: StepView) -> None:
        super().show_view(view)  # shows the body again: the keyboard, if up, still covers it
        if self.keyboard.isVisible():
            self._covered(True)

    def render_view(self, view: StepView) -> None:
        question = view.question
        new_question = (
            question is None or self.question is None or (question.key != self.question.key)
        )
        self.question = question
        asking = question is not None
        self.picture.setVisible(not asking and self._card_has_room_for_picture())
        if self.instruction is not None:
            self.instruction.setVisible(False)  # said aloud; the card or question is the text
        for choice in (self.yes, self.wrong, self.next, self.skip):  # nothing while prefilling
            choice.setEnabled(view.ready)
        if question is None:
            self._show_page(self.card)
            self.card.set_rows(view.rows)
            self.picture.setVisible(self._card_has_room_for_picture())
            self._show_answers([self.wrong, self.yes])
            self.problem.set_text("")
            self.close_keyboard()
            return
        control = Control(question.control)
        self._show_page(self.question_pages[control])
        self.problem.set_text(question.problem)
        self.keyboard.show_problem(question.problem)
        answers = [self.skip] if question.optional else []
        answers += [self.other_place] if control is Control.PLACE else []
        answers += [self.next] if control in (Control.DATE, Control.KEYPAD) else []
        self._show_answers(answers)
        if not new_question:
            self._keyboard_for(view, control, reopen=False)
            return
        if control is Control.CHOICE:
            self.choice.set_choices(tuple((c, c) for c in question.choices), question.value)
        elif control is Control.PLACE:  # the village's name on its button, the address sent
            places = tuple((c, c.split(",")[0]) for c in question.choices)
            self.choice.set_choices(places, question.value)
        elif control is Control.DATE:
            self.date.start(question.years, question.value, datetime.now(VIETNAM).date())
        elif control is Control.KEYPAD:
            self.keypad.min_length, self.keypad.max_length = 1, question.digits
            self.keypad.clear()
            for digit in question.value[: question.digits]:
                self.keypad.press(digit)
            self.number.setText(group_digits(self.keypad.text()))
        self.close_keyboard()
        self._keyboard_for(view, control, reopen=True)

    def _keyboard_for(self, view: StepView, control: Control, reopen: bool) -> None:
        """A question only the keyboard can answer opens it at once; someone standing close
        hides it (and what it holds) until they have gone."""
        wanted = control is Control.KEYBOARD or (
            control is Control.PLACE and not (self.question and self.question.choices)
        )
        if view.onlooker:
            self.close_keyboard()
        elif wanted and (reopen or not self.keyboard.isVisible()):
            self.open_keyboard()

    def leave(self) -> None:
        super().leave()
        self.close_keyboard()
        for widget in self.card.reveal_buttons:
            widget.hide_value()
