"""Phone number and OTP on the large keypad."""

from __future__ import annotations

from kiosk.journey.events import Event, OtpEntered, PhoneEntered
from kiosk.journey.view import StepView
from ui.screens.instruction import InstructionScreen
from ui.screens.keypad import Keypad


class NumberEntryScreen(InstructionScreen):
    """Phone number or OTP: the only typing a citizen ever does, on a large keypad."""

    pictogram_name = "phone"
    length = (10, 10)

    def entered(self, digits: str) -> Event:
        return PhoneEntered(digits)

    def build_actions(self) -> None:
        self.keypad = Keypad(*self.length)
        self.extra.addWidget(self.keypad.display)
        self.extra.addStretch(1)
        self.row.addWidget(self.keypad)
        self.next = self.add_action("next", "check", self.entered(""))
        self.next.clicked.disconnect()
        self.next.clicked.connect(self._submit)
        self.next.setEnabled(False)
        self.keypad.changed.connect(lambda text: self.next.setEnabled(self.keypad.complete()))

    def _submit(self) -> None:
        if self.keypad.complete():
            self.send(self.entered(self.keypad.text()))

    def render_view(self, view: StepView) -> None:
        self.keypad.clear()
        self.next.setEnabled(False)


class PhoneScreen(NumberEntryScreen):
    pass


class OtpScreen(NumberEntryScreen):
    pictogram_name = "consent"
    length = (6, 6)

    def entered(self, digits: str) -> Event:
        return OtpEntered(digits)
