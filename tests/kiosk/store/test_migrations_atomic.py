"""A migration that fails half-way leaves the schema of the one before (each migration is one
transaction, its DDL included; docs/architecture.md §6).

The failure is SQLite's own "database or disk is full" (SQLITE_FULL), the error a full disk gives:
the database is capped with `PRAGMA max_page_count` so that it fills up in the middle of the
first migration's tables. (A real small full file system needs mount rights these tests lack.)
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, inspect, text

from kiosk.store import open_store
from kiosk.store.db import StoreError

pytestmark = pytest.mark.timeout(60)

SPARE_PAGES = 4  # the first migration needs a page per table and index: far more than this


def full_after(store, spare_pages: int) -> None:
    """From now on the database may grow by `spare_pages` pages only."""
    with store.engine.connect() as connection:
        used = connection.execute(text("PRAGMA page_count")).scalar()

    def cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {used + spare_pages}")

    event.listen(store.engine, "connect", cap)
    store.engine.dispose()  # every later connection is capped


def tables(store) -> set[str]:
    store.engine.dispose()
    return set(inspect(store.engine).get_table_names()) - {"alembic_version"}


def test_a_first_migration_that_fills_the_disk_half_way_leaves_no_table(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}", migrate=False)
    full_after(store, SPARE_PAGES)
    with pytest.raises(StoreError, match="full"):
        store.migrate()
    assert tables(store) == set() and store.current_revision() is None
    store.close()


def test_a_later_migration_that_fails_keeps_the_schema_and_revision_before_it(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}")
    store.downgrade("0002")
    with store.engine.connect() as connection:
        connection.exec_driver_sql("VACUUM")  # no free pages left from the dropped table
    before = tables(store)
    full_after(store, 0)
    with pytest.raises(StoreError, match="full"):
        store.migrate()
    assert tables(store) == before and store.current_revision() == "0002"
    store.close()


def test_after_the_disk_is_freed_the_same_migrations_complete(tmp_path):
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    store = open_store(url, migrate=False)
    full_after(store, SPARE_PAGES)
    with pytest.raises(StoreError):
        store.migrate()
    store.close()
    again = open_store(url)  # no cap: the space is back
    assert "staff_lockouts" in tables(again) and again.current_revision() is not None
    again.close()
