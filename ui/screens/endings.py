"""The card-removed pause and the goodbye."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.journey.events import Finished
from ui.animation import PlaceCardAnimation
from ui.screens.instruction import InstructionScreen


class CardPausedScreen(InstructionScreen):
    pictogram_name = "card"

    def make_picture(self) -> QWidget:
        return PlaceCardAnimation(self.options.animations)


class GoodbyeScreen(InstructionScreen):
    pictogram_name = "check"

    def build_actions(self) -> None:
        self.finish = self.add_action("done", "home", Finished())
