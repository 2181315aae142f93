"""`kiosk simulate`: complete citizen journeys, headless, through the same engine and services as
the kiosk, with a scripted citizen standing in for the screen (like an automatic UI).

Honesty rule: a step is "passed" only when its real work succeeded; a step whose service is not
built is reported as `not_built`, and the journey as failed with that reason.

Simulation never touches production (docs/architecture.md §6): it runs on its own store — its own
data folder and the SQLite database in it, never `[storage] database_url` — with its own keys and
logs there; it refuses a store that holds a kiosk's dossiers, drafts or sessions unless the store
is marked as a simulation's (the audit event `simulation_store`, written into every store a
simulation uses). The citizens are different people (`devices.card.simulator.simulated_citizens`),
each at the kiosk in turn with a simulated chip.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select

from kiosk.config import DevicesConfig, KioskConfig
from kiosk.domain.forms import Control, answer_problem, control_for
from kiosk.journey.engine import HeadlessRunner, JourneyEngine, Transition
from kiosk.journey.events import (
    Back,
    Cancelled,
    ChoseAccount,
    ChoseStatus,
    ChoseSubmit,
    Confirmed,
    Event,
    FaceFailed,
    Failed,
    FieldCorrected,
    FieldSkipped,
    Finished,
    IdleTimeout,
    OtpEntered,
    OtpSent,
    PhoneEntered,
    ProcedureChosen,
    ProceduresLoaded,
    StatusFound,
    TicketRequested,
    Unavailable,
)
from kiosk.journey.steps import StepId
from kiosk.journey.steps.form import VILLAGES, current_question
from kiosk.journey.steps.registry import STEP, STEPS
from kiosk.services.interfaces import Services
from kiosk.store import Store, open_store
from kiosk.store.models import AuditEvent, Dossier, DraftRow, KioskSession

JOURNEY_MIX: list[tuple[Event, float]] = [
    (ChoseSubmit(), 0.7),
    (ChoseAccount(), 0.2),
    (ChoseStatus(), 0.1),
]
END_STEPS = {step.id for step in STEPS if step.ends_journey}
MAX_EVENTS = 200
LEAVING = (Cancelled, IdleTimeout, Finished, Back)
HELP_STEPS = {step.id for step in STEPS if step.aside}


@dataclass
class CitizenRun:
    journey: str
    completed: bool
    failure: str = ""  # "<step>: <code or feature>"
    step_results: dict[str, str] = field(default_factory=dict)  # step -> passed|failed|not_built
    step_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


class ScriptedCitizen:
    """Answers every step that waits for a person, as a cooperative citizen would."""

    def __init__(self, rng: random.Random, otp_source: Any = None) -> None:
        self.rng = rng
        self.otp_source = otp_source  # callable(phone) -> otp, provided by the demo portal

    def choose_journey(self) -> Event:
        roll = self.rng.random()
        for event, weight in JOURNEY_MIX:
            if roll < weight:
                return event
            roll -= weight
        return JOURNEY_MIX[0][0]

    def answer(self, engine: JourneyEngine) -> Event | None:
        """What the citizen types or picks; otherwise the step's own cooperative answer (consent,
        review, paying at the counter when the QR cannot be confirmed offline)."""
        state, ctx = engine.state, engine.ctx
        if state is StepId.CHOOSE_PROCEDURE and ctx.procedures:
            return ProcedureChosen(self.rng.choice(ctx.procedures).code)
        if state is StepId.PROCEDURE_DETAIL and ctx.procedure and ctx.procedure.at_counter:
            return TicketRequested()
        if state is StepId.FORM and ctx.draft is not None:
            return self.fill_or_confirm(engine)
        if state is StepId.ACCOUNT_PHONE:
            return PhoneEntered(f"09{self.rng.randrange(10**8):08d}")
        if state is StepId.ACCOUNT_OTP:
            if self.otp_source is None:
                return None
            return OtpEntered(self.otp_source(ctx.phone))
        return STEP[state].answer

    def fill_or_confirm(self, engine: JourneyEngine) -> Event:
        """Accept the chip's card; answer each question the chip could not (a child's name, a
        date) with a value the form accepts, or skip an optional one now and then."""
        spec = current_question(engine.ctx)
        if spec is None:
            return Confirmed()  # the chip's card is right
        if not spec.required and self.rng.random() < 0.5:
            return FieldSkipped(spec.key)
        for value in self.candidates(spec, engine.ctx.extras.get(VILLAGES, ())):
            if answer_problem(spec, value, date.today()) is None:
                return FieldCorrected(spec.key, value)
        return Confirmed()  # nothing fits: the form will say why

    def candidates(self, spec: Any, villages: Sequence[str] = ()) -> list[str]:
        """Answers by the question's control (what the screen offers) and key (what it asks)."""
        today = date.today()
        control = control_for(spec)
        if control is Control.CHOICE:
            return [self.rng.choice(spec.choices)]
        if control is Control.DATE:
            days = (-10, 60, -365 * 30, 365)
            return [(today + timedelta(days=d)).strftime("%d/%m/%Y") for d in days]
        if control is Control.PLACE:  # a village from the commune's list, as a finger picks
            return [self.rng.choice(list(villages) or PLACES)]
        if control is Control.KEYPAD:
            if spec.kind == "phone":
                return [f"09{self.rng.randrange(10**8):08d}"]
            if spec.kind == "number":
                return [str(self.rng.randint(1, 3))]
            if spec.kind == "id_number":
                return [f"0010{self.rng.randrange(10**8):08d}"]
            return [f"{self.rng.randrange(10**12):012d}"]  # a digit-only code (licence number)
        words = next((w for part, w in KEYBOARD_WORDS if part in spec.key), FREE_WORDS)
        return [self.rng.choice(words)]


