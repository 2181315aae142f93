"""The fleet link: one round every `[fleet] interval_s` (every `HELP_INTERVAL_S` while a help
request is open) on its own thread — queue a heartbeat when due and the audit anchor when it
moved, apply the queue's bounds, send what is queued in batches, hand acknowledgements to the help
desk, apply announced updates. A failed round backs off (doubling, up to `MAX_BACKOFF_S`); the
queue keeps everything meanwhile (docs/fleet_link.md §2). Nothing here runs on the GUI thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig
from kiosk.fleet_link.client import FleetClient
from kiosk.fleet_link.errors import FleetBatchRefused, FleetError, FleetTokenInvalid
from kiosk.fleet_link.heartbeat import DeviceHealth, build_heartbeat
from kiosk.fleet_link.help_desk import ACK_STATES, HelpDeskPort, help_body, is_closed
from kiosk.fleet_link.queue import BATCH, FleetQueue, QueuedEvent
from kiosk.fleet_link.updates import UpdateApplier, UpdateOutcome
from kiosk.records.audit import AuditLog
from kiosk.store import Store

log = logging.getLogger(__name__)

HELP_INTERVAL_S = 2.0
MAX_BACKOFF_S = 600.0
ANCHOR_STATE = "anchor_sha256"

AnchorSource = Callable[[], "bytes | None"]


@dataclass
class RoundReport:
    """What one round (or `kiosk fleet send`) did."""

    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    acks: int = 0
    updates: list[UpdateOutcome] = field(default_factory=list)
    unsent: int = 0
    dropped: int = 0
    refused: int = 0  # events the service refuses (400/413): dropped, audited
    server_time: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "acks": self.acks,
            "updates": [
                {"kind": u.kind, "sha256": u.sha256, "applied": u.applied, "detail": u.detail}
                for u in self.updates
            ],
            "unsent": self.unsent,
            "dropped": self.dropped,
            "refused": self.refused,
        }


class FleetLink:
    def __init__(
        self,
        config: KioskConfig,
        store: Store,
        audit: AuditLog,
        client: FleetClient,
        anchor_source: AnchorSource | None = None,
        devices: DeviceHealth | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.store = store
        self.audit = audit
        self.client = client
        self.queue = FleetQueue(store, clock)
        self.updates = UpdateApplier(
            config.data_dir, config.trust_store, self.queue, audit, config.fleet.update_key
        )
        self.anchor_source = anchor_source
        self.devices = devices or DeviceHealth(config)
        self.clock = clock
        self.monotonic = monotonic
        self.help_desk: HelpDeskPort | None = None
        self.failures = 0
        self.last_error = ""
        self._open_help: set[str] = set()
        self._acked: set[tuple[str, str]] = set()
        self._to_confirm: set[tuple[str, str]] = set()  # applied acks the service must forget
        self._next_heartbeat = 0.0
        self._lock = threading.Lock()  # one round at a time (thread, `kiosk fleet send`)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- what the rest of the kiosk calls -------------------------------------------------------

    def attach_help_desk(self, desk: HelpDeskPort) -> None:
        self.help_desk = desk
        desk.add_listener(self.on_help_request)
        self._open_help = {str(r.help_id) for r in desk.open_requests() if not is_closed(r)}

    def on_help_request(self, request: Any) -> None:
        """The help desk's listener (raise or close): queued at once, sent within seconds."""
        help_id = str(request.help_id)
        if is_closed(request):
            self.queue.add("help_closed", {"help_id": help_id})
            self._open_help.discard(help_id)
        elif help_id in self._open_help:
            return  # an acknowledgement of a request the fleet already has: nothing to send
        else:
            self.queue.add("help", help_body(request, self.config.office.name))
            self._open_help.add(help_id)
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fleet-link", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.client.deadline_s + 5)
        self.client.close()

    # --- one round ------------------------------------------------------------------------------

    def queue_heartbeat(self) -> str:
        body = build_heartbeat(self.config, self.store, self.devices, self.clock())
        return self.queue.add("heartbeat", body)

    def queue_anchor_if_moved(self) -> bool:
        """Queue the signed audit anchor when it differs from the last one queued."""
        if self.anchor_source is None:
            return False
        exported = self.anchor_source()
        if exported is None:
            return False
        digest = hashlib.sha256(exported).hexdigest()
        if self.queue.get_state(ANCHOR_STATE) == digest:
            return False
        self.queue.add("anchor", {"anchor": json.loads(exported)}, {ANCHOR_STATE: digest})
        return True

    def run_round(self, heartbeat: bool | None = None) -> RoundReport:
        """Queue what is due, send everything queued, apply acks and updates. Raises
        `FleetError` when the service cannot be used (the queue keeps every event)."""
        with self._lock:
            now = self.monotonic()
            if heartbeat if heartbeat is not None else now >= self._next_heartbeat:
                self._next_heartbeat = now + self.config.fleet.interval_s
                self.queue_heartbeat()
            try:
                self.queue_anchor_if_moved()
            except Exception as exc:  # an edited anchor: the audit check reports it, not us
                log.error("audit anchor not shipped: %s", exc)
            report = RoundReport(dropped=self.queue.prune())
            self._send_all(report)
            report.unsent = self.queue.backlog().unsent
            return report

    def _send_all(self, report: RoundReport) -> None:
        while True:
            batch = self.queue.unsent(BATCH)
            try:
                done = self._sync(batch, report)
            except FleetBatchRefused as refusal:
                if not batch:
                    raise
                self._sync([], report)  # the envelope itself is refused: keep every event
                self._send_around(batch, refusal, report)
                continue
            if len(batch) < BATCH or not done:
                return

    def _sync(self, batch: list[QueuedEvent], report: RoundReport) -> list[str]:
        """One sync with `batch`: mark what the service took, hand acks over, apply updates."""
        confirming = sorted(self._to_confirm)
        answer = self.client.sync(
            {
                "kiosk_id": self.config.fleet.kiosk_id,
                "sent_at": self.clock().isoformat(),
                "events": [event.as_wire() for event in batch],
                "have": self.updates.have(),
                "acks_applied": [{"help_id": h, "state": s} for h, s in confirming],
            }
        )
        self._to_confirm.difference_update(confirming)
        report.server_time = answer.server_time
        sent = {e.id for e in batch}
        done = [i for i in (*answer.accepted, *answer.duplicates) if i in sent]
        self.queue.mark_sent(done)
        report.sent += len(done)
        report.accepted += len(set(answer.accepted) & sent)
        report.duplicates += len(set(answer.duplicates) & sent)
        report.acks += self._hand_acks(answer.acks)
        report.updates += self.updates.apply_announced(self.client, answer.updates)
        return done

    def _send_around(
        self, batch: list[QueuedEvent], refusal: FleetBatchRefused, report: RoundReport
    ) -> None:
        """Halve a refused batch until the refused event(s) stand alone; send the rest."""
        if len(batch) == 1:
            self._drop_refused(batch[0], refusal, report)
            return
        half = len(batch) // 2
        for part in (batch[:half], batch[half:]):
            try:
                self._sync(part, report)
            except FleetBatchRefused as again:
                self._send_around(part, again, report)

    def _drop_refused(
        self, event: QueuedEvent, refusal: FleetBatchRefused, report: RoundReport
    ) -> None:
        if not self.queue.drop(event.id):
            return
        report.refused += 1
        self.audit.append(
            "system:fleet",
            "fleet_event_refused",
            {"event_id": event.id, "kind": event.kind, "reason": refusal.detail},
        )
        log.error("fleet %s event %s refused by the service: %s", event.kind, event.id, refusal)

    def _hand_acks(self, acks: list[dict[str, Any]]) -> int:
        """Hand the counter's answers to the help desk; each one applied (or already there) is
        confirmed in the next sync, so the service stops handing it over (docs/fleet.md §6)."""
        if self.help_desk is None:
            return 0  # not confirmed: the running kiosk takes it at its next sync
        handed = 0
        for ack in acks:
            help_id, state, by = str(ack.get("help_id", "")), ack.get("state"), ack.get("by", "")
            if not help_id or state not in ACK_STATES:
                continue
            key = (help_id, str(state))
            if key not in self._acked and not self._desk_has(help_id, str(state)):
                try:
                    self.help_desk.acknowledge(help_id, str(state), str(by)[:120])
                except Exception:  # one bad ack (an unknown request) must not stop the others
                    log.exception("help request %s: acknowledgement not taken", help_id)
                handed += 1
            self._acked.add(key)
            self._to_confirm.add(key)
        return handed

    def _desk_has(self, help_id: str, state: str) -> bool:
        """The desk already shows this answer, or the request is no longer open (a repeat
        after a restart must not be applied twice)."""
        assert self.help_desk is not None
        for request in self.help_desk.open_requests():
            if str(request.help_id) == help_id:
                current = str(getattr(request, "state", ""))
                return current == state or current == "coming"
        return True

    # --- the thread -----------------------------------------------------------------------------

    def next_wait(self) -> float:
        base = HELP_INTERVAL_S if self._open_help else float(self.config.fleet.interval_s)
        if not self.failures:
            return base
        backoff = min(MAX_BACKOFF_S, base * 2 ** min(self.failures, 12))
        return backoff * random.uniform(0.8, 1.0)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_round()
                self.failures, self.last_error = 0, ""
            except FleetError as exc:
                self.failures += 1
                self.last_error = str(exc)
                level = logging.ERROR if isinstance(exc, FleetTokenInvalid) else logging.WARNING
                log.log(level, "fleet sync failed (%s): %s", self.failures, exc)
            except Exception:  # a bug must not end the thread: the kiosk keeps serving
                self.failures += 1
                log.exception("fleet round failed")
            self._wake.wait(self.next_wait())
            self._wake.clear()


def open_fleet_link(
    config: KioskConfig,
    store: Store,
    audit: AuditLog,
    sealer: Any,
    client: FleetClient | None = None,
) -> FleetLink:
    """The fleet link for `[fleet]`, shipping the anchor of the audit log in `config.data_dir`."""
    from kiosk.records.audit_anchor import export_anchor

    data_dir: Path = config.data_dir
    return FleetLink(
        config,
        store,
        audit,
        client or FleetClient(config.fleet.url, config.fleet.token),
        anchor_source=lambda: export_anchor(data_dir, sealer),
    )
