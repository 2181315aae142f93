"""What a step is: everything the kiosk needs to know about one step, in one place.

A step's `work` is what the runner executes off the GUI thread (read the card, prefill, submit);
the event it returns is fed back to the engine. `handle` consumes an event without leaving the
step (the form confirms one field at a time), `leave` records what a citizen's answer means as the
step is left, `view` adds the step's own content to what the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from kiosk.domain.model import Progress
from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.events import Back, Event
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import StepView
from kiosk.services.interfaces import Services


class Marker(StrEnum):
    """Targets resolved from the context rather than named in advance."""

    AFTER_IDENTITY = "AFTER_IDENTITY"  # where the chosen journey goes once card and face match
    RESUME = "RESUME"  # back to the step that failed or was paused (retry, card returned)
    SKIP = "SKIP"  # past the failed step, after an audited staff override (only where allowed)
    STAY = "STAY"  # the event is taken and the step stays (a list was loaded, a code sent)


STAY = Marker.STAY

Target = StepId | Marker


class Handled(Enum):
    """What a step's own handler did with an event."""

    STAY = "stay"  # taken in place: the step stays
    REFUSED = "refused"  # not now (the form is still being prefilled): nothing changes


# The journeys a step belongs to (`Step.progress_in`), named once.
SUBMIT = frozenset({Journey.SUBMIT})
ACCOUNT = frozenset({Journey.ACCOUNT})
STATUS = frozenset({Journey.STATUS})

Work = Callable[[JourneyContext, Services, Progress], Event]
Handler = Callable[[JourneyContext, Event], Handled | None]  # None: the transitions decide
Leave = Callable[[JourneyContext, Event], None]
ViewBuilder = Callable[[StepView, JourneyContext, str, str], StepView]  # view, ctx, language, form


@dataclass(frozen=True)
class Step:
    id: StepId
    screen: str  # the screen layout the UI renders the step with (ui.screens.registry.LAYOUTS)
    transitions: Mapping[type[Event], Target] = field(default_factory=dict)
    work: Work | None = None
    handle: Handler | None = None
    leave: Leave | None = None
    view: ViewBuilder | None = None
    holds_card: bool = False  # the card lies on the reader: taking it off pauses the step
    uses_device: bool = False  # a device error here shows the error screen
    report_label: str = ""  # what staff call it in the daily report ("" for non-work screens)
    progress_in: frozenset[Journey] = frozenset()  # journeys whose step count includes it
    counted_as: StepId | None = None  # shown with that step's number (printing = done)
    after_identity_of: frozenset[Journey] = frozenset()  # journeys that go here after the face
    override_to: Target | None = None  # staff may override a failure here, and go there
    retry_at: StepId | None = None  # "Thử lại" after a failure here goes there (default: here)
    answer: Event | None = None  # what a cooperative citizen taps (`kiosk simulate`)
    ends_journey: bool = False  # the journey's result is on screen
    aside: bool = False  # paused, failed, being helped or leaving: not the citizen's work

    @property
    def can_go_back(self) -> bool:
        return Back in self.transitions
