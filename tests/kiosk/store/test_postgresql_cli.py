"""`[storage] database_url = "postgresql+psycopg://…"` end to end on a real server: the kiosk
starts, the doctor checks the store, a simulation keeps its dossiers there; a server that is down,
a wrong password or a database that does not exist ends each command with one line, exit 2, and
never shows the password (docs/architecture.md §7)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select

from kiosk.cli import main
from kiosk.store import open_store
from kiosk.store.models import AuditEvent
from tests.support.postgres import PostgresCluster, free_port

PASSWORD_ROLE, RIGHT_PASSWORD, WRONG_PASSWORD = "kiosk_pw", "đúng-mật-khẩu", "sai-mat-khau-42"


def kiosk_toml(folder: Path, database_url: str) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{folder / "data"}"\ndatabase_url = "{database_url}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def kiosk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Runs `kiosk ARGS` in this process with the config at `database_url`: (exit, out, err)."""

    def run(database_url: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("KIOSK_CONFIG", str(kiosk_toml(tmp_path, database_url)))
        monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
        monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
        capfd.readouterr()
        try:
            code = main([word.replace("{dir}", str(tmp_path)) for word in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capfd.readouterr()
        return code, out, err

    return run


def test_the_demo_kiosk_starts_on_a_postgresql_store(kiosk, postgres_url: str) -> None:
    code, out, err = kiosk(postgres_url, "run", "--demo", "--exit-when-ready")
    assert code == 0, err
    assert "ready: welcome screen in" in out
    store = open_store(postgres_url, migrate=False)
    try:
        assert store.current_revision() is not None  # migrated on the server
        with store.session() as session:
            assert session.scalar(select(func.count(AuditEvent.id)))  # and written to
    finally:
        store.close()


def test_the_doctor_checks_a_postgresql_store(kiosk, postgres_url: str) -> None:
    code, out, err = kiosk(
        postgres_url, "doctor", "--no-checklist", "--only", "outbox", "audit", "staff"
    )
    assert "[FAIL]" not in out, out
    assert code == 0, out + err


def test_a_simulation_never_writes_into_the_configured_postgresql_store(
    kiosk, postgres_url
) -> None:
    """Simulation keeps its own SQLite store in its data folder (docs/architecture.md §6)."""
    argv = ("simulate", "--citizens", "2", "--seed", "3", "--json", "--data-dir", "{dir}/sim")
    code, out, err = kiosk(postgres_url, *argv)
    assert code == 0, err
    assert json.loads(out)["completed"] >= 1
    engine = create_engine(postgres_url)
    try:
        assert not inspect(engine).has_table("dossiers")  # not even migrated: never opened
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def password_role(postgres_cluster: PostgresCluster) -> str:
    """A role that must give its password (scram-sha-256), for the wrong-password case."""
    hba = postgres_cluster.data / "pg_hba.conf"
    line = f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
    if line not in hba.read_text(encoding="utf-8"):
        with hba.open("a", encoding="utf-8") as handle:
            handle.write(line)
    postgres_cluster.execute("SELECT pg_reload_conf()")
    postgres_cluster.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_ROLE}') "
        f"THEN CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{RIGHT_PASSWORD}'; END IF; END $$"
    )
    return PASSWORD_ROLE


def server_down(cluster: PostgresCluster, _role: str) -> tuple[str, str]:
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/kiosk", "does not answer"


def wrong_password(cluster: PostgresCluster, role: str) -> tuple[str, str]:
    url = f"postgresql+psycopg://{role}:{WRONG_PASSWORD}@127.0.0.1:{cluster.port}/postgres"
    return url, "refused the kiosk's login: connection failed"


def no_such_database(cluster: PostgresCluster, _role: str) -> tuple[str, str]:
    return cluster.url("kiosk_no_such_database"), "the database does not exist on the server"


BROKEN = {
    "server_down": server_down,
    "wrong_password": wrong_password,
    "no_such_database": no_such_database,
}
COMMANDS = {
    "db": ["db", "current"],
    "audit": ["audit", "verify"],
    "sync": ["sync", "--once"],
    "staff": ["staff", "list"],
}


@pytest.mark.parametrize("broken", BROKEN)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreachable_postgresql_store_ends_the_command_in_one_line_exit_2(
    kiosk, postgres_cluster: PostgresCluster, password_role: str, broken: str, command: str
) -> None:
    url, reason = BROKEN[broken](postgres_cluster, password_role)
    code, out, err = kiosk(url, *COMMANDS[command])
    lines = err.strip().splitlines()
    assert code == 2, out + err
    assert len(lines) == 1 and lines[0].startswith("kiosk"), err
    assert reason in lines[0], err
    assert "Traceback" not in out + err and WRONG_PASSWORD not in out + err


def test_the_doctor_fails_the_store_checks_of_a_postgresql_server_that_is_down(
    kiosk, postgres_cluster: PostgresCluster
) -> None:
    url, reason = server_down(postgres_cluster, "")
    code, out, err = kiosk(url, "doctor", "--no-checklist", "--only", "outbox", "audit")
    assert code == 1 and "Traceback" not in out + err
    assert out.count("[FAIL]") == 2 and reason in out


@pytest.mark.parametrize("broken", BROKEN)
def test_the_kiosk_on_an_unreachable_postgresql_store_says_why_it_is_not_ready(
    kiosk, postgres_cluster: PostgresCluster, password_role: str, broken: str
) -> None:
    """`kiosk run` asked to exit once ready ends with one line and exit 2, like every command on
    a broken store (tests/kiosk/test_cli_failures.py)."""
    url, reason = BROKEN[broken](postgres_cluster, password_role)
    code, out, err = kiosk(url, "run", "--demo", "--exit-when-ready")
    last = err.strip().splitlines()[-1]
    assert code == 2, out + err
    assert last.startswith("kiosk: ") and reason in last, err
    assert "Traceback" not in out + err and WRONG_PASSWORD not in out + err
