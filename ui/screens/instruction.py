"""The common screen shapes: a pictogram beside one instruction, and the waiting screens
where the kiosk works."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.journey.view import StepView
from ui import theme
from ui.screens.base import Screen
from ui.widgets import label, pictogram


class InstructionScreen(Screen):
    """A pictogram beside the one instruction; the base for most steps."""

    def build(self) -> None:
        self.row = row = QHBoxLayout()
        row.setSpacing(40)
        self.picture = self.make_picture()
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(16)
        self.instruction = label("", theme.BODY_PX)
        self.instruction.setAccessibleName("instruction")
        # Read from the top, level with the pictogram (never floating in the middle).
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.instruction)
        self.extra = QVBoxLayout()
        self.extra.setSpacing(16)
        column.addLayout(self.extra, 1)
        row.addLayout(column, 1)
        self.body.addLayout(row, 1)
        self.build_actions()

    def make_picture(self) -> QWidget:
        return pictogram(self.pictogram_name)

    def build_actions(self) -> None:
        pass


class WaitingScreen(InstructionScreen):
    """Steps where the kiosk works (reading the card, matching the face, sending, printing)."""

    def build_actions(self) -> None:
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(32)
        self.bar.setAccessibleName("tiến độ")
        self.extra.addWidget(self.bar)
        # What the device asks right now ("Bác chớp mắt một lần."), large: it changes.
        self.status = label("", theme.TITLE_PX - 4, QFont.Weight.DemiBold)
        self.status.setAccessibleName("guidance")
        self.extra.addWidget(self.status)
        self.extra.addStretch(1)

    def render_view(self, view: StepView) -> None:
        self.bar.setValue(int(view.progress * 100))
        self.status.setText(view.guidance)


class SendingScreen(WaitingScreen):
    pictogram_name = "clock"


class PrintingScreen(WaitingScreen):
    pictogram_name = "printer"
