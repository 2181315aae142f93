"""`machine_key = "tpm2"`: the machine key sealed to a TPM 2.0 — here a real software TPM
(swtpm) driven by tpm2-tools, not a mock. A copy of the data folder alone opens nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.crypto.errors import MachineKeyError, Tpm2Error
from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.rotation import rotate_data_key
from kiosk.crypto.sealer import Sealer, keyring_path
from kiosk.store import open_store
from kiosk.store.models import Dossier
from tests.kiosk.crypto.conftest import SoftwareTpm

PAYLOAD = "Nguyễn Thị Bích 001195012345".encode()


def _tpm_sealer(data: Path) -> Sealer:
    return Sealer(open_keyring("tpm2", data / "keys" / "machine.tpm2", keyring_path(data)))


def test_a_tpm_sealed_keyring_opens_again_and_opens_what_it_sealed(tmp_path, software_tpm):
    blob = _tpm_sealer(tmp_path / "data").seal(PAYLOAD, b"dossier:K-1")
    assert _tpm_sealer(tmp_path / "data").open(blob, b"dossier:K-1") == PAYLOAD


def test_the_key_file_holds_only_the_tpm_sealed_object(tmp_path, software_tpm):
    _tpm_sealer(tmp_path / "data")
    document = json.loads((tmp_path / "data" / "keys" / "machine.tpm2").read_bytes())
    assert set(document) == {"format", "primary", "public", "private"}


def test_a_copy_of_the_data_folder_does_not_decrypt_with_another_tpm(
    tmp_path, software_tpm, monkeypatch
):
    blob = _tpm_sealer(tmp_path / "data").seal(PAYLOAD, b"dossier:K-1")
    shutil.copytree(tmp_path / "data", tmp_path / "stolen")
    software_tpm.stop()
    other = SoftwareTpm(tmp_path / "other-tpm-state")  # the thief's machine: another TPM
    monkeypatch.setenv("TPM2TOOLS_TCTI", other.tcti)
    try:
        with pytest.raises(Tpm2Error):
            _tpm_sealer(tmp_path / "stolen")
    finally:
        other.stop()
    assert PAYLOAD not in blob


def test_a_copy_of_the_data_folder_does_not_decrypt_without_any_tpm(
    tmp_path, software_tpm, monkeypatch
):
    _tpm_sealer(tmp_path / "data")
    shutil.copytree(tmp_path / "data", tmp_path / "stolen")
    software_tpm.stop()
    with pytest.raises(Tpm2Error):
        _tpm_sealer(tmp_path / "stolen")


def test_a_keyring_without_its_sealed_key_is_an_error_not_a_fresh_start(tmp_path, software_tpm):
    _tpm_sealer(tmp_path / "data")
    (tmp_path / "data" / "keys" / "machine.tpm2").unlink()
    with pytest.raises(MachineKeyError):
        _tpm_sealer(tmp_path / "data")


def test_rotation_keeps_working_with_the_tpm_custody(tmp_path, software_tpm):
    sealer = _tpm_sealer(tmp_path / "data")
    store = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}")
    with store.session() as session:
        session.add(
            Dossier(
                kiosk_reference="K-1",
                procedure_code="P",
                payload_sealed=sealer.seal(PAYLOAD, b"dossier:K-1"),
            )
        )
    report = rotate_data_key(sealer, store, tmp_path / "attachments")
    reopened = _tpm_sealer(tmp_path / "data")
    with store.session() as session:
        blob = session.query(Dossier).one().payload_sealed
    store.close()
    assert report.values == 1 and reopened.keyring.current.hex() == report.new_key_id
    assert reopened.open(blob, b"dossier:K-1") == PAYLOAD


def _toml(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n[security]\nmachine_key = "{kind}"\n',
        encoding="utf-8",
    )
    return path


def test_keys_status_says_the_key_is_in_the_tpm_and_not_beside_the_data(
    tmp_path, software_tpm, capsys
):
    assert main(["--config", str(_toml(tmp_path, "tpm2")), "keys", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["machine_key"] == "tpm2" and status["beside_data"] is False
    assert status["sealed_key_file"] == str(tmp_path / "data" / "keys" / "machine.tpm2")


def test_a_file_keyring_moved_to_the_tpm_opens_only_with_the_tpm(tmp_path, software_tpm, capsys):
    file_toml = _toml(tmp_path, "file")
    assert main(["--config", str(file_toml), "keys", "status"]) == 0
    sealer = Sealer(
        open_keyring(
            "file", tmp_path / "data" / "keys" / "machine.key", keyring_path(tmp_path / "data")
        )
    )
    blob = sealer.seal(PAYLOAD, b"dossier:K-1")
    assert main(["--config", str(file_toml), "keys", "move-to", "tpm2"]) == 0
    assert 'machine_key = "tpm2"' in capsys.readouterr().out
    assert not (tmp_path / "data" / "keys" / "machine.key").exists()
    assert _tpm_sealer(tmp_path / "data").open(blob, b"dossier:K-1") == PAYLOAD
