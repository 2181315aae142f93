"""Key custody "fleet" (docs/fleet_link.md §4): `kiosk keys init` leaves the machine key at the
fleet service only; the kiosk gets it back at start; a copy of the data folder alone (or a revoked
kiosk) opens nothing."""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import KioskConfig
from kiosk.crypto import fleet_custody, open_sealer
from kiosk.crypto.errors import CryptoError
from kiosk.crypto.fleet_custody import FleetKeyUnavailable
from kiosk.crypto.sealer import keyring_path
from tests.kiosk.fleet_link.conftest import KIOSK_ID, kiosk_config
from tests.kiosk.fleet_link.fleet_double import RunningFleetDouble

FLEET_CUSTODY = '[security]\nmachine_key = "fleet"\n'


@pytest.fixture
def fleet_kiosk(tmp_path: Path, double: RunningFleetDouble) -> tuple[KioskConfig, Path]:
    token = double.fleet.enroll(KIOSK_ID)
    config = kiosk_config(tmp_path / "data", double.url, token, FLEET_CUSTODY)
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{config.data_dir}"\n[fleet]\nurl = "{double.url}"\n'
        f'kiosk_id = "{KIOSK_ID}"\ntoken = "{token}"\n' + FLEET_CUSTODY,
        encoding="utf-8",
    )
    return config, path


def test_keys_init_deposits_the_key_at_the_fleet_and_writes_only_the_keyring(
    fleet_kiosk: tuple[KioskConfig, Path], double: RunningFleetDouble
) -> None:
    config, path = fleet_kiosk
    assert main(["keys", "init", "--config", str(path)]) == 0
    secret = base64.b64decode(double.fleet.keys[KIOSK_ID])
    assert len(secret) == 32
    written = [p for p in config.data_dir.rglob("*") if p.is_file()]
    assert written == [keyring_path(config.data_dir)]
    for form in (secret, base64.b64encode(secret), secret.hex().encode()):
        assert form not in written[0].read_bytes()


def test_the_key_released_at_start_opens_what_was_sealed(
    fleet_kiosk: tuple[KioskConfig, Path],
) -> None:
    config, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    sealed = open_sealer(config.security, config.data_dir, config.fleet).seal(b"dossier", b"aad")
    reopened = open_sealer(config.security, config.data_dir, config.fleet)
    assert reopened.open(sealed, b"aad") == b"dossier"


def test_a_copy_of_the_data_folder_alone_opens_no_sealed_dossier(
    fleet_kiosk: tuple[KioskConfig, Path], double: RunningFleetDouble, tmp_path: Path
) -> None:
    config, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    sealed = open_sealer(config.security, config.data_dir, config.fleet).seal(b"dossier", b"aad")
    stolen = tmp_path / "stolen"
    shutil.copytree(config.data_dir, stolen)
    double.fleet.revoked.update(double.fleet.tokens)  # the province revokes the stolen kiosk
    with pytest.raises(FleetKeyUnavailable, match="refused this kiosk's token"):
        open_sealer(config.security, stolen, config.fleet)
    # …and no 32 bytes anywhere in the copy (raw, or base64-decoded) unwrap the keyring
    from kiosk.crypto.fleet_custody import FleetMachineKey
    from kiosk.crypto.keyring import Keyring

    for candidate in _key_candidates(stolen):
        with pytest.raises(CryptoError):
            Keyring.load(FleetMachineKey(candidate, stolen), keyring_path(stolen))
    assert sealed  # the dossier exists, sealed, and stays closed


def _key_candidates(folder: Path) -> set[bytes]:
    blobs = [p.read_bytes() for p in folder.rglob("*") if p.is_file()]
    for blob in list(blobs):
        for word in re.findall(rb"[A-Za-z0-9+/=]{40,}", blob):
            blobs.append(base64.b64decode(word + b"=" * (-len(word) % 4)))
    return {blob[i : i + 32] for blob in blobs for i in range(max(0, len(blob) - 31))}


