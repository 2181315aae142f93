"""The transitions of all journeys: each step's own (kiosk.journey.steps) plus the rules every
step shares (cancel, idle, card removal, device errors).

Targets are steps, or one of the markers resolved from the context:
- AFTER_IDENTITY: where the chosen journey goes once card and face are verified;
- RESUME: back to the step that failed or was paused (retry, card returned);
- SKIP: past the failed step, after an audited staff override (only where allowed);
- STAY: the event is taken and the step stays.
"""

from __future__ import annotations

from kiosk.journey.events import (
    Cancelled,
    CardRemoved,
    DeviceError,
    Event,
    FinishRequested,
    IdleTimeout,
)
from kiosk.journey.steps.base import STAY, Marker, Target
from kiosk.journey.steps.ids import StepId as S
from kiosk.journey.steps.registry import (
    AFTER_IDENTITY_TARGETS,
    CARD_HELD_STEPS,
    DEVICE_STEPS,
    OVERRIDABLE,
    STEP,
    STEPS,
)

AFTER_IDENTITY = Marker.AFTER_IDENTITY
RESUME = Marker.RESUME
SKIP = Marker.SKIP

__all__ = [
    "AFTER_IDENTITY",
    "AFTER_IDENTITY_TARGETS",
    "CARD_HELD_STEPS",
    "DEVICE_STEPS",
    "FINISHABLE",
    "OVERRIDABLE",
    "RESUME",
    "SKIP",
    "STAY",
    "Target",
    "all_transitions",
    "mermaid",
    "target_for",
]

# Handled the same way in every step but the welcome screen.
SESSION_STEPS = [step.id for step in STEPS if step.id is not S.WELCOME]
GLOBAL: dict[type[Event], Target] = {Cancelled: S.WELCOME, IdleTimeout: S.WELCOME}
# "Kết thúc" (docs/ui.md §12): everywhere in a session but where the kiosk completes what the
# citizen asked for (sending, printing, creating the account: seconds), at consent (whose "Không
# đồng ý" is the way out) and at the goodbye itself.
NOT_FINISHABLE = {S.CONSENT, S.SUBMIT, S.RECEIPT, S.ACCOUNT_VERIFY, S.GOODBYE}
FINISHABLE = [step for step in SESSION_STEPS if step not in NOT_FINISHABLE]


def target_for(state: S, event: type[Event]) -> Target | None:
    own = STEP[state].transitions
    if event in own:
        return own[event]
    if state is not S.WELCOME and event in GLOBAL:
        return GLOBAL[event]
    if event is CardRemoved and state in CARD_HELD_STEPS:
        return S.CARD_PAUSED
    if event is DeviceError and state in DEVICE_STEPS:
        return S.ERROR
    if event is FinishRequested and state in FINISHABLE:
        return S.GOODBYE
    return None


def all_transitions() -> list[tuple[S, type[Event], Target]]:
    """Every (state, event, target) the engine accepts: for the diagram and the walk test."""
    rows = [(step.id, e, t) for step in STEPS for e, t in step.transitions.items()]
    rows += [(s, e, t) for s in SESSION_STEPS for e, t in GLOBAL.items()]
    rows += [(s, CardRemoved, S.CARD_PAUSED) for s in CARD_HELD_STEPS]
    rows += [(s, DeviceError, S.ERROR) for s in DEVICE_STEPS]
    rows += [(s, FinishRequested, S.GOODBYE) for s in FINISHABLE]
    return rows


def mermaid() -> str:
    """The table as a Mermaid state diagram (`kiosk journey --diagram`)."""
    lines = ["stateDiagram-v2", "    [*] --> welcome"]
    for marker in (AFTER_IDENTITY, RESUME, SKIP):
        lines.append(f"    state {marker} <<choice>>")
    for journey, step in AFTER_IDENTITY_TARGETS.items():
        lines.append(f"    {AFTER_IDENTITY} --> {step.value}: {journey}")
    lines.append(f"    {RESUME} --> failed_or_paused_step")
    for failed, target in OVERRIDABLE.items():
        lines.append(f"    {SKIP} --> {target}: {failed.value} overridden")
    for state, event, target in all_transitions():
        if target == STAY:
            continue
        lines.append(f"    {state.value} --> {target}: {event.kind}")
    return "\n".join(lines) + "\n"
