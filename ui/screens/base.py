"""The frame shared by every screen: header, title, body, and the bottom bar with "Quay lại"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.journey.events import Event, EventType
from kiosk.journey.texts import button
from kiosk.journey.view import StepView
from ui import theme
from ui.widgets import BigButton, Frame, Header, label


class Screen(QWidget):
    """Renders a `StepView`; emits what the citizen wants as journey events. Decides nothing."""

    intent = Signal(object)  # kiosk.journey.events.Event
    call_staff = Signal()
    pictogram_name = "home"

    def __init__(self, language: str = "vi") -> None:
        super().__init__()
        self.language = language
        self.setObjectName("screen")
        self.frame = Frame(self)
        self.header = Header(button("call_staff", language))
        self.header.call_staff.connect(self.call_staff)
        self.frame.addWidget(self.header)
        self.title = label("", theme.TITLE_PX, QFont.Weight.Bold)
        self.title.setAccessibleName("title")
        self.frame.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(24)
        self.frame.addLayout(self.body, 1)
        self.bottom = QHBoxLayout()
        self.bottom.setSpacing(theme.BUTTON_GAP)
        self.back_button = BigButton(button("back", language), "back")
        self.back_button.setMaximumWidth(420)
        self.back_button.clicked.connect(lambda: self.emit(EventType.BACK))
        self.bottom.addWidget(self.back_button)
        self.bottom.addStretch(1)
        self.frame.addLayout(self.bottom)
        self.instruction: QLabel | None = None
        self.build()

    def build(self) -> None:
        """Subclasses add their body and action buttons here."""

    def emit(self, event_type: EventType, **data: object) -> None:
        self.intent.emit(Event(event_type, dict(data)))

    def add_action(
        self, text_key: str, pictogram: str, event_type: EventType, primary: bool = True
    ) -> BigButton:
        widget = BigButton(button(text_key, self.language), pictogram, primary)
        widget.clicked.connect(lambda: self.emit(event_type))
        self.bottom.addWidget(widget)
        return widget

    def show_view(self, view: StepView) -> None:
        word = "Bước" if self.language == "vi" else "Step"
        self.header.set_progress(view.step_number, view.step_total, word)
        self.title.setText(view.title)
        self.back_button.setVisible(view.can_go_back)
        if self.instruction is not None:
            self.instruction.setText(view.say)
        self.render(view)

    def render(self, view: StepView) -> None:
        """Subclasses show the step-specific parts of the view."""
