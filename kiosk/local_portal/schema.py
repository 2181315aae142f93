"""The local portal's database: its tables, one serialised SQLite connection, and the list of
received dossiers (`kiosk portal-serve --list`)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kiosk.portal.client import OPENAPI_FILE

__all__ = ["OPENAPI_FILE", "PortalDatabase", "ReceivedDossier", "list_received"]

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (
    portal_code TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_sha256 TEXT NOT NULL,
    kiosk_reference TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    applicant_id TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    fee_vnd INTEGER NOT NULL DEFAULT 0,
    paid_at TEXT
);
CREATE INDEX IF NOT EXISTS ix_dossiers_applicant ON dossiers (applicant_id);
CREATE TABLE IF NOT EXISTS daily_sequence (
    day_key TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY,
    id_number TEXT NOT NULL,
    full_name TEXT NOT NULL,
    date_of_birth TEXT,
    phone TEXT,
    delivery TEXT NOT NULL,
    status TEXT NOT NULL,
    password_hash TEXT,
    activation_code TEXT,
    activation_expires_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS otps (
    account_id TEXT PRIMARY KEY,
    otp TEXT NOT NULL,
    expires_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class ReceivedDossier:
    portal_code: str
    idempotency_key: str
    received_at: str
    kiosk_reference: str
    procedure_code: str
    status: str


class PortalDatabase:
    """The local portal's SQLite database. One connection, serialised by a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result

    def received(self) -> list[ReceivedDossier]:
        with self._lock:
            rows = self._db.execute(
                "SELECT portal_code, idempotency_key, received_at, kiosk_reference,"
                " procedure_code, status FROM dossiers ORDER BY received_at, portal_code"
            ).fetchall()
        return [ReceivedDossier(**dict(row)) for row in rows]


def list_received(db_path: Path) -> list[ReceivedDossier]:
    """The dossiers a local portal database holds (for `kiosk portal-serve --list`)."""
    if not db_path.exists():
        raise FileNotFoundError(db_path)
    db = PortalDatabase(db_path)
    try:
        return db.received()
    finally:
        db.close()
