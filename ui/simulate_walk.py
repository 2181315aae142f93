"""`kiosk simulate --ui`: the scripted citizens of `kiosk simulate` walk the real main window
(offscreen, the demo runtime, the real catalogue), and every screen state they pass is saved as a
picture, with every sentence the kiosk said.

The contract (docs/ui.md §6): `DIR/NNN-<step>[--<state>].png` for every screen state, `<step>` as
`kiosk journey --diagram` names it, each PNG exactly the requested size; `DIR/said.txt` with one
line per spoken sentence, `<clip|tts>\\t<sentence>`.

The first citizens follow a tour so that a short walk still passes everything: every journey,
every procedure of the catalogue, a help call, the idle question (more time, and running out), a
step back from the review, a refused submission (an error screen) and a declined consent. Later
citizens choose as `kiosk simulate`'s do, from the seed. Answers go through the screen's own
intent signal (the path its buttons take); help, idle and back are tapped on the real buttons.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLayout, QWidget

from kiosk.journey.engine import JourneyEngine, Transition
from kiosk.journey.events import (
    Back,
    Cancelled,
    Confirmed,
    Declined,
    Event,
    FaceFailed,
    Failed,
    Finished,
    ProcedureChosen,
    Unavailable,
)
from kiosk.journey.steps import StepId
from kiosk.journey.steps.registry import STEPS
from kiosk.ops.simulate import CitizenRun, ScriptedCitizen, summarize

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.runtime import Runtime
    from ui.main_window import MainWindow

END_STEPS = {step.id for step in STEPS if step.ends_journey}
HELP_STEPS = {step.id for step in STEPS if step.aside}
MAX_EVENTS = 200
SETTLE_TIMEOUT_S = 60.0
DEFAULT_SIZE = (1366, 768)

Inspector = Callable[["MainWindow", QSize], list[str]]


@dataclass(frozen=True)
class Visit:
    """One citizen of the tour: a journey, the procedure to choose, the detours to take."""

    journey: str  # submit | account | status | practice
    procedure: int | None = None  # index into the catalogue's list
    detours: frozenset[str] = frozenset()


def tour(procedures: int) -> list[Visit]:
    """Every journey, every procedure, the help, idle, back, error and decline paths. The first
    four pass every kind of screen (a dossier with help, idle and back; an account; an error; a
    counter procedure): the walk the default test run takes at each size."""
    visits = [
        Visit("submit", 0, frozenset({"call_staff", "idle_more_time", "back_from_review"})),
        Visit("account"),
        Visit("submit", 1, frozenset({"portal_refuses"})),
        Visit("submit", 2, frozenset({"idle_runs_out"})),  # a procedure done at the counter
        Visit("status"),
        Visit("practice"),
        Visit("submit", None, frozenset({"decline"})),
    ]
    visits += [Visit("submit", index) for index in range(3, procedures)]
    return visits


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{3,4})x(\d{3,4})", text.strip().lower())
    if match is None:
        raise ValueError(f"--size must be WIDTHxHEIGHT (e.g. 1366x768), got {text!r}")
    return int(match.group(1)), int(match.group(2))


def _in_layout(layout: QLayout, widget: QWidget) -> bool:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if item.widget() is widget:
            return True
        inner = item.layout()
        if inner is not None and _in_layout(inner, widget):
            return True
    return False


def _show_laid_out_children(window: QWidget) -> None:
    """Show the widgets a layout has just taken in, as Qt's queued call is about to (a widget
    added to a shown layout stays hidden until then, unless hidden on purpose)."""
    for widget in window.findChildren(QWidget):
        parent = widget.parentWidget()
        layout = parent.layout() if parent is not None else None
        if (
            widget.isHidden()
            and not widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
            and parent is not None
            and parent.isVisible()
            and layout is not None
            and _in_layout(layout, widget)
        ):
            widget.show()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")


@dataclass
class Walk:
    """One walk through the window: names, grabs and checks every screen state it passes."""

    window: MainWindow
    out_dir: Path
    size: QSize
    inspect: Inspector | None = None
    shots: list[Path] = field(default_factory=list)
    said: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # what the walk did on this screen (help, …)
    dirty: bool = False
    _last: tuple[object, ...] | None = None

    @property
    def engine(self) -> JourneyEngine:
        return self.window.engine

    def state_name(self) -> str:
        view, window = self.window.view, self.window
        parts: list[str] = []
        if view is not None and view.step is self.engine.state:
            if not view.ready:
                parts.append("loading")
            parts += [view.field_key, view.progress_key, view.error_code]
            if view.practice:
                parts.append("practice")
            if view.onlooker:
                parts.append("onlooker")
        parts += self.tags
        if window.idle.isVisible():
            parts.append("idle")
        return "-".join(_slug(part) for part in parts if part)

    def shoot(self, in_listener: bool = False) -> None:
        """Save the window as it is now, once per screen state. From the walk's loop the event
        queue runs first (a new button is shown by a queued call, a layout by a posted event);
        inside the engine's listener it must not (a queued step result would re-enter the
        engine), so only what drawing needs is done there."""
        if in_listener:
            _show_laid_out_children(self.window)
            for _ in range(3):  # a resized label asks its parent again: let the layouts settle
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        else:
            QApplication.processEvents()
            QApplication.processEvents()
        self.dirty = False
        step, state = self.engine.state.value, self.state_name()
        view = self.window.view
        # A new picture when the state or what the screen shows changes (a list loaded, a
        # banner), not for each tick of a progress bar.
        shown = view and (view.title, view.say, view.rows, view.choices, view.big_text)
        seen = (step, state, shown, self.window.current_screen().banner.isVisible())
        if seen == self._last:
            return
        self._last = seen
        name = f"{len(self.shots) + 1:03d}-{step}" + (f"--{state}" if state else "") + ".png"
        path = self.out_dir / name
        picture = self.window.grab(QRect(0, 0, self.size.width(), self.size.height()))
        if not picture.save(str(path)):
            raise OSError(f"cannot write {path}")
        self.shots.append(path)
        if self.inspect is not None:
            self.problems += [f"{name}: {p}" for p in self.inspect(self.window, self.size)]
        if self.window.size() != self.size:  # grown (and reported): back to the screen's size
            self.window.resize(self.size)

    def on_transition(self, transition: Transition, ctx: object) -> None:
        """A new step is pictured at once (it may last less than a frame: a fee paid at once);
        a change in place at the walk's next chance."""
        self.tags = []  # the walk's own action (a help call) was before this change
        if transition.new is not transition.old:
            self.shoot(in_listener=True)
        self.dirty = True

    def on_change(self, *_: object) -> None:
        """The engine moved or a device reported progress: picture it at the next chance."""
        self.tags = []  # the walk's own action (a help call) was before this change
        self.dirty = True

    def settle(self, timeout_s: float = SETTLE_TIMEOUT_S) -> bool:
        """Let the step's work run (on the thread pool, as on the kiosk) until a person is
        needed, picturing each state it passes. Returns False when it never settles."""
        runner = self.window.runner
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            QApplication.processEvents()
            if self.dirty:
                self.shoot()
            item = self.engine.pending_work()
            if runner.busy is None and (
                item is None or item.generation == runner.completed_generation
            ):
                QApplication.processEvents()
                if runner.busy is None:
                    self.shoot()
                    return True
            time.sleep(0.005)
        return False

    def send(self, event: Event) -> None:
        """What a button of the current screen sends (the screen's own intent signal)."""
        self.window.current_screen().intent.emit(event)

    def tagged(self, tag: str) -> None:
        self.tags.append(tag)
        self.shoot()


