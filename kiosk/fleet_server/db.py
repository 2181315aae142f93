"""Opening the fleet database: the store's engine (typed errors, SQLite pragmas) with the fleet's
own migrations, run at start and by `kiosk fleet admin`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from kiosk.fleet_server.secrets import FleetSecrets
from kiosk.store.db import StoreError, create_store_engine, store_error

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "fleet_alembic_version"  # apart from a kiosk store's, should they share a database


class FleetDb:
    def __init__(self, engine: Engine, url: str, secrets: FleetSecrets | None = None) -> None:
        self.engine = engine
        self.url = url
        self.secrets = secrets or FleetSecrets()  # the signing and data keys, sealed at rest
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work, committed at the end of the block, rolled back on an exception."""
        with self._sessions.begin() as session:
            yield session

    def migrate(self, revision: str = "head") -> None:
        from alembic import command

        command.upgrade(self._alembic_config(), revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        command.downgrade(self._alembic_config(), revision)

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
            return context.get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    def _alembic_config(self) -> Any:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["engine"] = self.engine
        return config


def open_fleet_db(url: str, migrate: bool = True, secrets: FleetSecrets | None = None) -> FleetDb:
    """The fleet database at `url`, its schema brought to the newest migration, its secrets
    opened with `secrets` (kiosk/fleet_server/secrets.py).

    Raises `StoreError` for a URL that is not one, a missing driver, or a database that does not
    answer."""
    url = driver_url(url)
    db = FleetDb(create_store_engine(url), url, secrets)
    try:
        if migrate:
            db.migrate()
        else:
            with db.engine.connect():
                pass
    except StoreError:
        db.close()
        raise
    except (sa_exc.DBAPIError, OSError) as exc:
        db.close()
        raise store_error(exc, url) from exc
    return db


def driver_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3, the PostgreSQL driver the kiosk ships."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def aware(moment: datetime) -> datetime:
    """`moment` in UTC (SQLite hands back naive datetimes for timezone-aware columns)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
