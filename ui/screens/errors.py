"""What went wrong and what to do now; the staff-help screen."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.journey.events import Retry
from kiosk.journey.texts import button
from kiosk.journey.view import StepView
from kiosk.texts.errors import retry_helps
from ui import theme
from ui.screens.base import Screen
from ui.screens.instruction import InstructionScreen
from ui.widgets import BigButton, label, pictogram

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
        # Only actions that can work (docs/ui.md §12): "Thử lại" where retrying can help,
        # otherwise a person; "Kết thúc" is in the frame.
        self.retry = self.add_action("retry", "retry", Retry())
        self.staff = add_call_staff(self)

    def render_view(self, view: StepView) -> None:
        self.remedy.setText(view.remedy)
        self.remedy.setVisible(bool(view.remedy))
        code = (view.error_code or "").split("_")[0]
        name = ERROR_PICTOGRAMS.get(code, "warning")
        self.thing.set_name(name)
        can_retry = retry_helps(view.error_code)
        self.retry.setVisible(can_retry)
        self.staff.setVisible(not can_retry)


class StaffHelpScreen(ErrorScreen):
    """A person is needed: the kiosk has called one (the header says where that stands)."""

    pictogram_name = "staff"

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        self.thing.set_name("staff")


def add_call_staff(screen: Screen) -> BigButton:
    """ "Gọi cán bộ" as the screen's main action, the same call as the header's button."""
    widget = BigButton(button("call_staff", screen.language), "staff", primary=True)
    widget.setMinimumWidth(theme.CHOICE_WIDTH)
    widget.clicked.connect(screen.call_staff)
    screen.bottom.addWidget(widget)
    return widget
