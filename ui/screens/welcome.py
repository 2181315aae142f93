"""The first screens: the four main choices and the consent question."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.journey.events import (
    ChoseAccount,
    ChosePractice,
    ChoseStatus,
    ChoseSubmit,
    Consented,
    Declined,
)
from kiosk.journey.texts import button
from ui import theme
from ui.screens.base import Screen
from ui.screens.instruction import InstructionScreen
from ui.widgets import BigButton


class WelcomeScreen(Screen):
    def build(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.BUTTON_GAP)
        grid.setVerticalSpacing(theme.BUTTON_GAP)
        choices = [
            ("submit", "document", ChoseSubmit()),
            ("account", "phone", ChoseAccount()),
            ("status", "search", ChoseStatus()),
            ("practice", "practice", ChosePractice()),
        ]
        self.choice_buttons: dict[str, BigButton] = {}
        for index, (key, picture, choice) in enumerate(choices):
            widget = BigButton(button(key, self.language), picture, primary=index == 0)
            widget.setMinimumHeight(theme.BUTTON_HEIGHT + 40)
            widget.clicked.connect(lambda _=False, e=choice: self.send(e))
            self.choice_buttons[key] = widget
            grid.addWidget(widget, index // 2, index % 2)
        self.body.addStretch(1)
        self.body.addLayout(grid)
        self.body.addStretch(1)

    def main_choices(self) -> list[BigButton]:
        return list(self.choice_buttons.values())


class ConsentScreen(InstructionScreen):
    pictogram_name = "consent"

    def build_actions(self) -> None:
        # Both answers the same size; nothing pre-selected (Decree 356/2025).
        self.agree = self.add_action("agree", "check", Consented(), primary=False)
        self.disagree = self.add_action("disagree", "cross", Declined(), primary=False)
        # The two answers always share the row equally: neither is favoured.
        self.bottom.takeAt(1)  # the spacer that pushes ordinary actions to the right
        for choice in (self.agree, self.disagree):
            self.bottom.setStretchFactor(choice, 1)
