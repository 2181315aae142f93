"""The outbox: dossiers waiting to reach the portal, with an explicit lifecycle.

    pending ──claim──▶ sending ──▶ accepted            (the portal's code is recorded)
       ▲                  │  └───▶ rejected(reason)    (the portal refused; reason kept)
       └──retry later─────┘  └───▶ needs_staff(reason) (cannot go on without a person)

An entry is written in the same transaction as its dossier and attachments (`enqueue`), and
carries its idempotency key from birth, so every send of it — after a retry, a restart or a power
cut — is the same request to the portal. An entry found in `sending` at start (the process died
mid-send) goes back to `pending` (`recover`) and is sent again with the same key.

Guardrails (MOSIP-style): past a soft limit of unsent dossiers (count, or age of the oldest) the
kiosk tells citizens their dossier will be sent later and prints a "received offline" slip; past
the hard limit it stops accepting dossiers and tells staff why.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.config import OutboxConfig
from kiosk.domain.model import ServiceError
from kiosk.store import Store
from kiosk.store.models import Dossier, OutboxEntry

RETRY_BASE = timedelta(seconds=2)
RETRY_CAP = timedelta(minutes=5)


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NEEDS_STAFF = "needs_staff"


UNSENT = (OutboxState.PENDING.value, OutboxState.SENDING.value)


class GuardrailLevel(StrEnum):
    OK = "ok"
    SOFT = "soft"  # accept, but tell the citizen it will be sent later; print the offline slip
    HARD = "hard"  # stop accepting dossiers; staff must restore the connection


class OutboxFull(ServiceError):
    """Too many dossiers wait unsent, or for too long: the kiosk stops accepting new ones."""

    code = "outbox_full"

    def __init__(self, staff_text: str) -> None:
        super().__init__(staff_text, code="outbox_full")
        self.staff_text = staff_text


@dataclass(frozen=True)
class Guardrail:
    level: GuardrailLevel
    unsent: int
    oldest_age: timedelta | None
    staff_text: str


@dataclass(frozen=True)
class OutboxRow:
    """One entry as `kiosk outbox` shows it (no personal data: masked ID only)."""

    id: int
    kiosk_reference: str
    procedure_code: str
    masked_id: str
    state: str
    attempts: int
    portal_code: str | None
    reason: str
    last_error: str
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime


@dataclass(frozen=True)
class Claim:
    entry_id: int
    dossier_id: int
    idempotency_key: str
    attempts: int


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite gives datetimes back without their zone; the store writes UTC only."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_idempotency_key() -> str:
    return secrets.token_hex(16)


class Outbox:
    def __init__(
        self,
        store: Store,
        config: OutboxConfig | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        retry_base: timedelta = RETRY_BASE,
        retry_cap: timedelta = RETRY_CAP,
    ) -> None:
        self.store = store
        self.config = config or OutboxConfig()
        self._clock = clock
        self._rng = rng or random.Random()
        self._retry_base = retry_base
        self._retry_cap = retry_cap

    # --- writing (inside the caller's transaction) ---------------------------------------------

    def enqueue(self, session: Session, dossier: Dossier) -> OutboxEntry:
        """Add the outbox entry of a dossier in the caller's transaction (with the dossier)."""
        now = self._clock()
        entry = OutboxEntry(
            idempotency_key=new_idempotency_key(),
            state=OutboxState.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            reason="",
            created_at=now,
            updated_at=now,
        )
        entry.dossier_id = dossier.id
        session.add(entry)
        return entry

    # --- guardrails ----------------------------------------------------------------------------

    def guardrail(self) -> Guardrail:
        with self.store.session() as session:
            unsent, oldest = session.execute(
                select(func.count(OutboxEntry.id), func.min(OutboxEntry.created_at)).where(
                    OutboxEntry.state.in_(UNSENT)
                )
            ).one()
        age = self._clock() - aware(oldest) if oldest is not None else None
        cfg = self.config
        if unsent >= cfg.hard_limit_count or (
            age is not None and age >= timedelta(hours=cfg.hard_limit_hours)
        ):
            why = (
                f"{unsent} dossiers unsent (hard limit {cfg.hard_limit_count})"
                if unsent >= cfg.hard_limit_count
                else f"oldest unsent dossier waits {_hours(age)} h (hard limit "
                f"{cfg.hard_limit_hours} h)"
            )
            return Guardrail(
                GuardrailLevel.HARD,
                unsent,
                age,
                f"Kiosk stopped accepting dossiers: {why}. Restore the portal connection "
                "(network, [portal] url, credentials) and run `kiosk sync`; see `kiosk outbox`.",
            )
        if unsent >= cfg.soft_limit_count or (
            age is not None and age >= timedelta(minutes=cfg.soft_limit_minutes)
        ):
            return Guardrail(
                GuardrailLevel.SOFT,
                unsent,
                age,
                f"Portal unreachable for a while: {unsent} dossiers wait to be sent (oldest "
                f"{_minutes(age)} min). Citizens get a 'received offline' slip.",
            )
        return Guardrail(GuardrailLevel.OK, unsent, age, "")

    # --- the sync worker's side ----------------------------------------------------------------

    def recover(self) -> int:
        """After a crash: entries left in `sending` go back to `pending` (same key)."""
        with self.store.session() as session:
            result = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.SENDING.value)
                .values(state=OutboxState.PENDING.value, updated_at=self._clock())
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def now(self) -> datetime:
        return self._clock()

    def claim(self, due_by: datetime | None = None) -> Claim | None:
        """Atomically move the oldest pending entry due by `due_by` (default: now) to `sending`
        (one UPDATE … RETURNING, so two workers never claim the same entry; several senders
        on PostgreSQL each take a different entry: FOR UPDATE SKIP LOCKED)."""
        now = self._clock()
        due = (
            select(OutboxEntry.id)
            .where(
                OutboxEntry.state == OutboxState.PENDING.value,
                OutboxEntry.next_attempt_at <= (due_by or now),
            )
            .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
            .limit(1)
            # PostgreSQL: a sender skips an entry another sender is claiming right now and takes
            # the next one, instead of waiting for it and then finding nothing (SQLite has one
            # writer at a time and ignores this).
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        with self.store.session() as session:
            row = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id == due, OutboxEntry.state == OutboxState.PENDING.value)
                .values(
                    state=OutboxState.SENDING.value,
                    attempts=OutboxEntry.attempts + 1,
                    updated_at=now,
                )
                .returning(
                    OutboxEntry.id,
                    OutboxEntry.dossier_id,
                    OutboxEntry.idempotency_key,
                    OutboxEntry.attempts,
                )
            ).first()
        if row is None:
            return None
        return Claim(int(row[0]), int(row[1]), str(row[2]), int(row[3]))

    def mark_accepted(self, claim: Claim, portal_code: str, portal_status: str) -> None:
        with self.store.session() as session:
            self._set(session, claim, OutboxState.ACCEPTED, reason="", error="")
            dossier = session.get_one(Dossier, claim.dossier_id)
            dossier.portal_code = portal_code
            dossier.status = portal_status

    def mark_rejected(self, claim: Claim, reason: str) -> None:
        with self.store.session() as session:
            self._set(session, claim, OutboxState.REJECTED, reason=reason, error="")
            session.get_one(Dossier, claim.dossier_id).status = "rejected"

    def mark_needs_staff(self, claim: Claim, reason: str, error: str = "") -> None:
        with self.store.session() as session:
            self._set(session, claim, OutboxState.NEEDS_STAFF, reason=reason, error=error)
            session.get_one(Dossier, claim.dossier_id).status = "needs_staff"

    def retry_later(self, claim: Claim, error: str) -> datetime:
        """Back to `pending`, due after an exponential, jittered delay; returns when."""
        ceiling = min(self._retry_cap, self._retry_base * (2 ** min(claim.attempts - 1, 16)))
        delay = timedelta(seconds=self._rng.uniform(0.5, 1.0) * ceiling.total_seconds())
        when = self._clock() + delay
        with self.store.session() as session:
            self._set(session, claim, OutboxState.PENDING, reason="", error=error, due=when)
        return when

    def _set(
        self,
        session: Session,
        claim: Claim,
        state: OutboxState,
        *,
        reason: str,
        error: str,
        due: datetime | None = None,
    ) -> None:
        values: dict[str, object] = {
            "state": state.value,
            "reason": reason,
            "last_error": error[:2000],
            "updated_at": self._clock(),
        }
        if due is not None:
            values["next_attempt_at"] = due
        session.execute(update(OutboxEntry).where(OutboxEntry.id == claim.entry_id).values(values))

    # --- staff ---------------------------------------------------------------------------------

    def requeue(self, entry_id: int) -> bool:
        """Staff fixed the cause: a needs-staff entry is sent again (same key). False if none."""
        with self.store.session() as session:
            result = session.execute(
                update(OutboxEntry)
                .where(
                    OutboxEntry.id == entry_id,
                    OutboxEntry.state == OutboxState.NEEDS_STAFF.value,
                )
                .values(
                    state=OutboxState.PENDING.value,
                    next_attempt_at=self._clock(),
                    updated_at=self._clock(),
                )
            )
            changed = int(getattr(result, "rowcount", 0) or 0) == 1
            if changed:
                entry = session.get_one(OutboxEntry, entry_id)
                session.get_one(Dossier, entry.dossier_id).status = "queued"
            return changed

    def wake_all(self) -> int:
        """Make every pending entry due now (the portal came back; staff pressed 'send now')."""
        with self.store.session() as session:
            result = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.PENDING.value)
                .values(next_attempt_at=self._clock())
            )
            return int(getattr(result, "rowcount", 0) or 0)

    # --- reading -------------------------------------------------------------------------------

    def entries(self, states: tuple[str, ...] = ()) -> list[OutboxRow]:
        query = select(OutboxEntry, Dossier).join(Dossier, Dossier.id == OutboxEntry.dossier_id)
        if states:
            query = query.where(OutboxEntry.state.in_(states))
        with self.store.session() as session:
            rows = session.execute(query.order_by(OutboxEntry.id)).all()
            return [
                OutboxRow(
                    id=entry.id,
                    kiosk_reference=dossier.kiosk_reference,
                    procedure_code=dossier.procedure_code,
                    masked_id=dossier.masked_id,
                    state=entry.state,
                    attempts=entry.attempts,
                    portal_code=dossier.portal_code,
                    reason=entry.reason,
                    last_error=entry.last_error,
                    created_at=aware(entry.created_at),
                    updated_at=aware(entry.updated_at),
                    next_attempt_at=aware(entry.next_attempt_at),
                )
                for entry, dossier in rows
            ]

    def counts(self) -> dict[str, int]:
        with self.store.session() as session:
            rows = session.execute(
                select(OutboxEntry.state, func.count(OutboxEntry.id)).group_by(OutboxEntry.state)
            ).all()
        found = {str(state): int(count) for state, count in rows}
        return {state.value: found.get(state.value, 0) for state in OutboxState}

    def state_of(self, kiosk_reference: str) -> tuple[str, str | None, str] | None:
        """(outbox state, portal code, reason) of a dossier, or None when unknown."""
        with self.store.session() as session:
            row = session.execute(
                select(OutboxEntry.state, Dossier.portal_code, OutboxEntry.reason)
                .join(Dossier, Dossier.id == OutboxEntry.dossier_id)
                .where(Dossier.kiosk_reference == kiosk_reference)
            ).first()
        return None if row is None else (str(row[0]), row[1], str(row[2]))


def _hours(age: timedelta | None) -> int:
    return int(age.total_seconds() // 3600) if age else 0


def _minutes(age: timedelta | None) -> int:
    return int(age.total_seconds() // 60) if age else 0
