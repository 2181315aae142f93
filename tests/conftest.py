"""Fixtures shared by every test folder.

The kiosk store's backend is ONE switch: `--store-backend=postgresql` (or KIOSK_TEST_STORE=
postgresql) makes the `store_url` fixture a fresh database of the session's throwaway
PostgreSQL cluster instead of an SQLite file, and runs only the tests that use `store_url`
(the rest do not touch the store, so running them again would prove nothing). The default run
stays on SQLite; `.ci/run` runs the PostgreSQL pass once more after it (docs/architecture.md §7).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable, refuse_without_postgres

STORE_BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store-backend",
        choices=STORE_BACKENDS,
        default=os.environ.get("KIOSK_TEST_STORE", "sqlite"),
        help="the kiosk store's backend for tests using the store_url fixture (postgresql: "
        "only those tests run)",
    )


def store_backend(config: pytest.Config) -> str:
    return str(config.getoption("--store-backend"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"kiosk store backend: {store_backend(config)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if store_backend(config) == "sqlite":
        return
    kept, dropped = [], []
    for item in items:
        (kept if "store_url" in getattr(item, "fixturenames", ()) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A real PostgreSQL server for this test session (tests/support/postgres.py); skipped on a
    developer machine without the server binaries, a failure in CI."""
    try:
        cluster = PostgresCluster()
    except PostgresUnavailable as exc:
        refuse_without_postgres(str(exc))
    with cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh, empty database of the session's cluster (postgresql+psycopg:// URL)."""
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty kiosk store on the backend this run tests (see the module's doc):
    an SQLite file in the test's folder, or a fresh PostgreSQL database."""
    if store_backend(request.config) == "sqlite":
        yield f"sqlite:///{tmp_path / 'kiosk.db'}"
        return
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def store_is_sqlite(store_url: str) -> bool:
    return store_url.startswith("sqlite")


@pytest.fixture
def store_bytes(request: pytest.FixtureRequest, store_url: str) -> Callable[[], bytes]:
    """Reads back everything the store's database keeps on disk, to prove a secret is gone: the
    SQLite file with its WAL and journal, or (after a CHECKPOINT) the PostgreSQL database's own
    folder `base/<oid>` — not the server's shared WAL (docs/architecture.md §7)."""
    if store_url.startswith("sqlite"):
        database = Path(store_url.removeprefix("sqlite:///"))
        return lambda: b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    import psycopg

    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = store_url.rsplit("/", 1)[1]

    def read() -> bytes:
        with psycopg.connect(
            host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute("CHECKPOINT")
            row = connection.execute(
                "SELECT oid FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
        assert row is not None
        folder = cluster.data / "base" / str(row[0])
        return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())

    return read


@pytest.fixture(autouse=True)
def qt_event_loops_still_run(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test outside tests/ui that runs the kiosk's Qt application in this process (`kiosk run`
    through `main`) must leave it able to run event loops: a stray Quit processed after `exec()`
    makes every later `QEventLoop.exec()` return at once, and the UI tests far later in the run
    time out. (UI tests are left alone: a loop run here would deliver their windows' last timers
    after pytest-qt closed them.)"""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules or "ui" in request.node.path.parts[-3:-1]:
        return
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    if QCoreApplication.instance() is None:
        return
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    if loop.exec() != 0:
        pytest.fail("this test left the Qt application unable to run an event loop (stray Quit)")
