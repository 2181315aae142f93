"""Append-only, hash-chained audit log (no personal data: masked IDs only).

Each entry's hash covers its own content and the previous entry's hash, so editing, removing or
reordering an entry breaks the chain at that entry, which `verify` names. Removing entries from
the end leaves a shorter intact chain: an optional anchor kept outside the database (see
`kiosk.records.audit_anchor`) remembers the newest entry, so `verify` names that loss too.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

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


class Anchor(Protocol):
    """Where the newest entry is remembered outside the database."""

    def record(self, entry_id: int, entry_hash: str) -> None: ...

    def read(self) -> tuple[int, str] | None:
        """(id, hash) of the newest anchored entry; None if nothing was ever anchored."""


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str = ""


class AuditLog:
    def __init__(self, store: Store, anchor: Anchor | None = None) -> None:
        self.store = store
        self.anchor = anchor

    def append(self, actor: str, action: str, detail: dict[str, Any], session_id: str = "") -> str:
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        with _append_lock:
            return self._append_locked(actor, action, text, session_id)

    def _append_locked(self, actor: str, action: str, text: str, session_id: str) -> str:
        with self.store.session() as session:
            last = session.scalars(
                select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
            ).first()
            prev = last.hash if last else GENESIS
            keep_anchor = self._anchor_matches(session, last)
            at = datetime.now(UTC)
            digest = entry_hash(prev, at, session_id, actor, action, text)
            event = AuditEvent(
                at=at,
                session_id=session_id,
                actor=actor,
                action=action,
                detail=text,
                prev_hash=prev,
                hash=digest,
            )
            session.add(event)
            session.flush()
            event_id = event.id
        if self.anchor is not None and keep_anchor:
            self.anchor.record(event_id, digest)  # after the commit: never ahead of the log
        return digest

    def _anchor_matches(self, session: Any, last: AuditEvent | None) -> bool:
        """Whether the anchor may move on: only while the entry it remembers is still there,
        unchanged (otherwise that evidence must survive for `verify`)."""
        if self.anchor is None:
            return False
        anchored = self.anchor.read()
        if anchored is None:
            return last is None
        if last is None or last.id < anchored[0]:
            return False
        remembered = last if last.id == anchored[0] else session.get(AuditEvent, anchored[0])
        return remembered is not None and remembered.hash == anchored[1]

    def verify(self) -> AuditVerdict:
        prev = GENESIS
        count = 0
        anchored = self.anchor.read() if self.anchor is not None else None
        anchor_seen = anchored is None
        last_id: int | None = None
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
                last_id = event.id
                if anchored is not None and event.id == anchored[0]:
                    if event.hash != anchored[1]:
                        return AuditVerdict(
                            False, count, event.id, "differs from the entry the anchor remembers"
                        )
                    anchor_seen = True
        if self.anchor is not None and anchored is None and count:
            return AuditVerdict(False, count, None, "the anchor of this log is missing")
        if not anchor_seen:
            assert anchored is not None
            return AuditVerdict(
                False,
                count,
                (last_id or 0) + 1,
                f"entries removed from the end: the log stops at entry {last_id or 0}, "
                f"the anchor remembers entry {anchored[0]}",
            )
        return AuditVerdict(True, count)