def test_without_the_fleet_the_kiosk_does_not_start_and_says_why_in_one_line(
    fleet_kiosk: tuple[KioskConfig, Path],
    double: RunningFleetDouble,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    double.fleet.down = True
    capsys.readouterr()
    assert main(["keys", "status", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "answered 503" in err and "Traceback" not in err


def test_keys_status_says_fleet_and_the_url(
    fleet_kiosk: tuple[KioskConfig, Path],
    double: RunningFleetDouble,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    capsys.readouterr()
    assert main(["keys", "status", "--json", "--config", str(path)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["machine_key"] == "fleet"
    assert status["fleet_url"] == double.url
    assert status["beside_data"] is False


def test_a_second_init_is_refused_and_keeps_the_keyring(
    fleet_kiosk: tuple[KioskConfig, Path],
) -> None:
    config, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    before = keyring_path(config.data_dir).read_bytes()
    assert main(["keys", "init", "--config", str(path)]) == 2
    assert keyring_path(config.data_dir).read_bytes() == before


def test_a_fleet_that_holds_the_key_already_gives_it_back_to_an_interrupted_init(
    fleet_kiosk: tuple[KioskConfig, Path], double: RunningFleetDouble
) -> None:
    config, path = fleet_kiosk
    double.fleet.keys[KIOSK_ID] = base64.b64encode(bytes(32)).decode()
    assert main(["keys", "init", "--config", str(path)]) == 0
    assert open_sealer(config.security, config.data_dir, config.fleet).keyring.data_keys


def test_a_start_without_keys_init_asks_for_it(fleet_kiosk: tuple[KioskConfig, Path]) -> None:
    config, _ = fleet_kiosk
    with pytest.raises(CryptoError, match="kiosk keys init"):
        open_sealer(config.security, config.data_dir, config.fleet)


def test_a_fleet_that_never_answers_holds_the_start_no_longer_than_the_key_wait(
    fleet_kiosk: tuple[KioskConfig, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    from dataclasses import replace

    mute = replace(config.fleet, url=f"http://127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setattr(fleet_custody, "KEY_WAIT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(FleetKeyUnavailable, match="did not answer"):
        open_sealer(config.security, config.data_dir, mute)
    assert time.monotonic() - started < 2
    silent.close()


def test_machine_key_fleet_without_a_fleet_url_is_a_config_error() -> None:
    from kiosk.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match=r"needs \[fleet\] url"):
        parse_config(FLEET_CUSTODY)


def test_doctor_reports_the_fleet_custody_and_a_key_the_fleet_withholds(
    fleet_kiosk: tuple[KioskConfig, Path], double: RunningFleetDouble
) -> None:
    from kiosk.ops.doctor import DoctorContext, Status, check_keys

    config, path = fleet_kiosk
    main(["keys", "init", "--config", str(path)])
    held = check_keys(DoctorContext(config))
    assert held.status is Status.OK and "fleet machine key" in held.detail
    double.fleet.revoked.update(double.fleet.tokens)
    withheld = check_keys(DoctorContext(config))
    assert withheld.status is Status.FAIL and "token" in withheld.detail


def test_moving_a_file_key_to_the_fleet_destroys_the_key_file(
    tmp_path: Path, double: RunningFleetDouble
) -> None:
    token = double.fleet.enroll(KIOSK_ID)
    file_config = kiosk_config(tmp_path / "data", double.url, token)
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{file_config.data_dir}"\n[fleet]\nurl = "{double.url}"\n'
        f'kiosk_id = "{KIOSK_ID}"\ntoken = "{token}"\n',
        encoding="utf-8",
    )
    sealed = open_sealer(file_config.security, file_config.data_dir).seal(b"dossier", b"aad")
    assert main(["keys", "move-to", "fleet", "--config", str(path)]) == 0
    assert not (file_config.data_dir / "keys" / "machine.key").exists()
    fleet_config = kiosk_config(tmp_path / "data", double.url, token, FLEET_CUSTODY)
    reopened = open_sealer(fleet_config.security, fleet_config.data_dir, fleet_config.fleet)
    assert reopened.open(sealed, b"aad") == b"dossier"