NAMES = ["Nguyễn Thị Mai", "Trần Văn Bình", "Lê Hoàng Nam", "Phạm Thị Hương"]
PLACES = ["Thôn 2, Xã Đông Hưng, Tỉnh Thái Bình", "Ấp Tân Lập, Xã Vĩnh Hậu, Tỉnh Bạc Liêu"]
RELATIONSHIPS = ["Con", "Vợ", "Chồng", "Cha", "Mẹ", "Anh ruột"]
# Typed answers by a word of the question's key (first match wins), else FREE_WORDS.
KEYBOARD_WORDS: tuple[tuple[str, list[str]], ...] = (
    ("name", NAMES),
    ("relationship", RELATIONSHIPS),
    ("ethnicity", ["Kinh", "Tày", "Mường"]),
    ("cause", ["Bệnh già", "Bệnh tim"]),
    ("purpose", ["Bổ sung hồ sơ xin việc", "Làm thủ tục vay vốn ngân hàng"]),
    ("document", ["Giấy khai sinh", "Bằng tốt nghiệp trung học phổ thông"]),
)
FREE_WORDS = ["Không có"]


def run_one(engine: JourneyEngine, citizen: ScriptedCitizen) -> CitizenRun:
    runner = HeadlessRunner(engine)
    results: dict[str, str] = {}

    def watch(transition: Transition, ctx: Any) -> None:
        event = transition.event
        step = transition.old.value
        if isinstance(event, LEAVING) or transition.old in HELP_STEPS:
            return  # walking away or being helped is not a step passing
        if isinstance(event, Unavailable):
            results[step] = "not_built"
        elif isinstance(event, Failed | FaceFailed):
            results[step] = "failed"
        elif transition.old is not transition.new or isinstance(
            event, StatusFound | ProceduresLoaded | OtpSent
        ):
            results.setdefault(step, "passed")

    engine.add_listener(watch)
    start = time.perf_counter()
    first = citizen.choose_journey()
    run = CitizenRun(journey=first.kind.removeprefix("chose_"), completed=False)
    engine.dispatch(first)
    for _ in range(MAX_EVENTS):
        runner.settle()
        state = engine.state
        if state in END_STEPS and (
            state is not StepId.STATUS_LIST or engine.ctx.statuses is not None
        ):
            if state is StepId.DONE and engine.ctx.error_code and not engine.ctx.receipt_location:
                results[StepId.RECEIPT.value] = "failed"
            run.completed = True
            break
        if state in (StepId.ERROR, StepId.STAFF_HELP):
            failed = engine.ctx.failed_step or "?"
            reason = engine.ctx.unavailable_feature or engine.ctx.error_code or "?"
            kind = "not built" if engine.ctx.unavailable_feature else "error"
            run.failure = f"{failed}: {kind}: {reason}"
            break
        reply = citizen.answer(engine)
        if reply is None or not engine.dispatch(reply):
            run.failure = f"{state.value}: the scripted citizen had no answer"
            break
    else:
        run.failure = f"{engine.state.value}: too many events"
    run.step_seconds = dict(engine.ctx.timings)
    # Leave like a citizen: finish (or walk away) — the session is closed and wiped either way.
    engine.dispatch(Confirmed() if run.completed else Cancelled())
    engine.dispatch(Finished())
    run.step_results = results
    run.seconds = time.perf_counter() - start
    return run


