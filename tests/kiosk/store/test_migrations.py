"""The store: migrations up and down, SQLite pragmas, one transaction per unit of work (on the
backend `--store-backend` picks: tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from kiosk.store import open_store
from kiosk.store.models import Base, KioskSession

TABLES = {
    "kiosk_sessions",
    "consents",
    "dossiers",
    "attachments",
    "outbox",
    "receipts",
    "audit_events",
    "staff_users",
    "staff_lockouts",
}


@pytest.fixture
def store(store_url):
    store = open_store(store_url)
    yield store
    store.close()


def test_migrations_create_every_table_of_the_models(store):
    names = set(inspect(store.engine).get_table_names())
    assert names >= TABLES
    assert set(Base.metadata.tables) <= names


def test_migrations_downgrade_to_nothing_and_upgrade_again(store):
    head = store.current_revision()
    store.downgrade("base")
    assert store.current_revision() is None
    assert not TABLES & set(inspect(store.engine).get_table_names())
    store.migrate()
    assert store.current_revision() == head


def test_migration_0003_adds_and_removes_the_pin_pad_lockout_table(store):
    store.downgrade("0002")
    assert "staff_lockouts" not in inspect(store.engine).get_table_names()
    store.migrate()
    assert "staff_lockouts" in inspect(store.engine).get_table_names()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store, store_is_sqlite):
    if not store_is_sqlite:
        pytest.skip("SQLite's pragmas")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_failed_unit_of_work_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError), store.session() as session:
        session.add(KioskSession(id="s1"))
        session.flush()
        raise RuntimeError("power cut")
    with store.session() as session:
        assert session.get(KioskSession, "s1") is None


def test_a_migration_keeps_the_rows_it_finds(store_url):
    """0002 adds outbox.reason to a table that already holds an entry (SQLite copies the table in
    batch mode, PostgreSQL alters it in place): the entry survives with the column's default."""
    store = open_store(store_url, migrate=False)
    try:
        store.migrate("0001")
        with store.session() as session:
            session.execute(
                text(
                    "INSERT INTO dossiers (kiosk_reference, procedure_code, masked_id, id_lookup,"
                    " payload_sealed, status, received_at, fee_vnd) VALUES ('K-1', 'P', '', '',"
                    " :sealed, 'received', :at, 0)"
                ),
                {"sealed": b"sealed", "at": datetime(2026, 1, 5, tzinfo=UTC)},
            )
            session.execute(
                text(
                    "INSERT INTO outbox (dossier_id, idempotency_key, state, attempts,"
                    " next_attempt_at, last_error, created_at, updated_at) SELECT id, 'key-1',"
                    " 'pending', 0, received_at, '', received_at, received_at FROM dossiers"
                )
            )
        store.migrate()
        with store.session() as session:
            rows = session.execute(text("SELECT idempotency_key, reason FROM outbox")).all()
        assert [tuple(row) for row in rows] == [("key-1", "")]
    finally:
        store.close()
