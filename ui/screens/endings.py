"""The card-removed pause and the goodbye."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.journey.events import Finished
from ui.animation import PlaceCardAnimation
from ui.screens.errors import add_call_staff
from ui.screens.instruction import InstructionScreen


class CardPausedScreen(InstructionScreen):
    """Putting the card back resumes by itself; otherwise a person, or "Kết thúc" (frame)."""

    pictogram_name = "card"

    def make_picture(self) -> QWidget:
        return PlaceCardAnimation(self.options.animations)

    def build_actions(self) -> None:
        self.staff = add_call_staff(self)


class GoodbyeScreen(InstructionScreen):
    pictogram_name = "check"

    def build_actions(self) -> None:
        self.finish = self.add_action("done", "home", Finished())
