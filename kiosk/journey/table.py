"""The one transition table of all journeys.

Targets are steps, or one of three markers resolved from the context:
- AFTER_IDENTITY: where the chosen journey goes once card and face are verified;
- RESUME: back to the step that failed or was paused (retry, card returned);
- SKIP: past the failed step, after an audited staff override (only where allowed).
"""

from __future__ import annotations

from kiosk.journey.events import EventType as E
from kiosk.journey.steps import StepId as S

AFTER_IDENTITY = "AFTER_IDENTITY"
RESUME = "RESUME"
SKIP = "SKIP"
STAY = "STAY"

Target = S | str

TRANSITIONS: dict[S, dict[E, Target]] = {
    S.WELCOME: {
        E.CHOSE_SUBMIT: S.CONSENT,
        E.CHOSE_ACCOUNT: S.CONSENT,
        E.CHOSE_STATUS: S.CONSENT,
        E.CHOSE_PRACTICE: S.CONSENT,
    },
    S.CONSENT: {E.CONSENTED: S.QR_SCAN, E.DECLINED: S.GOODBYE, E.BACK: S.WELCOME},
    S.QR_SCAN: {
        E.QR_READ: S.CARD_READ,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.CONSENT,
    },
    S.CARD_READ: {
        E.CARD_READ: S.FACE_CHECK,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.QR_SCAN,
    },
    S.FACE_CHECK: {
        E.FACE_VERIFIED: AFTER_IDENTITY,
        E.FACE_FAILED: S.FACE_CHECK,  # guidance, then the next of three tries
        E.FAILED: S.STAFF_HELP,  # three tries used, or no camera: staff verify
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.CONSENT,
    },
    S.CHOOSE_PROCEDURE: {
        E.STATUS_FOUND: STAY,  # the catalogue is loaded and shown
        E.PROCEDURE_CHOSEN: S.FORM,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.WELCOME,
    },
    S.FORM: {E.CONFIRMED: S.DOCUMENTS, E.BACK: S.CHOOSE_PROCEDURE},
    S.DOCUMENTS: {
        E.DOCUMENTS_DONE: S.REVIEW,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.FORM,
    },
    S.REVIEW: {E.CONFIRMED: S.SUBMIT, E.BACK: S.DOCUMENTS},
    S.SUBMIT: {E.SUBMITTED: S.FEE, E.FAILED: S.ERROR, E.UNAVAILABLE: S.STAFF_HELP},
    # The fee is paid once the dossier is safe and has its code (the transfer's purpose); a
    # dossier queued offline shows the QR without waiting and the citizen may pay at the counter.
    S.FEE: {
        E.FEE_SHOWN: STAY,
        E.PAID: S.RECEIPT,
        E.PAY_AT_COUNTER: S.RECEIPT,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
    },
    # A receipt that cannot print still ends at DONE: the code is on screen, staff reprint.
    S.RECEIPT: {E.PRINTED: S.DONE, E.FAILED: S.DONE, E.UNAVAILABLE: S.DONE},
    S.DONE: {E.CONFIRMED: S.GOODBYE},
    S.ACCOUNT_PHONE: {E.PHONE_ENTERED: S.ACCOUNT_OTP, E.BACK: S.WELCOME},
    S.ACCOUNT_OTP: {
        E.OTP_SENT: STAY,
        E.ACCOUNT_EXISTS: S.ACCOUNT_DONE,
        E.OTP_ENTERED: S.ACCOUNT_VERIFY,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.ACCOUNT_PHONE,
    },
    S.ACCOUNT_VERIFY: {
        E.ACCOUNT_CREATED: S.ACCOUNT_DONE,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
    },
    S.ACCOUNT_DONE: {E.CONFIRMED: S.GOODBYE},
    S.STATUS_LIST: {
        E.STATUS_FOUND: STAY,
        E.CONFIRMED: S.GOODBYE,
        E.FAILED: S.ERROR,
        E.UNAVAILABLE: S.STAFF_HELP,
        E.BACK: S.WELCOME,
    },
    S.CARD_PAUSED: {E.CARD_RETURNED: RESUME},
    S.ERROR: {E.RETRY: RESUME},
    S.STAFF_HELP: {E.RETRY: RESUME, E.STAFF_OVERRIDE: SKIP},
    S.GOODBYE: {E.FINISHED: S.WELCOME},
}

# Where each journey goes once the citizen's identity is verified.
AFTER_IDENTITY_TARGETS: dict[str, S] = {
    "submit": S.CHOOSE_PROCEDURE,
    "account": S.ACCOUNT_PHONE,
    "status": S.STATUS_LIST,
    "practice": S.GOODBYE,
}

# Failed steps a staff member may override (with a reason), and where the journey then goes.
OVERRIDABLE: dict[S, Target] = {S.FACE_CHECK: AFTER_IDENTITY}

# Handled the same way in every step but the welcome screen.
SESSION_STEPS = [s for s in S if s is not S.WELCOME]
GLOBAL: dict[E, Target] = {E.CANCELLED: S.WELCOME, E.IDLE_TIMEOUT: S.WELCOME}

# Steps during which the card lies on the reader and holds the session: removing it pauses.
CARD_HELD_STEPS = [
    S.FACE_CHECK,
    S.CHOOSE_PROCEDURE,
    S.FORM,
    S.DOCUMENTS,
    S.REVIEW,
    S.ACCOUNT_PHONE,
    S.ACCOUNT_OTP,
    S.STATUS_LIST,
]
# Steps that use a device: a device error there shows the error screen.
DEVICE_STEPS = [S.QR_SCAN, S.CARD_READ, S.FACE_CHECK, S.DOCUMENTS, S.RECEIPT]


def target_for(state: S, event: E) -> Target | None:
    if event in TRANSITIONS.get(state, {}):
        return TRANSITIONS[state][event]
    if state is not S.WELCOME and event in GLOBAL:
        return GLOBAL[event]
    if event is E.CARD_REMOVED and state in CARD_HELD_STEPS:
        return S.CARD_PAUSED
    if event is E.DEVICE_ERROR and state in DEVICE_STEPS:
        return S.ERROR
    return None


def all_transitions() -> list[tuple[S, E, Target]]:
    """Every (state, event, target) the engine accepts: for the diagram and the walk test."""
    rows = [(s, e, t) for s, events in TRANSITIONS.items() for e, t in events.items()]
    rows += [(s, e, t) for s in SESSION_STEPS for e, t in GLOBAL.items()]
    rows += [(s, E.CARD_REMOVED, S.CARD_PAUSED) for s in CARD_HELD_STEPS]
    rows += [(s, E.DEVICE_ERROR, S.ERROR) for s in DEVICE_STEPS]
    return rows


def mermaid() -> str:
    """The table as a Mermaid state diagram (`kiosk journey --diagram`)."""
    lines = ["stateDiagram-v2", "    [*] --> welcome"]
    for marker in (AFTER_IDENTITY, RESUME, SKIP):
        lines.append(f"    state {marker} <<choice>>")
    for journey, step in AFTER_IDENTITY_TARGETS.items():
        lines.append(f"    {AFTER_IDENTITY} --> {step.value}: {journey}")
    lines.append(f"    {RESUME} --> failed_or_paused_step")
    lines.append(f"    {SKIP} --> {AFTER_IDENTITY}: face check overridden")
    for state, event, target in all_transitions():
        if target == STAY:
            continue
        name = target.value if isinstance(target, S) else target
        lines.append(f"    {state.value} --> {name}: {event.value}")
    return "\n".join(lines) + "\n"
