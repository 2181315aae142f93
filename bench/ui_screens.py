"""UI responsiveness with the real services: how long a screen change takes, and how long the GUI
thread stalls while a demo citizen goes through a whole journey (QR and card read through the
simulated chip, face check with the sample camera and the face model's process, documents, the
local portal, the simulated bank, the receipt).

    python -m bench ui_screens [--rounds N] [--cpu-load] [--size WxH]

Targets (docs/ui.md): average screen change ≤ 100 ms; GUI-thread stall ≤ 50 ms during card reads
and face matching. The stall is the lateness of a 5 ms timer on the GUI thread (the event loop
runs as in the kiosk: `exec()`, not a polling loop). A late tick whose window spans a screen
change is counted as part of the screen change, not as a stall of the step. The kiosk first warms
up (`kiosk.services.warm_up`) and builds its screens behind the welcome screen, as `kiosk run`
does; the stalls of that time are reported as `start-up`.

`--cpu-load` adds pure-Python work (which holds the GIL: the worst case) to the card read and
the face check, on their worker thread, with a progress report every 0.1 s.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from typing import Any

WORK_STEPS = ("qr_scan", "card_read", "face_check", "documents", "submit", "fee", "receipt")
SETTLE_MS = 400  # a citizen reads the screen before answering


def _cpu(seconds: float) -> None:
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        for i in range(2000):
            x += i * i


class _Loaded:
    """Wraps a service: `seconds` of pure-Python work, reported as progress, before the call."""

    def __init__(self, inner: Any, method: str, key: str, seconds: float = 1.0) -> None:
        self._inner, self._method, self._key, self._seconds = inner, method, key, seconds

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name != self._method:
            return attr

        def loaded(*args: Any) -> Any:
            progress = args[-1]
            for i in range(int(self._seconds * 10)):
                _cpu(0.1)
                progress(i / 10, self._key)
            return attr(*args)

        return loaded


def _photographed(services: Any, procedure: Any) -> bool:
    """The procedure's papers are all photographed at the kiosk (none shown at the counter)."""
    spec = getattr(services.dossiers, "spec", None)
    if spec is None:
        return bool(procedure.documents)
    sources = {d.source for d in spec(procedure).documents}
    return "camera" in sources and "counter" not in sources


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * q))] if values else 0.0


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="bench ui_screens")
    parser.add_argument("--rounds", type=int, default=5, help="screen-change rounds")
    parser.add_argument("--cpu-load", action="store_true", help="add GIL-holding work")
    parser.add_argument("--size", default="1366x768", help="window size (1366x768, 1920x1080)")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig
    from kiosk.runtime import open_runtime
    from ui import theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    theme.load_fonts()
    app.setFont(theme.font(theme.BODY_PX))

    scratch = tempfile.TemporaryDirectory(prefix="bench-ui-")
    base = KioskConfig()
    config = replace(base, storage=replace(base.storage, data_dir=scratch.name))
    started = time.perf_counter()
    runtime = open_runtime(config, demo=True)
    print(f"runtime (demo services) opened in {(time.perf_counter() - started) * 1000:.0f} ms")
    services = runtime.services
    if args.cpu_load:
        services = replace(
            services,
            card=_Loaded(services.card, "read_identity", "reading"),
            face=_Loaded(services.face, "verify", "look_at_camera"),
        )
    try:
        return _run(args, width, height, app, runtime, services)
    finally:
        runtime.close()
        scratch.cleanup()


