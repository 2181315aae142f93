"""Records each session for staff and audit: the session row, the consent answer, one audit
event per accepted journey event, and the outcome with per-step timings. No personal data."""

from __future__ import annotations

import json
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


class SessionRecorder:
    def __init__(self, store: Store, audit: AuditLog) -> None:
        self.store = store
        self.audit = audit

    def attach(self, engine: JourneyEngine) -> None:
        engine.add_listener(self.on_transition)
        engine.add_session_closer(self.on_close)

    def on_transition(self, transition: Transition, ctx: JourneyContext) -> None:
        event = transition.event
        if transition.old is StepId.WELCOME and transition.new is StepId.CONSENT:
            with self.store.session() as session:
                session.add(
                    KioskSession(
                        id=ctx.session_id,
                        journey=ctx.journey.value if ctx.journey else "",
                        practice=ctx.practice,
                    )
                )
        if isinstance(event, Consented | Declined):
            with self.store.session() as session:
                session.add(
                    Consent(
                        session_id=ctx.session_id,
                        text_version=CONSENT_TEXT_VERSION,
                        answer=isinstance(event, Consented),
                    )
                )
        if transition.old is StepId.RECEIPT and ctx.result is not None:
            self._record_receipt(ctx, printed=isinstance(event, Printed))
        detail: dict[str, str] = {"from": transition.old.value, "to": transition.new.value}
        code = error_code(event)
        if code is not None:
            detail["code"] = code
        if isinstance(event, StaffOverride):
            detail["reason"] = event.reason
        if ctx.identity is not None and transition.new is not StepId.WELCOME:
            detail["citizen"] = ctx.identity.masked_id
        actor = _actor(event, ctx)
        self.audit.append(actor, event.kind, detail, session_id=transition.session_id)

    def _record_receipt(self, ctx: JourneyContext, printed: bool) -> None:
        """Which dossier got its receipt, where it went, or that staff must reprint it."""
        assert ctx.result is not None
        with self.store.session() as session:
            reference = ctx.result.kiosk_reference
            dossier_id = session.scalar(
                select(Dossier.id).where(Dossier.kiosk_reference == reference)
            )
            session.add(
                Receipt(
                    dossier_id=dossier_id,
                    kind="receipt",
                    location=ctx.receipt_location,
                    state="printed" if printed else "queued",
                )
            )

    def on_close(self, ctx: JourneyContext, outcome: str) -> None:
        with self.store.session() as session:
            row = session.get(KioskSession, ctx.session_id)
            if row is None:
                return
            row.ended_at = datetime.now(UTC)
            row.outcome = outcome
            row.step_timings = json.dumps({k: round(v, 3) for k, v in ctx.timings.items()})


def _actor(event: Event, ctx: JourneyContext) -> str:
    if isinstance(event, StaffTakeover | StaffOverride):
        return f"staff:{event.staff}"
    if ctx.staff:
        return f"staff:{ctx.staff}"
    return "citizen"


def attach_recorder(runtime: Any) -> Any:
    """An engine hook that records sessions and audit events into the runtime's store."""
    return SessionRecorder(runtime.store, runtime.audit).attach
