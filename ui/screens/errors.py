"""What went wrong and what to do now; the staff-help screen."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.journey.events import Retry
from kiosk.journey.view import StepView
from ui import theme
from ui.screens.instruction import InstructionScreen
from ui.widgets import label, pictogram

# Which pictogram shows what went wrong: by the error code's first word.
ERROR_PICTOGRAMS = {
    "card": "card",
    "chip": "card",
    "qr": "qr",
    "face": "face",
    "camera": "face",
    "payment": "money",
    "printer": "printer",
    "paper": "printer",
    "portal": "clock",
    "otp": "phone",
    "phone": "phone",
}


class ErrorScreen(InstructionScreen):
    """What happened (one sentence), a pictogram of the thing concerned, and what to do now."""

    pictogram_name = "warning"

    def make_picture(self) -> QWidget:
        host = QWidget()
        host.setFixedSize(theme.PICTOGRAM, theme.PICTOGRAM + 80)
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        self.thing = pictogram("warning", theme.PICTOGRAM)
        column.addWidget(self.thing)
        column.addStretch(1)
        return host

    def build_actions(self) -> None:
        self.remedy = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.remedy.setAccessibleName("remedy")
        self.extra.addWidget(self.remedy)
        self.extra.addStretch(1)
        self.retry = self.add_action("retry", "retry", Retry())

    def render_view(self, view: StepView) -> None:
        self.remedy.setText(view.remedy)
        self.remedy.setVisible(bool(view.remedy))
        code = (view.error_code or "").split("_")[0]
        name = ERROR_PICTOGRAMS.get(code, "warning")
        self.thing.set_name(name)


class StaffHelpScreen(ErrorScreen):
    pictogram_name = "staff"

    def build_actions(self) -> None:
        self.remedy = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.remedy.setAccessibleName("remedy")
        self.extra.addWidget(self.remedy)
        self.extra.addStretch(1)

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        self.thing.set_name("staff")