class _StepResults:
    """Which steps passed, failed or were not built (as `kiosk simulate` counts them)."""

    def __init__(self) -> None:
        self.results: dict[str, str] = {}

    def __call__(self, transition: Transition, ctx: object) -> None:
        event, step = transition.event, transition.old.value
        if isinstance(event, Cancelled | Finished | Back) or transition.old in HELP_STEPS:
            return
        if isinstance(event, Unavailable):
            self.results[step] = "not_built"
        elif isinstance(event, Failed | FaceFailed):
            self.results[step] = "failed"
        elif transition.old is not transition.new:
            self.results.setdefault(step, "passed")


def _walk_one(
    walk: Walk, citizen: ScriptedCitizen, visit: Visit, services: Any, results: _StepResults
) -> CitizenRun:
    engine, window = walk.engine, walk.window
    run = CitizenRun(journey=visit.journey, completed=False)
    results.results = {}
    started = time.perf_counter()
    detours = set(visit.detours)
    refuse = "portal_refuses" in detours
    original_submit = services.dossiers.submit
    if refuse:
        services.dossiers.submit = _refusing_submit
    try:
        window.current_screen().choice_buttons[visit.journey].click()  # type: ignore[attr-defined]
        for _ in range(MAX_EVENTS):
            if not walk.settle():
                run.failure = f"{engine.state.value}: the step's work never ended"
                break
            walk.shoot()
            state = engine.state
            if state is StepId.WELCOME:
                run.failure = run.failure or "left: the session ended before its result"
                break
            if state is StepId.GOODBYE:  # practice ends here; so does a declined consent
                run.completed = visit.journey == "practice"
                run.failure = "" if run.completed else "consent: declined"
                break
            if state in END_STEPS and (
                state is not StepId.STATUS_LIST or engine.ctx.statuses is not None
            ):
                run.completed = True
                break
            if state in (StepId.ERROR, StepId.STAFF_HELP):
                reason = engine.ctx.unavailable_feature or engine.ctx.error_code or "?"
                run.failure = f"{engine.ctx.failed_step or '?'}: {reason}"
                break
            if _detour(walk, state, detours):
                continue
            if state is StepId.CHOOSE_PROCEDURE and visit.procedure is not None:
                codes = [procedure.code for procedure in engine.ctx.procedures]
                reply: Event | None = ProcedureChosen(codes[visit.procedure % len(codes)])
            else:
                reply = citizen.answer(engine)
            if reply is None:
                run.failure = f"{state.value}: the scripted citizen had no answer"
                break
            walk.send(reply)
        else:
            run.failure = f"{engine.state.value}: too many events"
    finally:
        if refuse:
            services.dossiers.submit = original_submit
    run.step_seconds = dict(engine.ctx.timings)
    _leave(walk, completed=run.completed)
    run.step_results = results.results
    run.seconds = time.perf_counter() - started
    return run


