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
from kiosk.journey.steps.base import Handled, Marker, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.texts import phrase
from kiosk.journey.view_data import StepView
from kiosk.texts.errors import lookup, retry_helps, said

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


def _retry_only_if_it_helps(ctx: JourneyContext, event: Event) -> Handled | None:
    """A retry the catalogue says cannot work is refused (docs/ui.md §12)."""
    if isinstance(event, Retry) and not retry_helps(ctx.error_code):
        return Handled.REFUSED
    return None


ERROR = Step(
    id=StepId.ERROR,
    screen="error",
    transitions={Retry: Marker.RESUME},
    handle=_retry_only_if_it_helps,
    view=_error_view,
    aside=True,
)

STAFF_HELP = Step(
    id=StepId.STAFF_HELP,
    screen="staff_help",
    transitions={Retry: Marker.RESUME, StaffOverride: Marker.SKIP},
    handle=_retry_only_if_it_helps,
    view=_error_view,
    aside=True,
)


def _goodbye_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    """The slip is mentioned only when one was printed."""
    if ctx.receipt_location or ctx.extras.get("slip_printed"):
        return view
    return replace(view, say=phrase("finish.goodbye_no_slip", language, form))


GOODBYE = Step(
    id=StepId.GOODBYE,
    screen="goodbye",
    transitions={Finished: StepId.WELCOME},
    view=_goodbye_view,
    after_identity_of=frozenset({Journey.PRACTICE}),
    aside=True,
)

AFTER_JOURNEY = (CARD_PAUSED, ERROR, STAFF_HELP, GOODBYE)
