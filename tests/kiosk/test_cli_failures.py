"""Every `kiosk` command against broken storage, keys and URLs: exit 2 with one line, never a
traceback (one-line failures: docs/architecture.md, the CLI)."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.cli import COMMAND_MODULES, main

# What each command touches; a setup that breaks one of these must end the command with exit 2.
CONFIG, DATA_DIR, STORE, KEYS = "config", "data_dir", "store", "keys"
STORE_WRITES = "store_writes"  # reading still works (a read-only file)

# The harmless sub-command run for each command (`{dir}`: the setup's folder).
COMMANDS: dict[str, tuple[list[str], set[str]]] = {
    "run": (
        ["run", "--windowed", "--exit-when-ready"],
        {CONFIG, DATA_DIR, STORE, STORE_WRITES, KEYS},
    ),
    # simulate keeps its own store: pointed into the broken folder so that it never runs long
    "simulate": (
        ["simulate", "--citizens", "1", "--data-dir", "{dir}/afile/sim"],
        {CONFIG, DATA_DIR, STORE, STORE_WRITES, KEYS},
    ),
    "journey": (["journey"], set()),
    "db": (["db", "current"], {CONFIG, STORE}),
    "audit": (["audit", "verify"], {CONFIG, DATA_DIR, STORE, KEYS}),
    "camera": (["camera", "verify", "{dir}/a.jpg", "{dir}/b.jpg"], {CONFIG}),
    "card": (["card", "mrz", "not an mrz"], set()),
    "config": (["config", "check"], {CONFIG}),
    "keys": (["keys", "status"], {CONFIG, DATA_DIR, KEYS}),
    "staff": (["staff", "list"], {CONFIG, DATA_DIR, STORE, KEYS}),
    "retention": (["retention", "purge", "--dry-run"], {CONFIG, DATA_DIR, STORE, KEYS}),
    "trust": (["trust", "list"], {CONFIG}),
    "doctor": (["doctor", "--no-checklist", "--only", "disk", "outbox", "keys"], {CONFIG}),
    "watchdog": (["watchdog", "--hang-timeout", "0"], set()),
    "receipt": (["receipt", "--list"], {CONFIG}),
    "report": (["report", "--json"], {CONFIG, DATA_DIR, STORE}),
    "vietqr": (["vietqr", "--parse", "not a payload"], set()),
    "workdays": (["workdays", "--from", "2025-01-02 08:00", "--days", "3"], {CONFIG}),
    "catalogue": (["catalogue", "list"], {CONFIG}),
    "portal-serve": (["portal-serve", "--list", "--db", "{dir}/afile/portal.db"], {DATA_DIR}),
    "sync": (["sync", "--once"], {CONFIG, DATA_DIR, STORE}),
    "outbox": (["outbox", "--json"], {CONFIG, DATA_DIR, STORE}),
    "fleet": (["fleet", "send"], {CONFIG}),  # without a [fleet] url: one line, exit 2
    # the fleet service uses its --db URL only, never the kiosk's setup
    "fleet-serve": (["fleet-serve", "--db", "sqlite:///{dir}/afile/f.db", "--port", "1"], set()),
}


def _toml(**tables: dict[str, str]) -> str:
    lines = []
    for table, values in tables.items():
        lines.append(f"[{table}]")
        lines.extend(f"{key} = {value}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _data_dir(folder: Path) -> str:
    return _quoted(str(folder / "data"))


def data_dir_under_a_file(folder: Path) -> str:
    return _toml(storage={"data_dir": _quoted(str(folder / "afile" / "data"))})


def database_url_not_a_url(folder: Path) -> str:
    return _toml(storage={"data_dir": _data_dir(folder), "database_url": '"kiosk.db"'})


def database_url_postgresql_without_driver(folder: Path) -> str:
    # psycopg 3 is installed (postgresql:// uses it); psycopg2 is not
    url = '"postgresql+psycopg2://kiosk@127.0.0.1:9/kiosk"'
    return _toml(storage={"data_dir": _data_dir(folder), "database_url": url})


def database_url_with_nul(folder: Path) -> str:
    url = '"sqlite:///' + str(folder) + '/data/kiosk\\u0000.db"'
    return _toml(storage={"data_dir": _data_dir(folder), "database_url": url})


def sqlite_file_corrupt(folder: Path) -> str:
    (folder / "data").mkdir()
    (folder / "data" / "kiosk.db").write_bytes(b"this is not an SQLite database\n" * 200)
    return _toml(storage={"data_dir": _data_dir(folder)})


def sqlite_file_read_only(folder: Path) -> str:
    # root ignores file modes, so the file is opened read-only through SQLite's own URI flag
    shutil.copytree(_migrated_data_dir(), folder / "data")
    url = _quoted(f"sqlite:///file:{folder}/data/kiosk.db?mode=ro&uri=true")
    return _toml(storage={"data_dir": _data_dir(folder), "database_url": url})


def disk_full(folder: Path) -> str:
    return _toml(storage={"data_dir": _data_dir(folder)})  # writes fail: see _writes_fail


def key_file_truncated(folder: Path) -> str:
    key = folder / "machine.key"
    key.write_bytes(b"short")
    key.chmod(0o600)
    security = {"machine_key_file": _quoted(str(key))}
    return _toml(storage={"data_dir": _data_dir(folder)}, security=security)


def key_file_is_a_folder(folder: Path) -> str:
    (folder / "keydir").mkdir(mode=0o700)
    security = {"machine_key_file": _quoted(str(folder / "keydir"))}
    return _toml(storage={"data_dir": _data_dir(folder)}, security=security)


def portal_port_over_65535(folder: Path) -> str:
    return _toml(
        storage={"data_dir": _data_dir(folder)}, portal={"url": '"http://127.0.0.1:70000"'}
    )


def portal_url_with_nul(folder: Path) -> str:
    url = '"http://127.0.0.1\\u0000:8080/"'
    return _toml(storage={"data_dir": _data_dir(folder)}, portal={"url": url})


# Setup → (builder, what it breaks).
SETUPS: dict[str, tuple[Callable[[Path], str], str]] = {
    "data_dir_under_a_file": (data_dir_under_a_file, DATA_DIR),
    "database_url_not_a_url": (database_url_not_a_url, CONFIG),
    "database_url_postgresql_without_driver": (database_url_postgresql_without_driver, STORE),
    "database_url_with_nul": (database_url_with_nul, CONFIG),
    "sqlite_file_corrupt": (sqlite_file_corrupt, STORE),
    "sqlite_file_read_only": (sqlite_file_read_only, STORE_WRITES),
    "disk_full": (disk_full, STORE),
    "key_file_truncated": (key_file_truncated, KEYS),
    "key_file_is_a_folder": (key_file_is_a_folder, KEYS),
    "portal_port_over_65535": (portal_port_over_65535, CONFIG),
    "portal_url_with_nul": (portal_url_with_nul, CONFIG),
}

_MIGRATED: list[Path] = []


def _migrated_data_dir() -> Path:
    """A data folder with a migrated store, made once and copied by the setups that need it."""
    if not _MIGRATED:
        import tempfile

        from kiosk.store import open_store

        folder = Path(tempfile.mkdtemp(prefix="kiosk-migrated-"))
        open_store(f"sqlite:///{folder / 'kiosk.db'}").close()
        _MIGRATED.append(folder)
    return _MIGRATED[0]


@contextlib.contextmanager
def _writes_fail(limit_bytes: int) -> Iterator[None]:
    """Files cannot grow past `limit_bytes` (EFBIG), the way a full disk refuses writes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def _run(setup: str, command: str, tmp_path: Path, monkeypatch, capfd) -> tuple[int, str, str]:
    builder, _ = SETUPS[setup]
    (tmp_path / "afile").write_text("a file where a folder is expected\n")
    (tmp_path / "a.jpg").write_bytes(b"")
    (tmp_path / "b.jpg").write_bytes(b"")
    config = tmp_path / "kiosk.toml"
    config.write_text(builder(tmp_path), encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    argv = [
        word.replace("{dir}", str(tmp_path)).replace("{data}", str(tmp_path / "data"))
        for word in COMMANDS[command][0]
    ]
    capfd.readouterr()
    with _writes_fail(16 * 1024) if setup == "disk_full" else contextlib.nullcontext():
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    out, err = capfd.readouterr()
    return code, out, err


def test_every_command_is_covered():
    assert set(COMMANDS) == set(COMMAND_MODULES)


@pytest.mark.parametrize("setup", SETUPS)
@pytest.mark.parametrize("command", COMMANDS)
def test_command_fails_in_one_line_on_a_broken_setup(setup, command, tmp_path, monkeypatch, capfd):
    _, broken = SETUPS[setup]
    touched = COMMANDS[command][1]
    if broken not in touched and command in ("run", "simulate"):
        pytest.skip("would start the kiosk or a simulation: nothing broken on its way")
    code, out, err = _run(setup, command, tmp_path, monkeypatch, capfd)
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    if command == "doctor" and broken != CONFIG:
        # the doctor reports a broken setup as failed checks (exit 1) and never crashes
        assert code in (0, 1), err
        if broken in (STORE, KEYS, DATA_DIR) and setup != "disk_full":
            assert "[FAIL]" in out
        return
    if command == "run" and broken != CONFIG:
        # the kiosk's own log lines (a background purge that failed first) may precede it
        lines = [line for line in lines if not line[:4].isdigit()]
    if broken in touched:
        assert code == 2, (out, err)
    else:
        assert code in (0, 2), (out, err)
    if code == 2:
        assert len(lines) == 1, err
        assert lines[0].startswith("kiosk"), err


def test_a_corrupt_database_names_the_file_and_what_to_do(tmp_path, monkeypatch, capfd):
    code, _, err = _run("sqlite_file_corrupt", "db", tmp_path, monkeypatch, capfd)
    assert code == 2
    assert str(tmp_path / "data" / "kiosk.db") in err
    assert "not an SQLite database" in err or "not a database" in err
    assert "restore" in err


def test_a_read_only_database_says_so_when_the_command_writes(tmp_path, monkeypatch, capfd):
    monkeypatch.setitem(COMMANDS, "retention", (["retention", "purge"], set()))
    code, _, err = _run("sqlite_file_read_only", "retention", tmp_path, monkeypatch, capfd)
    assert code == 2
    assert "read-only" in err
    assert str(tmp_path / "data" / "kiosk.db") in err


def test_a_postgresql_url_without_its_driver_says_which_driver(tmp_path, monkeypatch, capfd):
    code, _, err = _run(
        "database_url_postgresql_without_driver", "db", tmp_path, monkeypatch, capfd
    )
    assert code == 2
    assert "driver (psycopg" in err
    assert "kiosk@127.0.0.1:9/kiosk" in err


def test_a_full_disk_says_what_could_not_be_written(tmp_path, monkeypatch, capfd):
    code, _, err = _run("disk_full", "staff", tmp_path, monkeypatch, capfd)
    assert code == 2
    assert "free" in err and "space" in err


def test_a_bad_key_file_names_the_key_file(tmp_path, monkeypatch, capfd):
    code, _, err = _run("key_file_is_a_folder", "keys", tmp_path, monkeypatch, capfd)
    assert code == 2
    assert str(tmp_path / "keydir") in err


def test_a_data_dir_that_cannot_exist_names_the_folder(tmp_path, monkeypatch, capfd):
    code, _, err = _run("data_dir_under_a_file", "staff", tmp_path, monkeypatch, capfd)
    assert code == 2
    assert str(tmp_path / "afile") in err
    assert "[storage] data_dir" in err


def test_a_portal_port_over_65535_on_the_command_line_is_one_line(capfd):
    with pytest.raises(SystemExit) as exited:
        main(["portal-serve", "--port", "70000", "--db", "portal.db"])
    err = capfd.readouterr().err
    assert exited.value.code == 2
    assert len(err.strip().splitlines()) == 1
    assert "65535" in err


def test_doctor_on_a_corrupt_database_reports_failed_checks_without_tracebacks(
    tmp_path, monkeypatch, capfd
):
    monkeypatch.setitem(COMMANDS, "doctor", (["doctor", "--no-checklist"], {CONFIG}))
    code, out, err = _run("sqlite_file_corrupt", "doctor", tmp_path, monkeypatch, capfd)
    assert code == 1
    assert "Traceback" not in out + err
    failed = [line for line in out.splitlines() if line.startswith("[FAIL]")]
    assert {line.split()[1] for line in failed} >= {"outbox", "audit", "staff"}
    assert len((out + err).splitlines()) < 40


if os.name != "posix":  # pragma: no cover
    pytestmark = pytest.mark.skip("RLIMIT_FSIZE and file modes are POSIX")
