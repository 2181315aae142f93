"""SQLAlchemy models of the fleet service's database (docs/fleet.md §5: what is kept).

No personal data: kiosks, their latest health, daily counts, help requests (kiosk, step, reason),
audit anchors (entry count and hash), signed updates, hashes of tokens. Tables are prefixed
`fleet_` so the service may share a database with other schemas. Every change goes through a
migration in `kiosk/fleet_server/migrations/versions`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.schema_base import named_metadata, utcnow


class Base(DeclarativeBase):
    metadata = named_metadata()


class Kiosk(Base):
    """An enrolled kiosk, its token's hash and the newest state its heartbeats reported."""

    __tablename__ = "fleet_kiosks"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # newest heartbeat
    version: Mapped[str] = mapped_column(String(40), default="")
    devices: Mapped[str] = mapped_column(Text, default="{}")  # JSON {device: status}
    outbox_unsent: Mapped[int] = mapped_column(Integer, default=0)
    outbox_oldest_s: Mapped[int] = mapped_column(Integer, default=0)
    outbox_soft_limit: Mapped[int | None] = mapped_column(Integer)
    data_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # key custody "fleet"


class ReceivedEvent(Base):
    """Every event id a kiosk sent, once: the unique constraint is the replay guard."""

    __tablename__ = "fleet_events"
    __table_args__ = (UniqueConstraint("kiosk_id", "event_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("fleet_kiosks.kiosk_id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KioskDay(Base):
    """A kiosk's counts for one of its local days (the newest heartbeat of that day wins)."""

    __tablename__ = "fleet_kiosk_days"
    kiosk_id: Mapped[str] = mapped_column(
        ForeignKey("fleet_kiosks.kiosk_id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)  # YYYY-MM-DD
    office: Mapped[str] = mapped_column(String(120), default="")
    visits: Mapped[int] = mapped_column(Integer, default=0)
    outcomes: Mapped[str] = mapped_column(Text, default="{}")  # {procedure: {outcome: N}}
    median_step_s: Mapped[str] = mapped_column(Text, default="{}")  # {step: seconds}
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HelpRequest(Base):
    """A citizen asked for an officer: which kiosk, which step, why. No personal data."""

    __tablename__ = "fleet_help_requests"
    help_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(
        ForeignKey("fleet_kiosks.kiosk_id", ondelete="CASCADE"), index=True
    )
    office: Mapped[str] = mapped_column(String(120), default="", index=True)
    step: Mapped[str] = mapped_column(String(60), default="")
    step_number: Mapped[int | None] = mapped_column(Integer)
    step_title: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(
        String(20), default="open"
    )  # open|acknowledged|coming|closed
    by: Mapped[str] = mapped_column(String(80), default="")
    acked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ack_pending: Mapped[bool] = mapped_column(default=False)  # the kiosk has not confirmed it
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AnchorRecord(Base):
    """An audit anchor a kiosk exported: the entry count and head hash, signed by the kiosk."""

    __tablename__ = "fleet_anchors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(
        ForeignKey("fleet_kiosks.kiosk_id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))
    kiosk_key: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)  # the signed JSON, to check again off-line
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Alert(Base):
    """A stored alert (anchor mismatch); offline, paper and backlog alerts are computed live."""

    __tablename__ = "fleet_alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(
        ForeignKey("fleet_kiosks.kiosk_id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(30), default="")  # removed|rewritten|other_key|…
    detail: Mapped[str] = mapped_column(String(300), default="")
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignedUpdate(Base):
    """A catalogue or trust payload as pushed, with the fleet key's signature."""

    __tablename__ = "fleet_updates"
    __table_args__ = (UniqueConstraint("kind", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(64))
    signature_b64: Mapped[str] = mapped_column(String(100))
    pushed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ServerKey(Base):
    """The service's own keys (the Ed25519 update-signing key), made on first use."""

    __tablename__ = "fleet_server_keys"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    private_raw: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccessToken(Base):
    """A console/dashboard sign-in token: for one office's console, or province-wide (office
    empty: dashboard and every console). Only its hash is kept."""

    __tablename__ = "fleet_access_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    office: Mapped[str] = mapped_column(String(120), default="")
    label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
