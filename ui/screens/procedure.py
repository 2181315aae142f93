"""Choosing the procedure."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from kiosk.journey.events import ProcedureChosen
from kiosk.journey.view import StepView
from ui import theme
from ui.screens.base import Screen
from ui.widgets import BigButton


class ChooseProcedureScreen(Screen):
    def build(self) -> None:
        self.list_host = QWidget()
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setSpacing(theme.BUTTON_GAP)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_host)
        self.body.addWidget(scroll, 1)
        self.procedure_buttons: list[BigButton] = []
        self.choices: tuple[tuple[str, str], ...] = ()

    def render_view(self, view: StepView) -> None:
        if view.choices == self.choices:
            return  # the same list: keep the buttons (a finger may be on one)
        self.choices = view.choices
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.procedure_buttons = []
        for code, text in view.choices:
            widget = BigButton(text, "document")
            widget.clicked.connect(lambda _=False, c=code: self.send(ProcedureChosen(c)))
            widget.pressed.connect(self.pressed)
            self.list_layout.addWidget(widget)
            self.procedure_buttons.append(widget)
        self.list_layout.addStretch(1)

    def main_choices(self) -> list[BigButton]:
        return [*self.procedure_buttons, *super().main_choices()]
