"""Opening the store: engine, SQLite pragmas, migrations at start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "head"

# The DB-API driver each backend loads by default (named in the error; postgresql: is psycopg 3).
_DEFAULT_DRIVERS = {"postgresql": "psycopg", "mysql": "mysqlclient", "mariadb": "mysqlclient"}


class StoreError(Exception):
    """The store cannot be opened or used; the message says what failed, where, and what to do.

    It never holds personal data: only the database's location (password masked) and the
    driver's reason.
    """

    code = "store_unavailable"

    def __init__(self, what: str, where: str, remedy: str) -> None:
        super().__init__(f"{what} ({where}); {remedy}")
        self.what = what
        self.where = where
        self.remedy = remedy


def where(url: str) -> str:
    """The database's location for messages: the SQLite file, or the URL with its password
    masked."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        return repr(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _sqlite_reason(message: str) -> tuple[str, str]:
    """(what failed, what to do) for a SQLite driver message."""
    text = message.lower()
    if "not a database" in text or "malformed" in text:
        return (
            "the database file is not an SQLite database or is damaged",
            "restore kiosk.db from the backup, or move it away to start an empty store",
        )
    if "readonly" in text or "read-only" in text:
        return (
            "the database file is read-only",
            "let the kiosk's user write the file and its folder (or fix [storage] database_url)",
        )
    if "full" in text or "disk i/o" in text:
        return (
            "the database could not be written (disk full or failing)",
            "free disk space on the data drive, then start again",
        )
    if "unable to open" in text:
        return (
            "the database file cannot be opened",
            "check that its folder exists and the kiosk's user may write there",
        )
    return (f"the database failed: {message}", "check the disk and the database file")


def _server_reason(message: str) -> tuple[str, str]:
    """(what failed, what to do) for a database server's (PostgreSQL's) driver message."""
    text = message.lower()
    if "password authentication failed" in text or "no pg_hba.conf entry" in text:
        return (
            f"the database server refused the kiosk's login: {message}",
            "check the user and password in [storage] database_url (and the server's pg_hba.conf)",
        )
    if "database" in text and "does not exist" in text:
        return (
            f"the database does not exist on the server: {message}",
            "create it (createdb -O USER NAME) or fix its name in [storage] database_url",
        )
    return (
        f"the database does not answer: {message}",
        "check the database server and [storage] database_url",
    )


def store_error(exc: BaseException, url: str) -> StoreError:
    """A typed error for a database failure at `url` (SQLAlchemy, driver or OS error)."""
    location = where(url)
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        place = exc.filename or location
        return StoreError(
            f"cannot create the database's folder: {reason}",
            str(place),
            "set [storage] data_dir to a folder the kiosk's user may create and write",
        )
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        message = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
    else:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if url.startswith("sqlite"):
        what, remedy = _sqlite_reason(message)
        return StoreError(what, location, remedy)
    what, remedy = _server_reason(message)
    return StoreError(what, location, remedy)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer, and a power cut loses at most the last transaction.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed dossier survives a power cut
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _raise_typed(url: str) -> Callable[[Any], BaseException | None]:
    """An engine `handle_error` hook: a database that is damaged, read-only, full or gone raises
    `StoreError` wherever it is used (sessions, migrations, raw connections). Constraint
    violations and SQL mistakes stay SQLAlchemy's own errors."""

    def typed(context: Any) -> BaseException | None:
        exc = context.sqlalchemy_exception
        if getattr(context, "is_pre_ping", False):  # the pool reconnects on its own
            return None
        if exc is None or isinstance(exc, sa_exc.IntegrityError | sa_exc.ProgrammingError):
            return None
        if isinstance(exc, sa_exc.OperationalError) or type(exc) is sa_exc.DatabaseError:
            return store_error(exc, url)
        return None

    return typed


def create_store_engine(url: str) -> Engine:
    """The engine for `url`; raises `StoreError` for a URL that is not one, a missing driver, or
    an SQLite folder that cannot be created."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise StoreError(
            "the database URL is not a URL",
            repr(url),
            "set [storage] database_url to e.g. sqlite:////var/lib/kiosk/kiosk.db, or leave it "
            "empty",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not parsed.query.get("uri"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise store_error(exc, url) from None
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _raise_typed(url))
        return engine
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        backend = parsed.get_backend_name()
        driver = exc.name or _DEFAULT_DRIVERS.get(backend, parsed.get_driver_name())
        raise StoreError(
            f"the {backend} driver ({driver}) is not installed",
            where(url),
            f"install {driver} into the kiosk's environment, or use an SQLite database_url",
        ) from None
    except sa_exc.ArgumentError as exc:  # an unknown dialect, or options it refuses
        raise StoreError(
            f"the database URL cannot be used: {exc}",
            where(url),
            "fix [storage] database_url",
        ) from None
    event.listen(engine, "handle_error", _raise_typed(url))
    return engine


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any exception.

        A failing database raises `StoreError` (see `_raise_typed`)."""
        with self._sessions.begin() as session:
            yield session

    def migrate(self, revision: str = HEAD) -> None:
        from alembic import command

        command.upgrade(alembic_config(self.engine), revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        command.downgrade(alembic_config(self.engine), revision)

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, migrate: bool = True) -> Store:
    """Open the store at `url` and bring its schema to the newest migration.

    Raises `StoreError` when the database cannot be reached, read or written."""
    store = Store(create_store_engine(url))
    try:
        if migrate:
            store.migrate()
        else:
            with store.engine.connect():
                pass
    except (sa_exc.DBAPIError, OSError) as exc:
        store.close()
        raise store_error(exc, url) from exc
    return store