def _run(args: Any, width: int, height: int, app: Any, runtime: Any, services: Any) -> int:
    import gc
    import random
    import threading

    from PySide6.QtCore import QEventLoop, QRunnable, QThreadPool, QTimer

    from kiosk.journey.engine import JourneyEngine, Transition
    from kiosk.journey.events import ChoseSubmit, ProcedureChosen
    from kiosk.journey.steps import StepId
    from kiosk.ops.simulate import ScriptedCitizen
    from kiosk.services.warm_up import warm_up
    from ui.main_window import MainWindow
    from ui.voice import Voice

    # --- one real journey, with the GUI-thread latency timer running ------------------------
    engine = JourneyEngine(services)
    window = MainWindow(
        engine, runtime.config, voice=Voice(audio=False, live_tts=False), watch_card=True
    )
    window.resize(width, height)
    window.show()
    window.runtime_ready()
    app.processEvents()
    citizen = ScriptedCitizen(random.Random(1), runtime.otp_source)
    snapshot: dict[str, Any] = {}
    entered: dict[str, float] = {}
    changes = [0]

    def on_transition(transition: Transition, ctx: Any) -> None:
        if transition.new is not transition.old:
            changes[0] += 1
            entered[transition.new.value] = time.perf_counter()
        if transition.new is StepId.DONE and "ctx" not in snapshot:
            snapshot["ctx"] = copy.deepcopy(ctx)

    engine.add_listener(on_transition)

    stalls: dict[str, list[float]] = defaultdict(list)  # step → lateness of each tick (ms)
    change_gaps: list[tuple[float, str]] = []  # (lateness, the step shown)
    last_tick = [time.perf_counter()]
    last_change = [0]

    # As `kiosk run` does: the warm-up on a worker while the welcome screen waits.
    warmed = threading.Event()
    took: dict[str, float] = {}

    class WarmUp(QRunnable):
        def run(self) -> None:
            took.update(warm_up(runtime))
            warmed.set()

    def tick() -> None:
        now = time.perf_counter()
        gap = (now - last_tick[0]) * 1000 - 5
        if changes[0] != last_change[0]:
            change_gaps.append((gap, engine.state.value))
        elif not warmed.is_set() or window.prebuild_timer.isActive():
            stalls["start-up"].append(gap)  # warm-up and screen building: before any citizen
        else:
            stalls[engine.state.value].append(gap)
        last_tick[0], last_change[0] = now, changes[0]

    # Full garbage collections hold the GIL: their length is the usual cause of a stall.
    collections: list[tuple[float, int, str]] = []  # (ms, generation, step)
    collecting = [0.0]

    def on_collection(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting[0] = time.perf_counter()
        elif warmed.is_set():
            took_ms = (time.perf_counter() - collecting[0]) * 1000
            collections.append((took_ms, info["generation"], engine.state.value))

    gc.callbacks.append(on_collection)
    loop = QEventLoop()

    def drive() -> None:
        state = engine.state
        if state is StepId.WELCOME:
            # the kiosk waits for its citizen (warming up and building its screens meanwhile)
            if warmed.is_set() and "warmed" not in entered:
                entered["warmed"] = time.perf_counter()
                window.runtime_warmed()
            elif warmed.is_set() and not window.prebuild_timer.isActive():
                window.dispatch(ChoseSubmit())
            return
        if state in (StepId.DONE, StepId.ERROR, StepId.STAFF_HELP):
            loop.quit()
            return
        if window.runner.busy is not None or state is StepId.FEE:
            return  # the kiosk works (or the simulated bank pays): the citizen waits
        if (time.perf_counter() - entered.get(state.value, 0)) * 1000 < SETTLE_MS:
            return
        if state is StepId.CHOOSE_PROCEDURE and engine.ctx.procedures:
            # one with documents to photograph and a fee to pay: the whole journey
            paid = [p for p in engine.ctx.procedures if p.fee_vnd and _photographed(services, p)]
            chosen = min(paid, key=lambda p: p.fee_vnd) if paid else engine.ctx.procedures[0]
            window.dispatch(ProcedureChosen(chosen.code))
            return
        reply = citizen.answer(engine)
        if reply is not None:
            window.dispatch(reply)

    ticker = QTimer(interval=5)
    ticker.timeout.connect(tick)
    driver = QTimer(interval=50)
    driver.timeout.connect(drive)
    guard = QTimer(singleShot=True, interval=120_000)
    guard.timeout.connect(loop.quit)
    journey_started = time.perf_counter()
    last_tick[0] = journey_started
    ticker.start()
    driver.start()
    guard.start()
    QThreadPool.globalInstance().start(WarmUp())
    loop.exec()
    gc.callbacks.remove(on_collection)
    ticker.stop()
    driver.stop()
    journey_s = time.perf_counter() - entered.get("consent", journey_started)
    final = engine.state
    error = engine.ctx.error_code
    if error:
        error += f" at {engine.ctx.failed_step} {engine.ctx.unavailable_feature}".rstrip()
    window.runner.wait_idle(5000)
    window.close()

    # --- screen changes, with the journey's own data ------------------------------------------
    ctx = snapshot.get("ctx")
    first: list[float] = []
    again: list[float] = []
    if ctx is not None:
        engine = JourneyEngine(services)
        window = MainWindow(
            engine, runtime.config, voice=Voice(audio=False, live_tts=False), watch_card=False
        )
        window.runner.kick = lambda: None  # type: ignore[method-assign]  # render only, no work
        window.prebuild_timer.stop()  # first shows build their screen: the cold case
        window.resize(width, height)
        window.show()
        app.processEvents()
        engine.ctx = ctx
        for round_ in range(args.rounds):
            for step in StepId:
                engine.state = step
                start = time.perf_counter()
                window.show_step(step)
                window.repaint()  # the first paint of the new screen, synchronously
                app.processEvents()
                (first if round_ == 0 else again).append((time.perf_counter() - start) * 1000)
        for step in StepId:
            window.screen_for(step).leave()
        window.close()

    print("warm-up (s): " + ", ".join(f"{name} {seconds}" for name, seconds in took.items()))
    print(f"journey: {final.value} in {journey_s:.1f} s" + (f" (error {error})" if error else ""))
    print("GUI-thread stall per step (ms, lateness of a 5 ms timer)")
    print("step                 ticks   p50    p99    max")
    work_max = citizen_max = 0.0
    for name, gaps in stalls.items():
        print(
            f"{name:18} {len(gaps):7d} {_pct(gaps, 0.5):6.1f} {_pct(gaps, 0.99):6.1f} "
            f"{max(gaps):6.1f}"
        )
        if name in WORK_STEPS:
            work_max = max(work_max, max(gaps))
        if name != "start-up":
            citizen_max = max(citizen_max, max(gaps))
    every = [g for name, gaps in stalls.items() if name != "start-up" for g in gaps]
    worst_gc = max(collections, default=(0.0, 0, ""))
    print()
    print("metric                                     value    target")
    if first:
        mean_all = statistics.mean(first + again)
        print(f"screen change, first show (median ms)    {statistics.median(first):7.1f}")
        if again:
            print(f"screen change, shown before (median ms)  {statistics.median(again):7.1f}")
        print(
            f"screen change, average of all (ms)       {mean_all:7.1f}    <= 100  "
            f"ratio {mean_all / 100:.2f}"
        )
        print(f"screen change, slowest (ms)              {max(first + again):7.1f}")
    slowest = sorted(change_gaps, reverse=True)[:3]
    print(
        "screen change in the journey, max (ms)   "
        f"{slowest[0][0] if slowest else 0:7.1f}    ("
        + ", ".join(f"{step} {gap:.0f}" for gap, step in slowest)
        + ")"
    )
    print(f"GUI stall, all steps, p99 (ms)           {_pct(every, 0.99):7.1f}")
    print(
        f"GUI stall during device work, max (ms)   {work_max:7.1f}    <= 50   "
        f"ratio {work_max / 50:.2f}"
    )
    print(f"GUI stall, any citizen step, max (ms)    {citizen_max:7.1f}")
    print(f"GUI stall at start-up (warm-up), max (ms) {max(stalls['start-up'], default=0):6.1f}")
    print(
        f"longest garbage collection (ms)          {worst_gc[0]:7.1f}    "
        f"(generation {worst_gc[1]}, during {worst_gc[2] or '-'}; {len(collections)} in all)"
    )
    reached = final is StepId.DONE
    print(f"journey reached the done screen: {reached}")
    return 0 if reached else 1
