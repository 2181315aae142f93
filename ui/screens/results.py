"""Results: the dossier received, the account made, the status looked up."""

from __future__ import annotations

from kiosk.journey.events import Confirmed
from kiosk.journey.texts import phrase
from kiosk.journey.view import StepView
from ui.screens.rows import RowsScreen


class DoneScreen(RowsScreen):
    pictogram_name = "check"
    big_size = "BIG_NUMBER_PX"

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", Confirmed())


class StatusScreen(RowsScreen):
    pictogram_name = "search"
    big_size = "BODY_PX"

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", Confirmed())

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        if not view.rows and self.instruction is not None:
            self.instruction.setText(phrase("no_dossiers", self.language, self.options.form))


class AccountDoneScreen(DoneScreen):
    big_size = "TITLE_PX"
