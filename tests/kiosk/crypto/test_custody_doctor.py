"""Key custody as `kiosk doctor` and `kiosk keys status` report it: a plain key file on the data
disk is a warning in production (with the remedy), not in demo mode."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.crypto import open_sealer
from kiosk.ops.doctor import KEY_CUSTODY_REMEDY, DoctorContext, Status, check_keys


def _config(tmp_path: Path, portal: str):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n[portal]\nurl = "{portal}"\n'
        '[devices]\ncard_reader = "pcsc"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    open_sealer(config.security, config.data_dir)  # a kiosk that has started once
    return path, config


def test_a_key_file_beside_the_data_is_a_warning_in_production(tmp_path):
    _, config = _config(tmp_path, "https://dvc.example.gov.vn")
    result = check_keys(DoctorContext(config))
    assert result.status is Status.WARN and result.remedy == KEY_CUSTODY_REMEDY
    assert "copy of the disk" in result.detail


def test_a_key_file_is_ok_in_demo_mode(tmp_path):
    _, config = _config(tmp_path, "")
    assert check_keys(DoctorContext(config)).status is Status.OK


def test_keys_status_says_a_key_file_lies_beside_the_data(tmp_path, capsys):
    path, config = _config(tmp_path, "https://dvc.example.gov.vn")
    assert main(["--config", str(path), "keys", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["machine_key"] == "file" and status["beside_data"] is True
    assert status["machine_key_file"] == str(config.data_dir / "keys" / "machine.key")