def _refusing_submit(draft: Any, identity: Any) -> Any:
    from kiosk.services.dossiers import DossierRejected

    raise DossierRejected("walk", "the walk's refused submission (an error screen)")


def _detour(walk: Walk, state: StepId, detours: set[str]) -> bool:
    """Take the visit's detour planned for this step (once). True if one was taken."""
    window = walk.window
    if state is StepId.CONSENT and "decline" in detours:
        detours.discard("decline")
        walk.send(Declined())
        return True
    if state is StepId.FORM and "call_staff" in detours:
        detours.discard("call_staff")
        window.current_screen().header.staff_button.click()
        walk.tagged("help")
        return True
    if state is StepId.REVIEW and "idle_more_time" in detours:
        detours.discard("idle_more_time")
        window.idle_timer.timeout.emit()  # the idle time is up: the kiosk asks
        walk.shoot()
        window.idle.more_time.click()
        walk.shoot()
        return True
    if state is StepId.REVIEW and "back_from_review" in detours:
        detours.discard("back_from_review")
        window.current_screen().back_button.click()
        return True
    if state is StepId.REVIEW and "idle_runs_out" in detours:
        detours.discard("idle_runs_out")
        window.idle_timer.timeout.emit()
        walk.shoot()
        for _ in range(window.countdown_left):
            window.countdown_timer.timeout.emit()  # each second of the countdown
        return True
    return False


