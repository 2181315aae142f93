"""Which screen draws each step: the layouts a step may name (`Step.screen`)."""

from __future__ import annotations

from kiosk.journey.steps import StepId
from kiosk.journey.steps.registry import STEPS
from ui.screens.base import Screen
from ui.screens.camera import CardScreen, FaceScreen, QrScreen
from ui.screens.documents import DocumentsScreen
from ui.screens.endings import CardPausedScreen, GoodbyeScreen
from ui.screens.errors import ErrorScreen, StaffHelpScreen
from ui.screens.fee import FeeScreen
from ui.screens.form import FormScreen
from ui.screens.instruction import PrintingScreen, SendingScreen
from ui.screens.numbers import OtpScreen, PhoneScreen
from ui.screens.procedure import (
    ChooseProcedureScreen,
    CounterTicketScreen,
    ProcedureDetailScreen,
)
from ui.screens.results import AccountDoneScreen, DoneScreen, StatusScreen
from ui.screens.review import ReviewScreen
from ui.screens.welcome import ConsentScreen, WelcomeScreen

# The screen layouts a step may name (`Step.screen`).
LAYOUTS: dict[str, type[Screen]] = {
    "welcome": WelcomeScreen,
    "consent": ConsentScreen,
    "qr": QrScreen,
    "card": CardScreen,
    "face": FaceScreen,
    "choose_procedure": ChooseProcedureScreen,
    "procedure_detail": ProcedureDetailScreen,
    "counter_ticket": CounterTicketScreen,
    "form": FormScreen,
    "documents": DocumentsScreen,
    "review": ReviewScreen,
    "fee": FeeScreen,
    "sending": SendingScreen,
    "printing": PrintingScreen,
    "done": DoneScreen,
    "phone": PhoneScreen,
    "otp": OtpScreen,
    "account_done": AccountDoneScreen,
    "status": StatusScreen,
    "card_paused": CardPausedScreen,
    "error": ErrorScreen,
    "staff_help": StaffHelpScreen,
    "goodbye": GoodbyeScreen,
}
SCREENS: dict[StepId, type[Screen]] = {step.id: LAYOUTS[step.screen] for step in STEPS}
