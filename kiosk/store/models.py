"""SQLAlchemy 2 models of the kiosk's local store.

Personal data never sits in plain columns: a dossier's form values and the citizen's details are
in `Dossier.payload_sealed` (AES-GCM, sealed by the dossier service); other tables hold masked IDs
only. Every schema change goes through an Alembic migration in `kiosk/store/migrations/versions`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kiosk.store.schema_base import named_metadata, utcnow


class Base(DeclarativeBase):
    metadata = named_metadata()


class KioskSession(Base):
    """One citizen's visit, from the welcome screen to goodbye. No personal data."""

    __tablename__ = "kiosk_sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(32), default="open")  # completed|cancelled|timeout
    step_timings: Mapped[str] = mapped_column(Text, default="{}")  # JSON {step: seconds}
    practice: Mapped[bool] = mapped_column(Boolean, default=False)


class Consent(Base):
    """The citizen's explicit answer to the consent screen (Decree 356/2025)."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("kiosk_sessions.id", ondelete="CASCADE"))
    text_version: Mapped[str] = mapped_column(String(32))
    answer: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Dossier(Base):
    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_reference: Mapped[str] = mapped_column(String(40), unique=True)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("kiosk_sessions.id", ondelete="SET NULL")
    )
    procedure_code: Mapped[str] = mapped_column(String(40))
    masked_id: Mapped[str] = mapped_column(String(16), default="")
    id_lookup: Mapped[str] = mapped_column(String(64), default="", index=True)  # keyed ID hash
    payload_sealed: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted form values + identity
    status: Mapped[str] = mapped_column(String(24), default="received")
    portal_code: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fee_vnd: Mapped[int] = mapped_column(Integer, default=0)
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", passive_deletes=True
    )


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)  # or a sealed file at `path`
    path: Mapped[str | None] = mapped_column(String(400))
    dossier: Mapped[Dossier] = relationship(back_populates="attachments")


class OutboxEntry(Base):
    """A dossier waiting to reach the portal. Lifecycle: pending → sending → accepted |
    rejected | needs_staff. Committed in the same transaction as its dossier."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")  # refusal / why staff (0002)


class Receipt(Base):
    __tablename__ = "receipts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # receipt|slip|activation|offline|queue
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    printer: Mapped[str] = mapped_column(String(120), default="")
    location: Mapped[str] = mapped_column(String(400), default="")
    state: Mapped[str] = mapped_column(String(16), default="printed")  # printed|queued|failed


class AuditEvent(Base):
    """Append-only, hash-chained log of journey steps and staff actions. Masked IDs only."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    session_id: Mapped[str] = mapped_column(String(36), default="")
    actor: Mapped[str] = mapped_column(String(60))  # "citizen", "system", "staff:<username>"
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never personal data
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class StaffUser(Base):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16), default="officer")  # officer|supervisor
    secret_hash: Mapped[str] = mapped_column(String(200))  # scrypt$n$r$p$salt$hash
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffLockout(Base):
    """Wrong-PIN counting that belongs to no account (migration 0003): the PIN pad, where a PIN
    is typed without a username. Kept in the store so a restart gives no fresh guesses."""

    __tablename__ = "staff_lockouts"
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)  # "pin_pad"
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DraftRow(Base):
    """A resumable dossier draft (migration 0002): one per citizen and procedure, sealed with the
    owner's keyed ID hash and the procedure as associated data; dropped when it expires."""

    __tablename__ = "dossier_drafts"
    __table_args__ = (UniqueConstraint("id_lookup", "procedure_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id_lookup: Mapped[str] = mapped_column(String(64))
    procedure_code: Mapped[str] = mapped_column(String(40))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class FleetEvent(Base):
    """An event for the province's fleet service (migration 0004; docs/fleet_link.md §2): a
    heartbeat, a help request or its end, an audit anchor. No personal data in `body`."""

    __tablename__ = "fleet_events"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4, unique per kiosk
    kind: Mapped[str] = mapped_column(String(16))  # heartbeat|help|help_closed|anchor
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    body: Mapped[str] = mapped_column(Text)  # JSON
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class FleetState(Base):
    """The fleet link's few settings (migration 0004): the pinned update key, the hashes of the
    catalogue and trust updates applied."""

    __tablename__ = "fleet_state"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class HelpRequestRow(Base):
    """A citizen's "Gọi cán bộ" (migration 0005): the step it came from, why, and
    where it stands. No personal data: a step id, its number and title, a reason code and the
    acknowledging officer's username."""

    __tablename__ = "help_requests"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    step: Mapped[str] = mapped_column(String(40))
    step_number: Mapped[int] = mapped_column(Integer, default=0)
    step_title: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    acknowledged_by: Mapped[str] = mapped_column(String(60), default="")
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class QueueTicketDay(Base):
    """The counter's queue numbers (migration 0006): the last number given on each Vietnam-time
    day, so a restart goes on from there. No personal data."""

    __tablename__ = "queue_ticket_days"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, Vietnam time
    last: Mapped[int] = mapped_column(Integer, default=0)
