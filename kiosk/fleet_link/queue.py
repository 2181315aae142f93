"""The durable queue of fleet events and the fleet link's small state, in the kiosk's store.

Events survive restarts and a fleet service that is down for days. The queue is bounded: unsent
heartbeats older than `HEARTBEAT_MAX_AGE`, and past `MAX_UNSENT` the oldest heartbeats, are
dropped; help requests and audit anchors never are (docs/fleet_link.md §2). Sent events are kept
a day (so a replay after a lost answer is recognised by the service as a duplicate), then
deleted.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, select, update

from kiosk.store import Store
from kiosk.store.models import FleetEvent, FleetState

KINDS = ("heartbeat", "help", "help_closed", "anchor")
DROPPABLE = "heartbeat"
BATCH = 200  # events per sync (the service refuses more than 500)
MAX_UNSENT = 5000
HEARTBEAT_MAX_AGE = timedelta(days=3)
SENT_KEEP = timedelta(days=1)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class QueuedEvent:
    id: str
    kind: str
    at: datetime
    body: dict[str, Any]

    def as_wire(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "at": self.at.isoformat(), "body": self.body}


@dataclass(frozen=True)
class Backlog:
    unsent: int
    oldest_unsent_s: int


class FleetQueue:
    def __init__(self, store: Store, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock

    # --- events --------------------------------------------------------------------------------

    def add(self, kind: str, body: dict[str, Any], state: dict[str, str] | None = None) -> str:
        """Queue one event; `state` names are set in the same transaction."""
        if kind not in KINDS:
            raise ValueError(f"unknown fleet event kind {kind!r}")
        event_id = str(uuid.uuid4())
        text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        with self.store.session() as session:
            session.add(FleetEvent(id=event_id, kind=kind, at=self.clock(), body=text))
            for name, value in (state or {}).items():
                session.merge(FleetState(name=name, value=value))
        return event_id

    def unsent(self, limit: int = BATCH) -> list[QueuedEvent]:
        """The next events to send: help requests first (a citizen waits), then the rest, each
        oldest first."""
        urgent = case((FleetEvent.kind.in_(("help", "help_closed")), 0), else_=1)
        with self.store.session() as session:
            rows = session.scalars(
                select(FleetEvent)
                .where(FleetEvent.sent_at.is_(None))
                .order_by(urgent, FleetEvent.at, FleetEvent.id)
                .limit(limit)
            ).all()
            return [QueuedEvent(r.id, r.kind, _aware(r.at), json.loads(r.body)) for r in rows]

    def mark_sent(self, ids: list[str]) -> int:
        if not ids:
            return 0
        with self.store.session() as session:
            result = session.execute(
                update(FleetEvent)
                .where(FleetEvent.id.in_(ids), FleetEvent.sent_at.is_(None))
                .values(sent_at=self.clock())
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def drop(self, event_id: str) -> bool:
        """Remove one unsent event (one the service refuses: it would be resent forever)."""
        with self.store.session() as session:
            result = session.execute(
                delete(FleetEvent).where(FleetEvent.id == event_id, FleetEvent.sent_at.is_(None))
            )
            return bool(getattr(result, "rowcount", 0))

    def backlog(self) -> Backlog:
        with self.store.session() as session:
            count, oldest = session.execute(
                select(func.count(FleetEvent.id), func.min(FleetEvent.at)).where(
                    FleetEvent.sent_at.is_(None)
                )
            ).one()
        age = (self.clock() - _aware(oldest)).total_seconds() if oldest is not None else 0
        return Backlog(int(count), max(0, int(age)))

    def prune(self) -> int:
        """Apply the bounds; returns how many events were dropped (sent ones not counted)."""
        now = self.clock()
        dropped = 0
        with self.store.session() as session:
            session.execute(delete(FleetEvent).where(FleetEvent.sent_at < now - SENT_KEEP))
            result = session.execute(
                delete(FleetEvent).where(
                    FleetEvent.sent_at.is_(None),
                    FleetEvent.kind == DROPPABLE,
                    FleetEvent.at < now - HEARTBEAT_MAX_AGE,
                )
            )
            dropped += int(getattr(result, "rowcount", 0) or 0)
            unsent = session.scalar(
                select(func.count(FleetEvent.id)).where(FleetEvent.sent_at.is_(None))
            )
            excess = int(unsent or 0) - MAX_UNSENT
            if excess > 0:
                oldest = (
                    select(FleetEvent.id)
                    .where(FleetEvent.sent_at.is_(None), FleetEvent.kind == DROPPABLE)
                    .order_by(FleetEvent.at, FleetEvent.id)
                    .limit(excess)
                )
                ids = list(session.scalars(oldest))
                if ids:
                    session.execute(delete(FleetEvent).where(FleetEvent.id.in_(ids)))
                    dropped += len(ids)
        return dropped

    # --- state ---------------------------------------------------------------------------------

    def get_state(self, name: str) -> str:
        with self.store.session() as session:
            row = session.get(FleetState, name)
            return row.value if row is not None else ""

    def set_state(self, name: str, value: str) -> None:
        with self.store.session() as session:
            session.merge(FleetState(name=name, value=value))
