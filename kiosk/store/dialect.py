"""What the store does differently on SQLite and on PostgreSQL (docs/architecture.md §7).

Everything else is the same SQL through SQLAlchemy; the few places where the two differ ask
this module instead of testing the dialect's name themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

# The key of the PostgreSQL advisory lock that serialises audit appends (any fixed bigint; this
# one spells "kioskaud"), held until the appending transaction ends.
AUDIT_CHAIN_LOCK = 0x6B696F736B617564


def is_sqlite(bind: Engine | Session) -> bool:
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "sqlite"


def lock_audit_chain(session: Session) -> None:
    """Make this transaction the only one appending to the audit chain until it ends, so no two
    appends (threads, processes, machines) read the same newest entry and fork the chain.

    PostgreSQL: a transaction-scoped advisory lock (released at commit or rollback; another
    appender waits for it, then reads the entry just written). SQLite: take the database's write
    lock before reading the newest entry (a no-op UPDATE opens the write transaction; a second
    process waits out busy_timeout instead of reading a snapshot that is about to be stale)."""
    if is_sqlite(session):
        session.execute(text("UPDATE audit_events SET id = id WHERE 0 = 1"))
    else:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK})


def begin_secure_delete(session: Session) -> None:
    """Before deleting personal data in this transaction. SQLite: `secure_delete` zeroes the
    pages the deleted rows free. PostgreSQL has no such switch (a deleted row stays in its page
    as a dead version until VACUUM): see `reclaim_deleted`."""
    if is_sqlite(session):
        session.execute(text("PRAGMA secure_delete=ON"))


def checkpoint(engine: Engine) -> None:
    """Fold SQLite's WAL into the database file and truncate it, so deleted pages do not linger
    in the WAL. A no-op on PostgreSQL (its WAL is the server's, recycled by its checkpoints)."""
    if is_sqlite(engine):
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def reclaim_deleted(engine: Engine, tables: Iterable[str]) -> None:
    """After a committed delete of personal data: SQLite checkpoints its WAL; PostgreSQL runs
    VACUUM on `tables` (and their TOAST tables), so the dead row versions holding the
    ciphertext are pruned from the pages rather than left until autovacuum. PostgreSQL does not
    promise that freed page space is zeroed, nor that its WAL, archives or backups forget the
    rows (docs/architecture.md §7): the ciphertext there is only as safe as the data key."""
    if is_sqlite(engine):
        checkpoint(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.exec_driver_sql(f'VACUUM "{table}"')
