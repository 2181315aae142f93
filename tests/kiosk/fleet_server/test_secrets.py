"""The fleet database's secrets sealed at rest (docs/fleet.md §8): a copy of the database alone
releases no kiosk's data key and cannot sign an update; the secrets key lives apart from it."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.cli import main
from kiosk.crypto.signed_update import verify_update
from kiosk.fleet_server.admin import enroll, hold_data_key, release_data_key
from kiosk.fleet_server.db import FleetDb, open_fleet_db
from kiosk.fleet_server.secrets import SEALED, load_secrets
from kiosk.fleet_server.updates import (
    push_update,
    update_document,
    update_public_key,
    update_signing_key,
)
from tests.kiosk.fleet_server.conftest import START

KEY = bytes(range(32))
KEY_B64 = base64.b64encode(KEY).decode()


@pytest.fixture(params=["postgresql", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'fleet.db'}"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "secrets" / "fleet-secrets.key"


@pytest.fixture
def sealed_db(url: str, key_file: Path) -> Iterator[FleetDb]:
    db = open_fleet_db(url, secrets=load_secrets(str(key_file)))
    enroll(db, "K1", "UBND xã Tân Phú", START)
    hold_data_key(db, "K1", KEY_B64)
    update_signing_key(db)
    yield db
    db.close()


def _stored(db: FleetDb) -> tuple[bytes, bytes]:
    """The data key and signing key as a copy of the database holds them."""
    with db.engine.connect() as connection:
        data_key = connection.execute(
            text("SELECT data_key FROM fleet_kiosks WHERE kiosk_id = 'K1'")
        ).scalar_one()
        signing = connection.execute(text("SELECT private_raw FROM fleet_server_keys")).scalar_one()
    return bytes(data_key), bytes(signing)


def _admin(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["fleet", "admin", "--db", url, *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def test_a_copy_of_the_database_holds_neither_the_data_key_nor_the_signing_key(sealed_db):
    data_key, signing = _stored(sealed_db)
    raw_signing = update_signing_key(sealed_db).private_bytes_raw()
    assert data_key.startswith(SEALED) and KEY not in data_key
    assert signing.startswith(SEALED) and raw_signing not in signing
    assert release_data_key(sealed_db, "K1") == KEY_B64  # with the key, the service works
    assert os.stat(sealed_db.secrets.where).st_mode & 0o077 == 0  # the key file is the owner's


def test_updates_signed_with_the_sealed_key_verify_with_the_pinned_public_key(sealed_db):
    pinned = update_public_key(sealed_db)["public_key"]
    pushed = push_update(sealed_db, "catalogue", b'{"version": "x"}', START)
    document = update_document(sealed_db, "catalogue", pushed["sha256"])
    assert verify_update(document, pinned, "catalogue").payload == b'{"version": "x"}'


def test_without_the_secrets_key_every_command_refuses_in_one_line(sealed_db, url, capsys):
    code, out, err = _admin(capsys, url, "status", "--json")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--secrets-key" in err


def test_another_secrets_key_is_refused_in_one_line(sealed_db, url, capsys, tmp_path):
    code, _, err = _admin(capsys, url, "--secrets-key", str(tmp_path / "other.key"), "status")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "does not open" in err


def test_secrets_kept_plain_before_are_sealed_once_a_key_is_given(url, key_file, capsys):
    plain = open_fleet_db(url)
    enroll(plain, "K1", "UBND xã Tân Phú", START)
    hold_data_key(plain, "K1", KEY_B64)
    public = update_public_key(plain)
    assert KEY in _stored(plain)[0]  # no key given: kept as it came
    code, out, err = _admin(capsys, url, "--secrets-key", str(key_file), "update-key", "--json")
    assert code == 0 and "sealed 2 secrets" in err and public["public_key"] in out
    data_key, signing = _stored(plain)
    assert data_key.startswith(SEALED) and signing.startswith(SEALED) and KEY not in data_key
    plain.close()
    db = open_fleet_db(url, secrets=load_secrets(str(key_file)))
    try:
        assert release_data_key(db, "K1") == KEY_B64
        assert update_public_key(db) == public  # the kiosks' pinned key stays the same
    finally:
        db.close()


def test_fleet_serve_with_another_key_stops_before_serving_in_one_line(sealed_db, url, tmp_path):
    import subprocess
    import sys

    root = Path(__file__).parents[3]
    other = tmp_path / "other.key"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "fleet-serve", "--db", url, "--secrets-key", str(other)],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(root)),
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "does not open" in result.stderr
