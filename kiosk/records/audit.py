"""Append-only, keyed hash-chained audit log (no personal data: masked IDs only).

Each entry's hash covers its own content and the previous entry's hash, so editing, removing or
reordering an entry breaks the chain at that entry, which `verify` names. With the kiosk's audit
key (`mac`) the hash is an HMAC-SHA-256, so an entry appended or rewritten by someone without the
keyring does not verify either. Logs written before the key existed stay verifiable: their
entries are plain SHA-256, and the chain switches to HMAC at an `audit_keyed` marker entry; from
the first keyed entry on, every entry must be keyed (the anchor remembers where that was).
Removing entries from the end leaves a shorter intact chain: an optional anchor kept outside the
database (see `kiosk.records.audit_anchor`) remembers the newest entry, so `verify` names that
loss too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select

from kiosk.store import Store
from kiosk.store.dialect import lock_audit_chain
from kiosk.store.models import AuditEvent

GENESIS = "0" * 64
KEYED_MARKER = "audit_keyed"  # the entry from which a pre-existing chain is keyed
_append_lock = threading.Lock()

Mac = Callable[[bytes], str]  # the audit key's HMAC-SHA-256 of an entry's canonical bytes, hex


def canonical_entry(
    prev_hash: str, at: datetime, session_id: str, actor: str, action: str, detail: str
) -> bytes:
    return json.dumps(
        [prev_hash, _iso(at), session_id, actor, action, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def entry_hash(
    prev_hash: str, at: datetime, session_id: str, actor: str, action: str, detail: str
) -> str:
    """The unkeyed SHA-256 of entries written before the chain was keyed."""
    canonical = canonical_entry(prev_hash, at, session_id, actor, action, detail)
    return hashlib.sha256(canonical).hexdigest()


def _iso(at: datetime) -> str:
    # SQLite returns naive datetimes: treat every stored time as UTC.
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


@dataclass(frozen=True)
class Anchored:
    """What an anchor remembers: the newest entry, and from which entry on the chain is keyed
    (None: an anchor written before the chain was keyed)."""

    entry_id: int
    entry_hash: str
    keyed_from: int | None = None


class Anchor(Protocol):
    """Where the newest entry is remembered outside the database."""

    def record(self, entry_id: int, entry_hash: str, keyed_from: int | None = None) -> None: ...

    def read(self) -> Anchored | None:
        """The newest anchored entry; None if nothing was ever anchored."""


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str = ""


class AuditLog:
    def __init__(self, store: Store, anchor: Anchor | None = None, mac: Mac | None = None) -> None:
        self.store = store
        self.anchor = anchor
        self.mac = mac

    def append(self, actor: str, action: str, detail: dict[str, Any], session_id: str = "") -> str:
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        with _append_lock:
            return self._append_locked(actor, action, text, session_id)

    def _append_locked(self, actor: str, action: str, text: str, session_id: str) -> str:
        with self.store.session() as session:
            # The thread lock orders this process's appends (and their anchor writes); the
            # database lock orders appends from other processes or machines on the same store.
            lock_audit_chain(session)
            last = session.scalars(
                select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
            ).first()
            anchored = self.anchor.read() if self.anchor is not None else None
            keep_anchor = self._anchor_may_move(session, last, anchored)
            keyed_from = anchored.keyed_from if anchored is not None else None
            if (
                self.mac is not None
                and keyed_from is None
                and last is not None
                and not self._keyed(last)
            ):
                # A chain from before the audit key (or one broken by an unkeyed entry, which
                # stays visible to `verify`): mark where the keyed part starts.
                last = self._add(session, last.hash, "", "system", KEYED_MARKER, _MARKER_DETAIL)
                keyed_from = last.id
            event = self._add(
                session, last.hash if last else GENESIS, session_id, actor, action, text
            )
            if self.mac is not None and keyed_from is None and last is None:
                keyed_from = event.id  # a new log is keyed from its first entry
            event_id, digest = event.id, event.hash
        if self.anchor is not None and keep_anchor:
            # after the commit: never ahead of the log
            self.anchor.record(event_id, digest, keyed_from)
        return digest

    def _add(
        self, session: Any, prev: str, session_id: str, actor: str, action: str, text: str
    ) -> AuditEvent:
        at = datetime.now(UTC)
        event = AuditEvent(
            at=at,
            session_id=session_id,
            actor=actor,
            action=action,
            detail=text,
            prev_hash=prev,
            hash=self._digest(prev, at, session_id, actor, action, text),
        )
        session.add(event)
        session.flush()
        return event

    def _digest(
        self, prev: str, at: datetime, session_id: str, actor: str, action: str, text: str
    ) -> str:
        if self.mac is None:
            return entry_hash(prev, at, session_id, actor, action, text)
        return self.mac(canonical_entry(prev, at, session_id, actor, action, text))

    def _keyed(self, event: AuditEvent) -> bool:
        if self.mac is None:
            return False
        canonical = canonical_entry(
            event.prev_hash, event.at, event.session_id, event.actor, event.action, event.detail
        )
        return hmac.compare_digest(self.mac(canonical), event.hash)

    def _anchor_may_move(
        self, session: Any, last: AuditEvent | None, anchored: Anchored | None
    ) -> bool:
        """Whether the anchor may move on: only while the entry it remembers is still there,
        unchanged, and (with the audit key) every entry after it is keyed — otherwise that
        evidence must survive for `verify`."""
        if self.anchor is None:
            return False
        if anchored is None:
            return last is None
        if last is None or last.id < anchored.entry_id:
            return False
        remembered = session.get(AuditEvent, anchored.entry_id)
        if remembered is None or remembered.hash != anchored.entry_hash:
            return False
        if self.mac is None or anchored.keyed_from is None:
            return True
        newer = session.scalars(
            select(AuditEvent).where(AuditEvent.id > anchored.entry_id).order_by(AuditEvent.id)
        )
        return all(self._keyed(event) for event in newer)

    def verify(self, external: Sequence[Anchored] = ()) -> AuditVerdict:
        """Check the whole chain, the local anchor, and `external` anchors (exported earlier and
        kept off the machine): those catch a rewrite made with this kiosk's own keys."""
        remembered = {a.entry_id: a.entry_hash for a in external}
        prev = GENESIS
        count = 0
        anchored = self.anchor.read() if self.anchor is not None else None
        keyed_from = anchored.keyed_from if anchored is not None else None
        keyed_seen = False
        anchor_seen = anchored is None
        last_id: int | None = None
        with self.store.session() as session:
            for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
                count += 1
                if event.prev_hash != prev:
                    return AuditVerdict(
                        False, count, event.id, "previous-hash link broken (entry removed or moved)"
                    )
                if self._keyed(event):
                    keyed_seen = True
                else:
                    expected = entry_hash(
                        prev, event.at, event.session_id, event.actor, event.action, event.detail
                    )
                    if event.hash != expected:
                        return AuditVerdict(
                            False, count, event.id, "content does not match its hash"
                        )
                    if keyed_seen or (keyed_from is not None and event.id >= keyed_from):
                        return AuditVerdict(
                            False,
                            count,
                            event.id,
                            "not signed with the audit key: appended or rewritten by someone "
                            "without this kiosk's keys",
                        )
                prev = event.hash
                last_id = event.id
                if anchored is not None and event.id == anchored.entry_id:
                    if event.hash != anchored.entry_hash:
                        return AuditVerdict(
                            False, count, event.id, "differs from the entry the anchor remembers"
                        )
                    anchor_seen = True
                if remembered.get(event.id, event.hash) != event.hash:
                    return AuditVerdict(
                        False,
                        count,
                        event.id,
                        "differs from an exported anchor (the log was rewritten on this kiosk)",
                    )
        beyond = [entry_id for entry_id in remembered if entry_id > (last_id or 0)]
        if beyond:
            return AuditVerdict(
                False,
                count,
                (last_id or 0) + 1,
                f"entries removed: the log stops at entry {last_id or 0}, an exported anchor "
                f"remembers entry {max(beyond)}",
            )
        if self.anchor is not None and anchored is None and count:
            return AuditVerdict(False, count, None, "the anchor of this log is missing")
        if not anchor_seen:
            assert anchored is not None
            return AuditVerdict(
                False,
                count,
                (last_id or 0) + 1,
                f"entries removed from the end: the log stops at entry {last_id or 0}, "
                f"the anchor remembers entry {anchored.entry_id}",
            )
        return AuditVerdict(True, count)


_MARKER_DETAIL = json.dumps({"scheme": "hmac-sha256"}, sort_keys=True)
