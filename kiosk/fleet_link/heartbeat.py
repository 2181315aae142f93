"""The heartbeat event (docs/fleet_link.md §2): version, device health, paper, speech, outbox
backlog and today's figures. Counts, states and step names only: no personal data.

Device health comes from the probes `kiosk doctor` uses (`registry.probe` of the reader and the
printer), asked at most every `PROBE_EVERY_S`. A serial device (a `pn532:` reader, an `escpos:`
printer) must not be opened under a running step: it is probed only when a `busy` check is given
(the UI knows when a citizen is being served) and says the kiosk is idle; otherwise its last
answer (at first `unknown`) is kept. The camera is not opened (the running kiosk holds it):
its source is only looked for.
Speech lives in the UI, which reports it with `DeviceHealth.report("speech", "ok")`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import KioskConfig
from kiosk.ops.daily_report import summarize_day, today_in_vietnam
from kiosk.records.outbox import Outbox
from kiosk.store import Store

PROBE_EVERY_S = 300.0
SERIAL_PREFIXES = ("pn532:", "escpos:")  # opened by their probe: only while idle
DEVICE_STATES = ("ok", "failed", "missing", "unknown")
PAPER_STATES = ("ok", "low", "out", "unknown")


def _probe_state(result: Any) -> str:
    from devices.probe import ProbeState

    return {
        ProbeState.PRESENT: "ok",
        ProbeState.ATTENTION: "ok",
        ProbeState.ABSENT: "missing",
        ProbeState.ERROR: "failed",
    }.get(result.state, "unknown")


def _paper_state(result: Any, printer_spec: str) -> str:
    """What the printer's probe says about paper: only a printer that reports it (ESC/POS)."""
    from devices.probe import ProbeState

    if not printer_spec.startswith("escpos:"):
        return "unknown"
    if "paper" in result.message and result.state is ProbeState.ERROR:
        return "out"
    if "paper" in result.message and result.state is ProbeState.ATTENTION:
        return "low"
    return "ok" if result.state is ProbeState.PRESENT else "unknown"


def _camera_state(spec: int | str) -> str:
    """Whether the camera's source is there, without opening it."""
    if spec == "sample":
        return "ok"
    if isinstance(spec, int):
        device = Path(f"/dev/video{spec}")
        if not Path("/dev").is_dir():
            return "unknown"  # not Linux: nothing to look at without opening it
        return "ok" if device.exists() else "missing"
    return "ok" if Path(spec).expanduser().exists() else "missing"


class DeviceHealth:
    def __init__(
        self,
        config: KioskConfig,
        busy: Callable[[], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
        probe_every_s: float = PROBE_EVERY_S,
    ) -> None:
        self.config = config
        self.busy = busy
        self.clock = clock
        self.probe_every_s = probe_every_s
        self._lock = threading.Lock()
        self._states: dict[str, str] = {
            "reader": "unknown",
            "camera": "unknown",
            "printer": "unknown",
            "paper": "unknown",
            "speech": "unknown",
        }
        self._probed_at: float | None = None

    def report(self, device: str, state: str) -> None:
        """A state seen elsewhere (the UI's speech, a step's device failure)."""
        allowed = PAPER_STATES if device == "paper" else DEVICE_STATES
        if device not in self._states or state not in allowed:
            raise ValueError(f"unknown device state {device}={state}")
        with self._lock:
            self._states[device] = state

    def states(self) -> dict[str, str]:
        due = self._probed_at is None or self.clock() - self._probed_at >= self.probe_every_s
        if due:
            self._probe()
        with self._lock:
            return dict(self._states)

    def _probe(self) -> None:
        from devices.card.transports import registry as readers
        from devices.printer import registry as printers
        from devices.printer.base import PrinterSetup

        devices = self.config.devices
        idle = self.busy is not None and not self.busy()
        found: dict[str, str] = {}
        if idle or not devices.card_reader.startswith(SERIAL_PREFIXES):
            try:
                found["reader"] = _probe_state(readers.probe(devices.card_reader))
            except Exception:  # a probe that crashes says the device failed, not the kiosk
                found["reader"] = "failed"
        if idle or not devices.printer.startswith(SERIAL_PREFIXES):
            try:
                result = printers.probe(devices.printer, PrinterSetup(self.config.print_dir))
                found["printer"] = _probe_state(result)
                found["paper"] = _paper_state(result, devices.printer)
            except Exception:
                found["printer"], found["paper"] = "failed", "unknown"
        found["camera"] = _camera_state(devices.camera)
        with self._lock:
            self._states.update(found)
            self._probed_at = self.clock()


def today_figures(store: Store, now: datetime) -> dict[str, Any]:
    """Visits, outcomes per procedure and median step times of today (Vietnam time)."""
    summary = summarize_day(store, today_in_vietnam(now))
    outcomes = {
        p.code: {
            name: count
            for name, count in (
                ("submitted", p.dossiers),
                ("rejected", p.rejected),
                ("abandoned", p.abandoned),
            )
            if count
        }
        for p in summary.procedures
    }
    return {
        "visits": summary.sessions["total"],
        "outcomes": outcomes,
        "median_step_s": {s.step: s.median_s for s in summary.steps},
    }


def build_heartbeat(
    config: KioskConfig, store: Store, devices: DeviceHealth, now: datetime
) -> dict[str, Any]:
    guard = Outbox(store, config.outbox, clock=lambda: now).guardrail()
    return {
        "version": __version__,
        "devices": devices.states(),
        "outbox": {
            "unsent": guard.unsent,
            "oldest_unsent_s": int(guard.oldest_age.total_seconds()) if guard.oldest_age else 0,
            "soft_limit": config.outbox.soft_limit_count,
        },
        "today": today_figures(store, now),
    }
