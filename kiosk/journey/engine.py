"""The journey engine: one state, one context, one table; driven only by events.

The engine itself never blocks. When a step has work, `pending_work()` hands it to a runner
(the Qt runner runs it on a thread pool, the headless runner inline) and the runner feeds the
resulting event back with `complete_work`. A result that arrives after the session moved on
(cancel, timeout) carries an old generation number and is dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.model import Progress
from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.events import Event, EventType
from kiosk.journey.steps import WORK, StepId, Work, handle_in_place, run_work
from kiosk.journey.table import (
    AFTER_IDENTITY,
    AFTER_IDENTITY_TARGETS,
    OVERRIDABLE,
    RESUME,
    SKIP,
    STAY,
    Target,
    target_for,
)
from kiosk.services.interfaces import Services

log = logging.getLogger(__name__)

CHOICES = {
    EventType.CHOSE_SUBMIT: Journey.SUBMIT,
    EventType.CHOSE_ACCOUNT: Journey.ACCOUNT,
    EventType.CHOSE_STATUS: Journey.STATUS,
    EventType.CHOSE_PRACTICE: Journey.PRACTICE,
}


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
        self._listeners: list[Listener] = []
        self._session_closers: list[Callable[[JourneyContext, str], None]] = []

    # --- listening ---------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """Called after every accepted event (transitions and in-place events alike)."""
        self._listeners.append(listener)

    def add_session_closer(self, closer: Callable[[JourneyContext, str], None]) -> None:
        """Called with the context and the outcome just before a session's data is wiped."""
        self._session_closers.append(closer)

    # --- events ------------------------------------------------------------------------------

    def accepts(self, event_type: EventType) -> bool:
        return target_for(self.state, event_type) is not None or event_type in (
            EventType.STAFF_TAKEOVER,
            EventType.STAFF_HANDBACK,
        )

    def dispatch(self, event: Event) -> bool:
        """Apply one event. Returns False (and changes nothing) if this step does not take it."""
        old = self.state
        if event.type is EventType.STAFF_TAKEOVER:
            self.ctx.staff = str(event.data.get("staff", "staff"))
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        if event.type is EventType.STAFF_HANDBACK:
            self.ctx.staff = None
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        if handle_in_place(old, self.ctx, event) == STAY:
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        target = target_for(old, event.type)
        if target is None:
            log.info("step %s ignores %s", old.value, event.type.value)
            return False
        if target == STAY:
            self._notify(Transition(old, event, old, self.ctx.session_id))
            return True
        new = self._resolve(old, event, target)
        if new is None:
            log.info("step %s cannot apply %s here", old.value, event.type.value)
            return False
        self._before_leave(old, event, new)
        self._enter(new)
        self._notify(Transition(old, event, new, self.ctx.session_id))
        return True

    def _resolve(self, old: StepId, event: Event, target: Target) -> StepId | None:
        if target == AFTER_IDENTITY:
            journey = self.ctx.journey.value if self.ctx.journey else "practice"
            return AFTER_IDENTITY_TARGETS[journey]
        if target == RESUME:
            resume = self.ctx.resume_step or self.ctx.failed_step
            return StepId(resume) if resume else StepId.WELCOME
        if target == SKIP:
            failed = StepId(self.ctx.failed_step) if self.ctx.failed_step else None
            if failed not in OVERRIDABLE or not str(event.data.get("reason", "")).strip():
                return None  # an override needs an overridable step and a reason
            self.ctx.overrides.append(
                {
                    "step": failed.value,
                    "staff": str(event.data.get("staff", "")),
                    "reason": str(event.data["reason"]),
                }
            )
            return self._resolve(old, event, OVERRIDABLE[failed])
        assert isinstance(target, StepId)
        return target

    def _before_leave(self, old: StepId, event: Event, new: StepId) -> None:
        ctx = self.ctx
        now = self._clock()
        ctx.timings[old.value] = ctx.timings.get(old.value, 0.0) + (now - self._entered_at)
        self._entered_at = now
        if old is StepId.WELCOME and event.type in CHOICES:
            ctx.journey = CHOICES[event.type]
        elif event.type is EventType.CONSENTED:
            ctx.consent = True
        elif event.type is EventType.DECLINED:
            ctx.consent = False
        elif event.type is EventType.PROCEDURE_CHOSEN:
            self._choose_procedure(str(event.data.get("code", "")))
        elif event.type is EventType.PHONE_ENTERED:
            ctx.phone = str(event.data.get("phone", ""))
        elif event.type is EventType.OTP_ENTERED:
            ctx.extras["otp"] = str(event.data.get("otp", ""))
        if new in (StepId.ERROR, StepId.STAFF_HELP):
            ctx.failed_step = (
                old.value if old not in (StepId.ERROR, StepId.STAFF_HELP) else (ctx.failed_step)
            )
            ctx.resume_step = ctx.failed_step
            ctx.error_code = str(event.data.get("code", event.type.value))
            ctx.unavailable_feature = str(event.data.get("feature", ""))
        elif new is StepId.CARD_PAUSED:
            ctx.resume_step = old.value
        if new is StepId.WELCOME and old is not StepId.WELCOME:
            outcome = {
                EventType.CANCELLED: "cancelled",
                EventType.IDLE_TIMEOUT: "timeout",
                EventType.BACK: "cancelled",
            }.get(event.type, "completed")
            self.end_session(outcome)

    def _choose_procedure(self, code: str) -> None:
        ctx = self.ctx
        chosen = next((p for p in ctx.procedures if p.code == code), None)
        if chosen is None or ctx.identity is None:
            raise ValueError(f"unknown procedure {code!r}")
        ctx.procedure = chosen
        ctx.draft = self.services.dossiers.prefill(chosen, ctx.identity)
        ctx.field_index = 0

    def _enter(self, new: StepId) -> None:
        self.state = new
        self.generation += 1
        self.ctx.progress = (0.0, "")

    def end_session(self, outcome: str) -> None:
        """Close the session (record, audit) and wipe everything personal from memory."""
        for closer in self._session_closers:
            try:
                closer(self.ctx, outcome)
            except Exception:
                log.exception("session closer failed")
        self.ctx.wipe()

    def _notify(self, transition: Transition) -> None:
        for listener in self._listeners:
            listener(transition, self.ctx)

    # --- work --------------------------------------------------------------------------------

    def pending_work(self) -> WorkItem | None:
        work = WORK.get(self.state)
        return WorkItem(self.state, self.generation, work) if work else None

    def run(self, item: WorkItem, progress: Progress) -> Event:
        """Execute a work item (called by a runner, possibly on another thread)."""
        return run_work(item.work, self.ctx, self.services, progress)

    def complete_work(self, item: WorkItem, event: Event) -> bool:
        if item.generation != self.generation or item.step is not self.state:
            log.info("dropping stale result of %s", item.step.value)
            return False
        return self.dispatch(event)


class HeadlessRunner:
    """Runs work inline: for `kiosk simulate`, tests and the automatic mode."""

    def __init__(self, engine: JourneyEngine) -> None:
        self.engine = engine

    def settle(self, max_steps: int = 50) -> None:
        """Run automatic work until a step waits for the citizen (or a step repeats too often)."""
        for _ in range(max_steps):
            item = self.engine.pending_work()
            if item is None:
                return
            event = self.engine.run(item, lambda fraction, key: None)
            accepted = self.engine.complete_work(item, event)
            if not accepted or (
                self.engine.state is item.step and item.generation == self.engine.generation
            ):
                return  # the step stays (e.g. a list was loaded) and now waits for the citizen
