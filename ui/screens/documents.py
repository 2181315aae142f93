"""The papers under the camera: which paper, "tờ k/n", and its picture."""

from __future__ import annotations

from PySide6.QtGui import QFont

from kiosk.journey.view import StepView
from ui import theme
from ui.screens.camera import CameraScreen
from ui.widgets import Pictogram, label


class DocumentsScreen(CameraScreen):
    """The page under the camera, with the sheet's outline to fit it into."""

    pictogram_name = "document"
    guide = "page"

    def build_actions(self) -> None:
        # Which paper now ("Tờ 1/2: Giấy chứng sinh"), above the progress: it changes.
        self.paper = label("", theme.TITLE_PX - 8, QFont.Weight.Bold)
        self.paper.setAccessibleName("paper")
        self.extra.addWidget(self.paper)
        super().build_actions()

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        self.paper.setText(view.notice)
        self.paper.setVisible(bool(view.notice))
        if isinstance(self.picture, Pictogram):
            self.picture.set_name(view.pictogram or self.pictogram_name)
