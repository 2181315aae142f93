"""The throwaway PostgreSQL cluster the tests run on (tests/support/postgres.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.support import postgres


def _scalar(url: str, statement: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(statement)).scalar()
    finally:
        engine.dispose()


def test_the_fixture_database_is_a_real_postgresql_server(postgres_url):
    assert "PostgreSQL" in str(_scalar(postgres_url, "SELECT version()"))


def test_each_test_gets_a_fresh_empty_database(postgres_url):
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE left_behind (n int)"))
    engine.dispose()
    assert _scalar(postgres_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 1


def test_the_cluster_listens_on_loopback_only(postgres_cluster):
    assert _scalar(postgres_cluster.url(), "SHOW listen_addresses") == "127.0.0.1"


def test_missing_binaries_are_named_with_the_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv(postgres.BIN_ENV, str(tmp_path))
    monkeypatch.setattr(postgres.Path, "glob", lambda self, pattern: iter(()))
    monkeypatch.setattr(postgres.shutil, "which", lambda name: None)
    with pytest.raises(postgres.PostgresUnavailable, match="postgresql"):
        postgres.find_bin_dir()


def test_without_postgresql_a_ci_run_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        postgres.refuse_without_postgres("no server")


def test_without_postgresql_a_developer_run_skips(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        postgres.refuse_without_postgres("no server")
