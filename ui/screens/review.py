"""The review of the whole dossier before it is sent."""

from __future__ import annotations

from kiosk.journey.events import Confirmed
from ui.screens.rows import RowsScreen


class ReviewScreen(RowsScreen):
    pictogram_name = "document"
    big_size = "BODY_PX"

    def build_actions(self) -> None:
        super().build_actions()
        self.send_button = self.add_action("send", "check", Confirmed())
