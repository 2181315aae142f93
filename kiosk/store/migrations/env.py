"""Alembic environment: the engine comes from `kiosk.store.db.alembic_config`.

Each migration runs in its own transaction, its DDL included, and commits with its version stamp:
a migration that fails half-way (a full disk, a power cut) leaves the schema of the one before.
SQLite can roll DDL back, but Python's sqlite3 driver commits before each DDL statement on its
own; on this connection the driver's transaction handling is switched off and BEGIN is issued
explicitly, so SQLite's own transactions hold the DDL (docs/architecture.md §6).
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from alembic import context
from sqlalchemy import Connection, event

from kiosk.store.models import Base


@contextmanager
def sqlite_transactional_ddl(connection: Connection) -> Iterator[None]:
    """While inside: every transaction on `connection` is a real SQLite BEGIN … COMMIT."""
    driver: Any = connection.connection.driver_connection
    previous = driver.isolation_level

    def begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    driver.isolation_level = None  # the driver issues no BEGIN/COMMIT of its own
    event.listen(connection, "begin", begin)
    try:
        yield
    finally:
        event.remove(connection, "begin", begin)
        if connection.in_transaction():
            connection.rollback()
        driver.isolation_level = previous


engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    with sqlite_transactional_ddl(connection) if sqlite else nullcontext():
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            transactional_ddl=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
