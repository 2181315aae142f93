"""The fleet service's own Alembic migrations, on PostgreSQL and SQLite."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from kiosk.fleet_server.db import VERSION_TABLE
from kiosk.fleet_server.models import Base


def test_opening_migrates_to_the_newest_revision(any_fleet_db):
    assert any_fleet_db.current_revision() == "0001"


def test_the_migrations_build_exactly_the_models_schema(any_fleet_db):
    with any_fleet_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, Base.metadata) == []


def test_the_fleet_keeps_its_version_in_its_own_table_beside_a_kiosk_store(any_fleet_db):
    tables = set(inspect(any_fleet_db.engine).get_table_names())
    assert VERSION_TABLE in tables and "alembic_version" not in tables


def test_downgrading_to_base_removes_every_fleet_table(any_fleet_db):
    any_fleet_db.downgrade("base")
    assert set(inspect(any_fleet_db.engine).get_table_names()) <= {VERSION_TABLE}
