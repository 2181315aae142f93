"""Screens every journey shares: the welcome, the paused card, errors, staff help, goodbye."""

from __future__ import annotations

from dataclasses import replace

from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.events import (
    CardReturned,
    ChoseAccount,
    ChosePractice,
    ChoseStatus,
    ChoseSubmit,
    Event,
    Finished,
    Retry,
    StaffOverride,
)
from kiosk.journey.steps.base import Marker, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import StepView
from kiosk.texts.errors import lookup, said

CHOICES: dict[type[Event], Journey] = {
    ChoseSubmit: Journey.SUBMIT,
    ChoseAccount: Journey.ACCOUNT,
    ChoseStatus: Journey.STATUS,
    ChosePractice: Journey.PRACTICE,
}


def _choose_journey(ctx: JourneyContext, event: Event) -> None:
    ctx.journey = CHOICES.get(type(event), ctx.journey)


WELCOME = Step(
    id=StepId.WELCOME,
    screen="welcome",
    transitions={choice: StepId.CONSENT for choice in CHOICES},
    leave=_choose_journey,
)

CARD_PAUSED = Step(
    id=StepId.CARD_PAUSED,
    screen="card_paused",
    transitions={CardReturned: Marker.RESUME},
    aside=True,
)


def _error_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    error = lookup(ctx.error_code)
    say, remedy = view.say, view.remedy
    if view.step is StepId.ERROR or ctx.error_code not in (None, "unavailable"):
        say = said(ctx.error_code, "citizen", language, form)
        remedy = said(ctx.error_code, "remedy", language, form)
    feature = f" ({ctx.unavailable_feature})" if ctx.unavailable_feature else ""
    return replace(
        view,
        say=say,
        remedy=remedy,
        staff_text=error.staff + feature,
        error_code=ctx.error_code or "",
    )


ERROR = Step(
    id=StepId.ERROR,
    screen="error",
    transitions={Retry: Marker.RESUME},
    view=_error_view,
    aside=True,
)

STAFF_HELP = Step(
    id=StepId.STAFF_HELP,
    screen="staff_help",
    transitions={Retry: Marker.RESUME, StaffOverride: Marker.SKIP},
    view=_error_view,
    aside=True,
)

GOODBYE = Step(
    id=StepId.GOODBYE,
    screen="goodbye",
    transitions={Finished: StepId.WELCOME},
    after_identity_of=frozenset({Journey.PRACTICE}),
    aside=True,
)

AFTER_JOURNEY = (CARD_PAUSED, ERROR, STAFF_HELP, GOODBYE)
