"""`kiosk staff add` and `kiosk retention forget --staff NAME --reason TEXT --id-stdin [--json]`:
a weak PIN is refused; forgetting a citizen is confirmed by a real supervisor's PIN (the ID number
on stdin's first line, the PIN on its second) or refused with one line, audited, deleting nothing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.runtime import open_kiosk_sealer
from kiosk.store import open_store
from kiosk.store.models import AuditEvent, Dossier

SUPERVISOR_PIN, OFFICER_PIN = "739164", "482913"
CITIZEN = "001095012345"


@pytest.fixture
def kiosk_toml(tmp_path: Path, store_url: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "kiosk"}"\ndatabase_url = "{store_url}"\n',
        encoding="utf-8",
    )
    return path


def _run(monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


@pytest.fixture
def staffed(
    kiosk_toml: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A kiosk with supervisor binh, officer an and one accepted dossier of CITIZEN."""
    config = str(kiosk_toml)
    add = ("staff", "add", "--pin-stdin", "--config", config)
    assert _run(monkeypatch, SUPERVISOR_PIN + "\n", *add, "binh", "--role", "supervisor") == 0
    assert _run(monkeypatch, OFFICER_PIN + "\n", *add, "an", "--role", "officer") == 0
    loaded = load_config(kiosk_toml)
    store = open_store(loaded.database_url)
    sealer = open_kiosk_sealer(loaded)
    with store.session() as session:
        session.add(
            Dossier(
                kiosk_reference="AN-1",
                procedure_code="P",
                payload_sealed=sealer.seal(b"sealed", b"dossier:AN-1"),
                id_lookup=sealer.lookup_hash(CITIZEN),
                masked_id="001******345",
            )
        )
    store.close()
    capsys.readouterr()
    return kiosk_toml


def _forget(monkeypatch: pytest.MonkeyPatch, kiosk_toml: Path, staff: str, pin: str) -> int:
    return _run(
        monkeypatch,
        f"{CITIZEN}\n{pin}\n",
        "retention", "forget", "--staff", staff, "--reason", "citizen asked",
        "--id-stdin", "--json", "--config", str(kiosk_toml),
    )  # fmt: skip


def _state(kiosk_toml: Path) -> tuple[set[str], list[tuple[str, str]]]:
    store = open_store(load_config(kiosk_toml).database_url)
    try:
        with store.session() as session:
            refs = {d.kiosk_reference for d in session.query(Dossier)}
            events = [
                (e.actor, e.action) for e in session.query(AuditEvent).order_by(AuditEvent.id)
            ]
    finally:
        store.close()
    return refs, events


def test_a_supervisors_pin_confirms_forgetting_the_citizen(
    staffed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _forget(monkeypatch, staffed, "binh", SUPERVISOR_PIN) == 0
    assert json.loads(capsys.readouterr().out)["dossiers"] == 1
    refs, events = _state(staffed)
    assert refs == set()
    assert events[-1] == ("staff:binh", "citizen_forgotten")


@pytest.mark.parametrize(
    ("staff", "pin", "said", "audited"),
    [
        ("binh", "000001", "wrong PIN", ("staff:binh", "staff_login_refused")),
        ("an", OFFICER_PIN, "not a supervisor", ("staff:an", "staff_not_permitted")),
        ("nobody", SUPERVISOR_PIN, "no staff account", ("staff:nobody", "staff_login_refused")),
    ],
)  # fmt: skip
def test_an_unconfirmed_forget_exits_2_with_one_line_audited_and_deletes_nothing(
    staffed: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    staff: str,
    pin: str,
    said: str,
    audited: tuple[str, str],
) -> None:
    assert _forget(monkeypatch, staffed, staff, pin) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and said in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    refs, events = _state(staffed)
    assert refs == {"AN-1"}
    assert events[-1] == audited
    assert "citizen_forgotten" not in {action for _, action in events}


def test_wrong_pins_at_forget_lock_the_supervisor_account(
    staffed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(5):
        assert _forget(monkeypatch, staffed, "binh", "000001") == 2
    assert _forget(monkeypatch, staffed, "binh", SUPERVISOR_PIN) == 2
    assert "locked" in capsys.readouterr().err.strip().splitlines()[-1]
    assert _state(staffed)[0] == {"AN-1"}


def test_forget_without_a_pin_line_is_refused(
    staffed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(
        monkeypatch, f"{CITIZEN}\n", "retention", "forget", "--staff", "binh",
        "--reason", "citizen asked", "--id-stdin", "--config", str(staffed),
    )  # fmt: skip
    assert code == 2 and "PIN" in capsys.readouterr().err
    assert _state(staffed)[0] == {"AN-1"}


def test_forget_must_name_the_supervisor(staffed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as exited:
        _run(
            monkeypatch, f"{CITIZEN}\n{SUPERVISOR_PIN}\n", "retention", "forget",
            "--reason", "citizen asked", "--id-stdin", "--config", str(staffed),
        )  # fmt: skip
    assert exited.value.code == 2


@pytest.mark.parametrize("pin", ["123123", "121212", "112233", "000001", "199001", "        "])
def test_staff_add_refuses_a_weak_pin_in_one_line(
    kiosk_toml: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], pin: str
) -> None:
    code = _run(
        monkeypatch, pin + "\n", "staff", "add", "chi", "--pin-stdin", "--config", str(kiosk_toml)
    )
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "PIN" in err
