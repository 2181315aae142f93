"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable, refuse_without_postgres


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
