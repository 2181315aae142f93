"""The journey engine: one state, one context, the steps' transitions; driven only by events.

The engine itself never blocks. When a step has work, `pending_work()` hands it to a runner
(the Qt runner runs it on a thread pool, the headless runner inline) and the runner feeds the
resulting event back with `complete_work`. A result that arrives after the session moved on
(cancel, timeout) carries an old generation number and is dropped.

The card policy lives here too: which steps the card must stay on, what its removal does
(pause, resume when it comes back; the idle countdown wipes a session whose card never returns).
The window only reports what the reader says, through `card_reading`.

So does the help policy (docs/ui.md §12): "Gọi cán bộ" becomes a stored help request through the
help desk the runtime attaches, a staff-help screen raises one by itself, an officer logging in at
the kiosk answers it, and the session's end closes it. The citizen is told "Đã báo cán bộ" only
once the request is stored (`help_shown`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain.model import NotBuilt, Progress, ServiceError
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Back,
    Cancelled,
    CardRemoved,
    CardReturned,
    Event,
    Failed,
    FinishRequested,
    HelpAnswered,
    HelpRequested,
    IdleTimeout,
    StaffArrived,
    StaffHandback,
    StaffLeft,
    StaffOverride,
    StaffTakeover,
    Unavailable,
    error_code,
)
from kiosk.journey.steps.base import STAY, Handled, Marker, Target, Work
from kiosk.journey.steps.ids import StepId
from kiosk.journey.steps.registry import AFTER_IDENTITY_TARGETS, OVERRIDABLE, STEP
from kiosk.journey.table import target_for
from kiosk.journey.texts import step_text
from kiosk.journey.view import PROGRESS
from kiosk.services.interfaces import Services

if TYPE_CHECKING:
    from kiosk.records.help_requests import HelpDesk, HelpRequest

log = logging.getLogger(__name__)

CARD_ABSENT_READS = 2  # two readings in a row without the card: it was taken, not a glitch
OUTCOMES: dict[type[Event], str] = {
    Cancelled: "cancelled",
    IdleTimeout: "timeout",
    Back: "cancelled",
    FinishRequested: "cancelled",
}
IN_PLACE = (StaffTakeover, StaffHandback, HelpRequested, HelpAnswered, StaffArrived, StaffLeft)


class HelpShown(StrEnum):
    """What the citizen is told about their call for staff."""

    NONE = ""
    WAITING = "waiting"  # stored: "Đã báo cán bộ, xin chờ"
    COMING = "coming"  # an officer answered: "Cán bộ đang tới"
    NOT_REACHED = "not_reached"  # could not be stored: "go to the counter", never "Đã báo"


@dataclass(frozen=True)
class Transition:
    old: StepId
    event: Event
    new: StepId
    session_id: str


Listener = Callable[[Transition, JourneyContext], None]


@dataclass(frozen=True)
class WorkItem:
    step: StepId
    generation: int
    work: Work


class JourneyEngine:
    def __init__(self, services: Services, clock: Callable[[], float] = time.monotonic) -> None:
        self.services = services
        self.ctx = JourneyContext()
        self.state = StepId.WELCOME
        self.generation = 0
        self._clock = clock
        self._entered_at = clock()
        self._card_absent_reads = 0
        self._listeners: list[Listener] = []
        self._session_closers: list[Callable[[JourneyContext, str], None]] = []
        self.help_desk: HelpDesk | None = None
        self._post: Callable[[Event], object] = self.dispatch
        self._help_id = ""  # the session's open help request
        self.help_shown = HelpShown.NONE
        self.help_raised = 0  # requests stored so far (the window chimes for each new one)
        self._ended_early = False  # "Kết thúc": the session was wiped on the way to goodbye

    def attach_help_desk(
        self, desk: HelpDesk, post: Callable[[Event], object] | None = None
    ) -> None:
        """Raise help requests there; its changes come back as `HelpAnswered` events through
        `post` (the window's queue onto its own thread: the desk may call from any thread)."""
        self.help_desk = desk
        self._post = post or self.dispatch
        desk.add_listener(self._help_changed)

    # --- listening ---------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """Called after every accepted event (transitions and in-place events alike)."""
        self._listeners.append(listener)

    def add_session_closer(self, closer: Callable[[JourneyContext, str], None]) -> None:
        """Called with the context and the outcome just before a session's data is wiped."""
        self._session_closers.append(closer)

    # --- events ------------------------------------------------------------------------------

    def accepts(self, event_type: type[Event]) -> bool:
        return target_for(self.state, event_type) is not None or event_type in IN_PLACE

    def dispatch(self, event: Event) -> bool:
        """Apply one event. Returns False (and changes nothing) if this step does not take it."""
        old = self.state
        if isinstance(event, IN_PLACE):
            if not self._in_place(event):
                return False
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        step = STEP[old]
        handled = step.handle(self.ctx, event) if step.handle is not None else None
        if handled is Handled.REFUSED:
            log.info("step %s cannot take %s yet", old.value, event.kind)
            return False
        if handled is Handled.STAY:
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        target = target_for(old, type(event))
        if target is None:
            log.info("step %s ignores %s", old.value, event.kind)
            return False
        if target == STAY:
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        new = self._resolve(event, target)
        if new is None:
            log.info("step %s cannot apply %s here", old.value, event.kind)
            return False
        session_id = self.ctx.session_id  # the session the event belongs to, even if it ends
        self._before_leave(old, event, new)
        self._enter(new)
        self._notify(Transition(old, event, new, session_id))
        if new is StepId.STAFF_HELP and not self._help_id:
            failed = StepId(self.ctx.failed_step) if self.ctx.failed_step else old
            self._raise_help(failed, self.ctx.error_code or "staff_help")  # a person is needed
            self._notify(Transition(new, HelpRequested(self.ctx.error_code or ""), new, session_id))
        return True

    def _in_place(self, event: Event) -> bool:
        """Events that change who is helping, not the step. False: nothing changed."""
        if isinstance(event, StaffTakeover | StaffHandback):
            self.ctx.staff = event.staff if isinstance(event, StaffTakeover) else None
        elif isinstance(event, HelpRequested):
            if self.help_shown in (HelpShown.NONE, HelpShown.NOT_REACHED):
                self._raise_help(self.state, event.reason)
        elif isinstance(event, StaffArrived):
            if not self._help_id:
                return False
            self._answer_help("acknowledged", event.staff)
        elif isinstance(event, StaffLeft):
            if not self._help_id:
                return False
            self._close_help()
        elif isinstance(event, HelpAnswered):
            return self._help_answered(event)
        return True

    # --- help --------------------------------------------------------------------------------

    def _raise_help(self, step: StepId, reason: str) -> None:
        """Store a help request for `step`; only a stored one is said to have reached staff."""
        counted = STEP[step].counted_as or step
        order = PROGRESS[self.ctx.journey] if self.ctx.journey else []
        number = order.index(counted) + 1 if counted in order else 0
        title = step_text(step)[0]
        try:
            if self.help_desk is None:
                raise RuntimeError("no help desk attached")
            request = self.help_desk.raise_request(step.value, number, title, reason)
        except Exception as exc:
            log.error("help request not stored at %s: %s", step.value, exc)
            self.help_shown = HelpShown.NOT_REACHED
            return
        self._help_id = request.help_id
        self.help_shown = HelpShown.WAITING
        self.help_raised += 1

    def _answer_help(self, state: str, by: str) -> None:
        try:
            assert self.help_desk is not None
            self.help_desk.acknowledge(self._help_id, state, by)
        except Exception as exc:
            log.error("help request %s not acknowledged: %s", self._help_id, exc)
        self.help_shown = HelpShown.COMING

    def _close_help(self) -> None:
        help_id, self._help_id = self._help_id, ""
        self.help_shown = HelpShown.NONE
        if help_id and self.help_desk is not None:
            try:
                self.help_desk.close(help_id)
            except Exception as exc:
                log.error("help request %s not closed: %s", help_id, exc)

    def _help_changed(self, request: HelpRequest) -> None:
        """The desk's listener (any thread): hand the change to the engine's own thread."""
        if request.state.value != "waiting":
            self._post(HelpAnswered(request.help_id, request.state.value, request.acknowledged_by))

    def _help_answered(self, event: HelpAnswered) -> bool:
        if not self._help_id or event.help_id != self._help_id:
            return False  # another kiosk's, or a request this session no longer has
        if event.state == "closed":
            self._help_id, self.help_shown = "", HelpShown.NONE
            return True
        if self.help_shown is HelpShown.COMING:
            return False  # said already
        self.help_shown = HelpShown.COMING
        return True

    def _resolve(self, event: Event, target: Target) -> StepId | None:
        if target == Marker.AFTER_IDENTITY:
            journey = self.ctx.journey.value if self.ctx.journey else "practice"
            return AFTER_IDENTITY_TARGETS[journey]
        if target == Marker.RESUME:
            resume = self.ctx.resume_step or self.ctx.failed_step
            return StepId(resume) if resume else StepId.WELCOME
        if target == Marker.SKIP:
            failed = StepId(self.ctx.failed_step) if self.ctx.failed_step else None
            if failed is None or failed not in OVERRIDABLE:
                return None  # an override needs an overridable step ...
            if not isinstance(event, StaffOverride) or not event.reason.strip():
                return None  # ... and a reason
            self.ctx.overrides.append(
                {"step": failed.value, "staff": event.staff, "reason": event.reason}
            )
            return self._resolve(event, OVERRIDABLE[failed])
        assert isinstance(target, StepId)
        return target

    def _before_leave(self, old: StepId, event: Event, new: StepId) -> None:
        ctx = self.ctx
        now = self._clock()
        ctx.timings[old.value] = ctx.timings.get(old.value, 0.0) + (now - self._entered_at)
        self._entered_at = now
        leave = STEP[old].leave
        if leave is not None:
            leave(ctx, event)
        if new in (StepId.ERROR, StepId.STAFF_HELP):
            ctx.failed_step = (
                old.value if old not in (StepId.ERROR, StepId.STAFF_HELP) else (ctx.failed_step)
            )
            retry_at = STEP[old].retry_at if old not in (StepId.ERROR, StepId.STAFF_HELP) else None
            ctx.resume_step = retry_at.value if retry_at is not None else ctx.failed_step
            ctx.error_code = error_code(event) or event.kind
            ctx.unavailable_feature = event.feature if isinstance(event, Unavailable) else ""
        elif new is StepId.CARD_PAUSED:
            ctx.resume_step = old.value
        if isinstance(event, FinishRequested):  # wiped now: the citizen may already be leaving
            slip = bool(ctx.receipt_location)
            self.end_session(OUTCOMES[FinishRequested])
            self.ctx.extras["slip_printed"] = slip  # the goodbye names the slip only if printed
            self._ended_early = True
        elif new is StepId.WELCOME and old is not StepId.WELCOME:
            if not self._ended_early:
                self.end_session(OUTCOMES.get(type(event), "completed"))
            self._ended_early = False

    def _enter(self, new: StepId) -> None:
        self.state = new
        self.generation += 1
        self.ctx.progress = (0.0, "")
        self._card_absent_reads = 0

    def end_session(self, outcome: str) -> None:
        """Close the session (record, audit), close its help request, and wipe everything
        personal from memory."""
        self._close_help()
        for closer in self._session_closers:
            try:
                closer(self.ctx, outcome)
            except Exception:
                log.exception("session closer failed")
        self.ctx.wipe()

    def _notify(self, transition: Transition) -> None:
        for listener in self._listeners:
            listener(transition, self.ctx)

    # --- the card ----------------------------------------------------------------------------

    @property
    def watches_card(self) -> bool:
        """Whether the reader should be asked about the card now."""
        return STEP[self.state].holds_card or self.state is StepId.CARD_PAUSED

    def card_reading(self, present: bool, generation: int) -> bool:
        """What the reader said, asked at `generation`. Returns whether the journey moved."""
        if generation != self.generation:
            return False  # the journey moved on while the reader was asked
        if self.state is StepId.CARD_PAUSED:
            return present and self.dispatch(CardReturned())
        if not STEP[self.state].holds_card:
            return False
        self._card_absent_reads = 0 if present else self._card_absent_reads + 1
        if self._card_absent_reads < CARD_ABSENT_READS:
            return False
        return self.dispatch(CardRemoved())

    # --- work --------------------------------------------------------------------------------

    def pending_work(self) -> WorkItem | None:
        work = STEP[self.state].work
        return WorkItem(self.state, self.generation, work) if work else None

    def run(self, item: WorkItem, progress: Progress) -> Event:
        """Execute a work item (called by a runner, possibly on another thread)."""
        return run_work(item.work, self.ctx, self.services, progress)

    def complete_work(self, item: WorkItem, event: Event) -> bool:
        if item.generation != self.generation or item.step is not self.state:
            log.info("dropping stale result of %s", item.step.value)
            return False
        return self.dispatch(event)


def run_work(work: Work, ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    """Run a step's work and turn every failure into an event: the journey never crashes."""
    try:
        return work(ctx, services, progress)
    except NotBuilt as exc:
        return Unavailable(exc.feature, exc.code)
    except ServiceError as exc:
        return Failed(exc.code)
    except Exception:  # a bug must not strand a citizen: log it, hand over to staff
        log.exception("step work crashed")
        return Failed("internal")


class HeadlessRunner:
    """Runs work inline: for `kiosk simulate`, tests and the automatic mode."""

    def __init__(self, engine: JourneyEngine) -> None:
        self.engine = engine
        # As the Qt runner: a step whose work ended in place (the list is loaded, the form is
        # prefilled) does not run it again when the citizen acts in place.
        self.completed_generation = -1

    def settle(self, max_steps: int = 50) -> None:
        """Run automatic work until a step waits for the citizen (or a step repeats too often)."""
        for _ in range(max_steps):
            item = self.engine.pending_work()
            if item is None or item.generation == self.completed_generation:
                return
            event = self.engine.run(item, lambda fraction, key: None)
            self.completed_generation = item.generation
            accepted = self.engine.complete_work(item, event)
            if not accepted or (
                self.engine.state is item.step and item.generation == self.engine.generation
            ):
                return  # the step stays (e.g. a list was loaded) and now waits for the citizen
