"""The papers under the camera: which paper, "tờ k/n", and its picture."""

from __future__ import annotations

from PySide6.QtGui import QFont

from kiosk import texts
from kiosk.journey.view import StepView
from ui import theme
from ui.screens.camera import CameraScreen
from ui.widgets import Pictogram, label

PHOTOGRAPHING = "hold_document_still"  # the camera's progress key while it takes the picture


class DocumentsScreen(CameraScreen):
    """The page under the camera, with the sheet's outline to fit it into."""

    pictogram_name = "document"
    guide = "page"

    def build_actions(self) -> None:
        # Which paper now ("Tờ 1/2", or "Tờ 1/2: Giấy chứng sinh" while the camera's words
        # stand in for the instruction), above the progress: it changes. Bold at
        # the buttons' size: a long paper name wraps in the column beside the preview, and at a
        # title's size three lines of it did not fit there on a 768-line screen.
        self.paper = label("", theme.BUTTON_PX, QFont.Weight.Bold)
        self.paper.setAccessibleName("paper")
        self.extra.addWidget(self.paper)
        super().build_actions()

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        # What the camera asks now replaces the instruction (it says "giữ yên" again): both
        # beside the preview do not fit a 768-line screen. The instruction names the paper, so
        # beside it the line says only "Tờ k/n"; without it, "Tờ k/n: <the paper>".
        instructed = self.instruction is not None and not view.guidance
        if self.instruction is not None:
            self.instruction.setVisible(instructed)
        k, n = view.paper_position
        position = texts.get("ui.paper_position", self.language, value=f"{k}/{n}")
        self.paper.setText(position if instructed and n else view.notice)
        self.paper.setVisible(bool(view.notice))
        # While the sheet is being photographed "Quay lại" is not offered: the picture being
        # taken would be lost with it ("Kết thúc" stays).
        self.back_button.setVisible(view.can_go_back and view.progress_key != PHOTOGRAPHING)
        if isinstance(self.picture, Pictogram):
            self.picture.set_name(view.pictogram or self.pictogram_name)
