"""Records each session for staff and audit: the session row, the consent answer, one audit
event per accepted journey event, and the outcome with per-step timings. No personal data.

The engine calls the recorder inside `dispatch`, on the GUI thread: the recorder only takes what
it needs from the context there (cheap, and before the context can be wiped) and hands the
database and audit writes to one writer thread, which keeps their order (the audit chain is a
sequence)."""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from kiosk.journey.context import JourneyContext
from kiosk.journey.engine import JourneyEngine, Transition
from kiosk.journey.events import (
    Consented,
    Declined,
    Event,
    Printed,
    StaffOverride,
    StaffTakeover,
    error_code,
)
from kiosk.journey.steps import StepId
from kiosk.records.audit import AuditLog
from kiosk.store import Store
from kiosk.store.models import Consent, Dossier, KioskSession, Receipt

CONSENT_TEXT_VERSION = "consent-vi-2026-01"
log = logging.getLogger(__name__)

Write = Callable[[], object]


class SerialWriter:
    """Runs writes one after the other on its own thread, in the order they were given."""

    def __init__(self, name: str = "session-record") -> None:
        self._queue: queue.Queue[Write | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def __call__(self, write: Write) -> None:
        self._queue.put(write)

    def _run(self) -> None:
        while (write := self._queue.get()) is not None:
            try:
                write()
            except Exception:  # one failed write must not stop the others; doctor checks the chain
                log.exception("session record write failed")
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def flush(self) -> None:
        """Wait until every write given so far is done."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


def run_now(write: Write) -> None:
    write()


class SessionRecorder:
    """`writer` runs each write: at once by default (tests, scripts), or a `SerialWriter` in the
    running kiosk so that nothing in `dispatch` waits on the database."""

    def __init__(self, store: Store, audit: AuditLog, writer: Callable[[Write], None] = run_now):
        self.store = store
        self.audit = audit
        self.writer = writer

    def attach(self, engine: JourneyEngine) -> None:
        engine.add_listener(self.on_transition)
        engine.add_session_closer(self.on_close)

    def on_transition(self, transition: Transition, ctx: JourneyContext) -> None:
        event = transition.event
        session_id = ctx.session_id
        if transition.old is StepId.WELCOME and transition.new is StepId.CONSENT:
            row = KioskSession(
                id=session_id,
                journey=ctx.journey.value if ctx.journey else "",
                practice=ctx.practice,
            )
            self.writer(lambda: self._add(row))
        if isinstance(event, Consented | Declined):
            consent = Consent(
                session_id=session_id,
                text_version=CONSENT_TEXT_VERSION,
                answer=isinstance(event, Consented),
            )
            self.writer(lambda: self._add(consent))
        if transition.old is StepId.RECEIPT and ctx.result is not None:
            reference, location = ctx.result.kiosk_reference, ctx.receipt_location
            printed = isinstance(event, Printed)
            self.writer(lambda: self._record_receipt(reference, location, printed))
        detail: dict[str, str] = {"from": transition.old.value, "to": transition.new.value}
        code = error_code(event)
        if code is not None:
            detail["code"] = code
        if isinstance(event, StaffOverride):
            detail["reason"] = event.reason
        if ctx.identity is not None and transition.new is not StepId.WELCOME:
            detail["citizen"] = ctx.identity.masked_id
        actor, kind, audit_session = _actor(event, ctx), event.kind, transition.session_id
        self.writer(lambda: self.audit.append(actor, kind, detail, session_id=audit_session))

    def _add(self, row: object) -> None:
        with self.store.session() as session:
            session.add(row)

    def _record_receipt(self, reference: str, location: str, printed: bool) -> None:
        """Which dossier got its receipt, where it went, or that staff must reprint it."""
        with self.store.session() as session:
            dossier_id = session.scalar(
                select(Dossier.id).where(Dossier.kiosk_reference == reference)
            )
            session.add(
                Receipt(
                    dossier_id=dossier_id,
                    kind="receipt",
                    location=location,
                    state="printed" if printed else "queued",
                )
            )

    def on_close(self, ctx: JourneyContext, outcome: str) -> None:
        session_id, ended_at = ctx.session_id, datetime.now(UTC)
        timings = json.dumps({k: round(v, 3) for k, v in ctx.timings.items()})
        self.writer(lambda: self._close_session(session_id, ended_at, outcome, timings))

    def _close_session(
        self, session_id: str, ended_at: datetime, outcome: str, timings: str
    ) -> None:
        with self.store.session() as session:
            row = session.get(KioskSession, session_id)
            if row is None:
                return
            row.ended_at = ended_at
            row.outcome = outcome
            row.step_timings = timings


def _actor(event: Event, ctx: JourneyContext) -> str:
    if isinstance(event, StaffTakeover | StaffOverride):
        return f"staff:{event.staff}"
    if ctx.staff:
        return f"staff:{ctx.staff}"
    return "citizen"


def attach_recorder(runtime: Any) -> Any:
    """An engine hook that records sessions and audit events into the runtime's store, from a
    writer thread the runtime flushes and stops when it closes."""
    writer = SerialWriter()
    runtime.closers.append(writer.close)  # closers run in reverse: before the store closes
    return SessionRecorder(runtime.store, runtime.audit, writer).attach
