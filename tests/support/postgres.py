"""A throwaway PostgreSQL cluster for tests: `initdb` + `pg_ctl` in a temporary folder, on a random
port, listening on 127.0.0.1 only (trust auth there and nowhere else), stopped and deleted at the
end. No mock: the tests talk to the distribution's real server.

`initdb` refuses to run as root, so as root the cluster runs as the `postgres` system user
(`runuser -u postgres --`) in a folder that user owns. Without the server binaries a developer's
run skips the tests that need PostgreSQL; in CI (`CI=true`) it fails them instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from itertools import count
from pathlib import Path
from typing import NoReturn

BIN_ENV = "KIOSK_PG_BIN"  # a folder holding initdb and pg_ctl, when not the distribution's
SUPERUSER = "postgres"
DRIVER_SCHEME = "postgresql+psycopg"


class PostgresUnavailable(Exception):
    """The server binaries are not installed (skip on a developer machine, fail in CI)."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def refuse_without_postgres(reason: str) -> NoReturn:
    """Stop a test that needs PostgreSQL: a failure in CI, a skip on a developer machine."""
    import pytest

    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def find_bin_dir() -> Path:
    """The folder with `initdb` and `pg_ctl`: $KIOSK_PG_BIN, else the newest
    /usr/lib/postgresql/<version>/bin, else the PATH."""
    candidates: list[Path] = []
    if os.environ.get(BIN_ENV):
        candidates.append(Path(os.environ[BIN_ENV]))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += versions
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
        "postgresql (bash scripts/setup.sh does)"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One running cluster; `create_database()` gives a fresh, empty database's URL."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = 0
        self._names = count(1)
        self.running = False

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> PostgresCluster:
        if self.as_root:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        # Only TCP on loopback, and trust only there (no Unix socket to guess permissions on).
        (self.data / "pg_hba.conf").write_text(
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n", encoding="utf-8"
        )
        for attempt in range(3):  # another process may take the free port before the server
            self.port = free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                          "-w", "-t", "60", "start")  # fmt: skip
            except RuntimeError:
                if attempt == 2:
                    raise
                continue
            break
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            finally:
                self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- databases ---------------------------------------------------------------------------

    def url(self, database: str = "postgres", scheme: str = DRIVER_SCHEME) -> str:
        return f"{scheme}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "test") -> str:
        """A fresh database (from template0) and its SQLAlchemy URL (psycopg 3 driver)."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def execute(self, statement: str) -> None:
        """One statement as the superuser, outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement.encode("utf-8"))

    # --- helpers -----------------------------------------------------------------------------

    def _run(self, program: str, *args: str) -> None:
        command: Sequence[str] = [str(self.bin_dir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd=self.folder, check=False
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{program} failed ({result.returncode}): {result.stderr.strip()} {log}".strip()
            )