def _leave(walk: Walk, completed: bool) -> None:
    """Leave like a citizen: finish (or walk away), then past the goodbye screen."""
    engine = walk.engine
    for _ in range(4):
        walk.settle()
        walk.shoot()
        if engine.state is StepId.WELCOME:
            return
        if engine.state is StepId.GOODBYE:
            walk.send(Finished())
        else:
            walk.send(Confirmed() if completed and engine.state in END_STEPS else Cancelled())
    walk.settle()


def walk(
    runtime: Runtime,
    config: KioskConfig,
    citizens: int,
    seed: int,
    out_dir: Path,
    size: tuple[int, int] = DEFAULT_SIZE,
    inspect: Inspector | None = None,
) -> dict[str, Any]:
    """Walk `citizens` scripted citizens through a new main window at `size`; the summary is
    `kiosk simulate`'s with the pictures, the sentences and any layout problems added."""
    from kiosk.journey.engine import JourneyEngine
    from ui import theme
    from ui.app import hand_over
    from ui.main_window import MainWindow
    from ui.voice import Voice

    app = QApplication.instance()
    assert isinstance(app, QApplication), "start a QApplication first (run_walk does)"
    out_dir.mkdir(parents=True, exist_ok=True)
    previous_scale = theme.SCALE
    theme.load_fonts()
    theme.set_scale(theme.scale_for(*size))
    app.setFont(theme.font(theme.BODY_PX))
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # handed over as on the kiosk
    window = MainWindow(engine, config, watch_card=False)
    voice = Voice(variant=config.ui.voice, audio=False, live_tts=False)
    try:
        window.resize(*size)
        window.show()
        hand_over(runtime, engine, window, voice)
        window.prebuild_timer.stop()  # build screens as they are reached, like a first citizen
        record = Walk(window, out_dir, QSize(*size), inspect)
        voice.uttered.connect(lambda kind, sentence: record.said.append((kind, sentence)))
        engine.add_listener(record.on_transition)
        results = _StepResults()
        engine.add_listener(results)
        window.runner.progressed.connect(record.on_change)
        record.settle()
        record.shoot()
        rng = random.Random(seed)
        planned = tour(_procedure_count(runtime))
        runs = []
        for index in range(citizens):
            citizen = ScriptedCitizen(rng, runtime.otp_source)
            if index < len(planned):
                visit = planned[index]
            else:
                journey = citizen.choose_journey().kind.removeprefix("chose_")
                visit = Visit(journey)
            runs.append(_walk_one(record, citizen, visit, runtime.services, results))
        (out_dir / "said.txt").write_text(
            "".join(f"{kind}\t{sentence}\n" for kind, sentence in record.said), encoding="utf-8"
        )
    finally:
        engine.end_session("shutdown")
        window.runner.wait_idle(5000)
        window.close()
        window.deleteLater()
        theme.set_scale(previous_scale)
    summary = summarize(runs)
    summary.update(
        size=f"{size[0]}x{size[1]}",
        screenshots=len(record.shots),
        said=len(record.said),
        said_tts=sum(kind == "tts" for kind, _ in record.said),
        layout_problems=record.problems,
    )
    return summary


def _procedure_count(runtime: Runtime) -> int:
    try:
        return len(runtime.services.dossiers.procedures())
    except Exception:  # the tour then covers the first few; the list step says what failed
        return 3


def run_walk(
    config: KioskConfig, citizens: int, seed: int, out_dir: Path, size: tuple[int, int]
) -> dict[str, Any]:
    """The `--ui` branch of `kiosk simulate`: an offscreen Qt application, the demo runtime,
    the walk with the layout checker, and the runtime closed again."""
    from kiosk.runtime import open_runtime
    from ui.layout_check import layout_problems
    from ui.system_printer import SystemPrinter

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(["kiosk-simulate"])
    assert isinstance(app, QApplication)
    runtime = open_runtime(config, demo=True, system_printer=SystemPrinter)
    try:
        return walk(runtime, config, citizens, seed, out_dir, size, inspect=layout_problems)
    finally:
        runtime.close()
