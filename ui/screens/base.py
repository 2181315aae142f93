"""The frame shared by every screen: header, title, body, and the bottom bar with "Quay lại"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import texts
from kiosk.journey.events import Back, Event
from kiosk.journey.texts import button, phrase
from kiosk.journey.view import StepView
from ui import theme
from ui.widgets import BigButton, Frame, Header, label, pictogram

EXIT_GAP = 24  # "Quay lại" to "Kết thúc": both ways out, not a choice between answers


@dataclass
class ScreenOptions:
    """What every screen needs from the configuration (one shared instance: the preview feed
    arrives once the runtime is up)."""

    animations: bool = True
    form: str = "Bác"  # form of address
    preview: Any = None  # a camera preview feed (see ui.camera_preview), or None


class Screen(QWidget):
    """Renders a `StepView`; emits what the citizen wants as journey events. Decides nothing."""

    intent = Signal(object)  # kiosk.journey.events.Event
    call_staff = Signal()
    finish_asked = (
        Signal()
    )  # "Kết thúc": the window asks once, then the journey wipes and says goodbye
    replay = Signal()
    pressed = Signal()  # any button of the screen: the voice stops talking over the citizen
    pictogram_name = "home"

    def __init__(self, language: str = "vi", options: ScreenOptions | None = None) -> None:
        super().__init__()
        self.language = language
        self.options = options or ScreenOptions()
        self.view: StepView | None = None
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.frame = Frame(self)
        self.header = Header(button("call_staff", language), button("replay", language))
        self.header.call_staff.connect(self.call_staff)
        self.header.replay.connect(self.replay)
        self.frame.addWidget(self.header)
        self.banner = self.header.notice  # practice, or where the call for staff stands
        self.help_notice = ""
        self.title = label("", theme.TITLE_PX, QFont.Weight.Bold)
        self.title.setAccessibleName("title")
        self.frame.addWidget(self.title)
        # The body, or (when someone stands too close) a cover that hides every personal datum.
        self.pages = QStackedWidget()
        self.body_host = QWidget()
        self.body = QVBoxLayout(self.body_host)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(24)
        self.pages.addWidget(self.body_host)
        self.cover = QWidget()
        cover_row = QHBoxLayout(self.cover)
        cover_row.addWidget(pictogram("warning"), 0, Qt.AlignmentFlag.AlignTop)
        self.cover_text = label(phrase("onlooker", language, self.options.form), theme.TITLE_PX)
        cover_row.addWidget(self.cover_text, 1)
        self.pages.addWidget(self.cover)
        self.frame.addWidget(self.pages, 1)
        # The actions sit on one host, disabled as a whole while the onlooker cover is up.
        self.bottom_host = QWidget()
        self.bottom = QHBoxLayout(self.bottom_host)
        self.bottom.setContentsMargins(0, 0, 0, 0)
        self.bottom.setSpacing(theme.BUTTON_GAP)
        # The ways out, bottom left: "Quay lại" and "Kết thúc" (docs/ui.md §12).
        exits = QHBoxLayout()
        exits.setSpacing(EXIT_GAP)
        self.back_button = BigButton(button("back", language), "back")
        self.back_button.setMaximumWidth(theme.px(420))
        self.back_button.clicked.connect(lambda: self.send(Back()))
        exits.addWidget(self.back_button)
        self.finish_button = BigButton(button("exit.finish", language), "cross")
        self.finish_button.setMaximumWidth(420)
        self.finish_button.clicked.connect(self.finish_asked)
        self.finish_button.hide()  # the window shows it where the journey may be finished
        exits.addWidget(self.finish_button)
        self.bottom.addLayout(exits)
        self.bottom.addStretch(1)
        self.frame.addWidget(self.bottom_host)
        self.instruction: QLabel | None = None
        self.build()
        for widget in self.findChildren(QAbstractButton):
            widget.pressed.connect(self.pressed)

    def build(self) -> None:
        """Subclasses add their body and action buttons here."""

    def send(self, event: Event) -> None:
        self.intent.emit(event)

    def add_action(
        self, text_key: str, pictogram: str, event: Event, primary: bool = True
    ) -> BigButton:
        widget = BigButton(button(text_key, self.language), pictogram, primary)
        widget.setMinimumWidth(theme.CHOICE_WIDTH)
        widget.clicked.connect(lambda: self.send(event))
        self.bottom.addWidget(widget)
        return widget

    def main_choices(self) -> list[BigButton]:
        """The citizen's main choices on this screen (kept ≥ 15 mm apart): the bottom bar's
        actions ("Quay lại" and "Kết thúc" at its left are ways out, not answers)."""
        found = []
        for index in range(self.bottom.count()):
            item = self.bottom.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, BigButton) and widget.isVisible():
                found.append(widget)
        return found

    def show_view(self, view: StepView) -> None:
        self.view = view
        word = texts.get("ui.step_word", self.language)
        self.header.set_progress(view.step_number, view.step_total, word)
        self.title.setText(view.title)
        self.back_button.setVisible(view.can_go_back)
        self._show_notice()
        if self.instruction is not None:
            self.instruction.setText(view.say)
        self.pages.setCurrentWidget(self.cover if view.onlooker else self.body_host)
        self.bottom_host.setEnabled(not view.onlooker)
        self.render_view(view)

    def set_help_notice(self, text: str) -> None:
        """Where the call for staff stands ("" for none): it outranks the practice notice."""
        self.help_notice = text
        self._show_notice()

    def set_can_finish(self, can: bool) -> None:
        self.finish_button.setVisible(can)

    def _show_notice(self) -> None:
        practice = self.view is not None and self.view.practice
        text = self.help_notice or (
            phrase("practice", self.language, self.options.form) if practice else ""
        )
        self.header.set_notice(text)

    def render_view(self, view: StepView) -> None:
        """Subclasses show the step-specific parts of the view."""

    def leave(self) -> None:
        """The screen is no longer shown (stop previews, put values back under their mask)."""
