"""Append-only, hash-chained audit log (no personal data: masked IDs only).

Each entry's hash covers its own content and the previous entry's hash, so editing, removing or
reordering an entry breaks the chain at that entry, which `verify` names.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from kiosk.store import Store
from kiosk.store.models import AuditEvent

GENESIS = "0" * 64
_append_lock = threading.Lock()


def entry_hash(
    prev_hash: str, at: datetime, session_id: str, actor: str, action: str, detail: str
) -> str:
    canonical = json.dumps(
        [prev_hash, _iso(at), session_id, actor, action, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _iso(at: datetime) -> str:
    # SQLite returns naive datetimes: treat every stored time as UTC.
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str = ""


class AuditLog:
    def __init__(self, store: Store) -> None:
        self.store = store

    def append(self, actor: str, action: str, detail: dict[str, Any], session_id: str = "") -> str:
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        with _append_lock, self.store.session() as session:
            last = session.scalars(
                select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
            ).first()
            prev = last.hash if last else GENESIS
            at = datetime.now(UTC)
            digest = entry_hash(prev, at, session_id, actor, action, text)
            session.add(
                AuditEvent(
                    at=at,
                    session_id=session_id,
                    actor=actor,
                    action=action,
                    detail=text,
                    prev_hash=prev,
                    hash=digest,
                )
            )
        return digest

    def verify(self) -> AuditVerdict:
        prev = GENESIS
        count = 0
        with self.store.session() as session:
            for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
                count += 1
                if event.prev_hash != prev:
                    return AuditVerdict(
                        False, count, event.id, "previous-hash link broken (entry removed or moved)"
                    )
                expected = entry_hash(
                    prev, event.at, event.session_id, event.actor, event.action, event.detail
                )
                if event.hash != expected:
                    return AuditVerdict(False, count, event.id, "content does not match its hash")
                prev = event.hash
        return AuditVerdict(True, count)