def simulate(
    services: Services,
    citizens: int,
    seed: int,
    engine_hook: Any = None,
    otp_source: Any = None,
    people: Sequence[Any] = (),
) -> dict[str, Any]:
    """`citizens` journeys; with `people` (simulated citizens, `devices.card.simulator`), the
    i-th journey is made by the i-th person, whose card the demo camera and reader then show."""
    from devices.card.simulator import step_up

    rng = random.Random(seed)
    runs: list[CitizenRun] = []
    try:
        for index in range(citizens):
            if people:
                step_up(people[index % len(people)])
            engine = JourneyEngine(services)
            if engine_hook is not None:
                engine_hook(engine)
            runs.append(run_one(engine, ScriptedCitizen(rng, otp_source)))
    finally:
        step_up(None)
    return summarize(runs)


# --- its own store ------------------------------------------------------------------------------

SIMULATION_MARK = "simulation_store"  # the audit action that marks a store as a simulation's
SIMULATION_ACTOR = "kiosk:simulate"


def simulation_config(config: KioskConfig, data_dir: Path, devices: DevicesConfig) -> KioskConfig:
    """`config` with everything that is stored moved into `data_dir`: the SQLite database there
    (never `[storage] database_url`), a key file there (never the machine's key), the logs and the
    trust store there; the demo `devices`; `[portal]` as configured (empty: the local portal)."""
    return replace(
        config,
        devices=devices,
        storage=replace(config.storage, data_dir=str(data_dir), database_url=""),
        security=replace(
            config.security, machine_key="file", machine_key_file="", trust_store="", log_dir=""
        ),
    )


def kiosk_data_in(url: str) -> str | None:
    """What a kiosk (not a simulation) left in the store at `url`, in words; None when the store is
    empty or a simulation's. Reads only: nothing is created or migrated."""
    store = open_store(url, migrate=False)
    try:
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        if not {"dossiers", "audit_events"} <= tables:
            return None  # a new database
        with store.session() as session:
            if session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == SIMULATION_MARK)
            ):
                return None
            counts = {
                "dossiers": session.scalar(select(func.count(Dossier.id))) or 0,
                "drafts": session.scalar(select(func.count(DraftRow.id)))
                if "dossier_drafts" in tables
                else 0,
                "sessions": session.scalar(select(func.count(KioskSession.id))) or 0,
            }
    finally:
        store.close()
    found = [f"{count} {what}" for what, count in counts.items() if count]
    return ", ".join(found) or None


def mark_simulation_store(store: Store, audit: Any) -> None:
    """Write the simulation mark into `store`'s audit log (once)."""
    with store.session() as session:
        marked = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == SIMULATION_MARK)
        )
    if not marked:
        audit.append(SIMULATION_ACTOR, SIMULATION_MARK, {"note": "a kiosk simulate store"})


def summarize(runs: list[CitizenRun]) -> dict[str, Any]:
    steps: dict[str, Counter[str]] = defaultdict(Counter)
    seconds: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        for step, result in run.step_results.items():
            steps[step][result] += 1
        for step, value in run.step_seconds.items():
            seconds[step].append(value)
    return {
        "citizens": len(runs),
        "completed": sum(r.completed for r in runs),
        "failed": sum(not r.completed for r in runs),
        "journeys": dict(Counter(r.journey for r in runs)),
        "failures": dict(Counter(r.failure for r in runs if r.failure)),
        "steps": {
            step: {
                **dict(counts),
                "median_s": round(statistics.median(seconds[step]), 4) if seconds[step] else None,
            }
            for step, counts in sorted(steps.items())
        },
        "median_journey_s": round(statistics.median(r.seconds for r in runs), 4) if runs else None,
    }
