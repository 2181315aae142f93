"""`kiosk fleet admin --db URL …` and `kiosk fleet-serve`: the contracts of issue 15, through the
real command line, on PostgreSQL (docs/fleet.md §3, §4, §8)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kiosk.cli import main
from tests.support.postgres import free_port

ROOT = Path(__file__).parents[3]
CATALOGUE = ROOT / "kiosk" / "domain" / "data" / "procedures.json"
MASTER_LIST = ROOT / "tests" / "kiosk" / "records" / "world" / "DE_ML_2025-08-14-07-41-09.ml"


def kiosk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def admin(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main(["fleet", "admin", "--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_enroll_json_prints_exactly_the_kiosk_id_and_its_token(postgres_url):
    result = kiosk(
        "fleet",
        "admin",
        "--db",
        postgres_url,
        "enroll",
        "--kiosk-id",
        "K1",
        "--office",
        "UBND xã Tân Phú",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {"kiosk_id", "token"} and printed["kiosk_id"] == "K1"
    assert len(printed["token"]) >= 40


def test_status_json_has_every_kiosk_with_the_contracts_keys(postgres_url):
    kiosk("fleet", "admin", "--db", postgres_url, "enroll", "--kiosk-id", "K1", "--office", "Xã A")
    result = kiosk("fleet", "admin", "--db", postgres_url, "status", "--json")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)["kiosks"]
    assert entry | {"devices": {}} == entry  # devices is an object
    assert {
        k: entry[k] for k in ("kiosk_id", "office", "last_seen", "online", "outbox", "today")
    } == {
        "kiosk_id": "K1",
        "office": "Xã A",
        "last_seen": None,
        "online": False,
        "outbox": {"unsent": 0, "oldest_unsent_s": 0},
        "today": {"visits": 0},
    }


def test_a_second_enroll_of_the_same_kiosk_needs_replace(capsys, postgres_url):
    admin(capsys, postgres_url, "enroll", "--kiosk-id", "K1", "--json")
    code, _, err = admin(capsys, postgres_url, "enroll", "--kiosk-id", "K1", "--json")
    assert code == 2 and "--replace" in err and len(err.strip().splitlines()) == 1
    code, out, _ = admin(capsys, postgres_url, "enroll", "--kiosk-id", "K1", "--replace", "--json")
    assert code == 0 and json.loads(out)["kiosk_id"] == "K1"


def test_revoking_an_unknown_kiosk_is_one_line_and_exit_2(capsys, postgres_url):
    code, _, err = admin(capsys, postgres_url, "revoke", "--kiosk-id", "nobody")
    assert (code, len(err.strip().splitlines())) == (2, 1)


def test_an_unreachable_database_is_one_line_and_exit_2(capsys):
    url = f"postgresql+psycopg://fleet@127.0.0.1:{free_port()}/fleet"
    code, _, err = admin(capsys, url, "status")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("kiosk: fleet database: the database does not answer")


def test_a_url_that_is_no_url_is_one_line_and_exit_2(capsys):
    code, _, err = admin(capsys, "not a url", "status")
    assert code == 2 and "not a URL" in err


def test_a_database_without_its_driver_is_one_line_naming_the_driver(capsys):
    code, _, err = admin(capsys, "mysql://fleet@127.0.0.1/fleet", "status")
    assert code == 2 and "driver" in err and len(err.strip().splitlines()) == 1


def test_a_plain_postgresql_url_uses_psycopg_3(capsys, postgres_url):
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    code, out, _ = admin(capsys, plain, "enroll", "--kiosk-id", "K1", "--json")
    assert code == 0 and json.loads(out)["kiosk_id"] == "K1"


def test_push_catalogue_signs_a_valid_catalogue(capsys, postgres_url):
    code, out, _ = admin(capsys, postgres_url, "push-catalogue", str(CATALOGUE), "--json")
    assert code == 0
    import hashlib

    assert json.loads(out)["sha256"] == hashlib.sha256(CATALOGUE.read_bytes()).hexdigest()


def test_push_catalogue_refuses_a_file_the_kiosks_parser_refuses(capsys, postgres_url, tmp_path):
    broken = tmp_path / "procedures.json"
    broken.write_text(json.dumps({"format": 1, "version": "x", "procedures": []}))
    code, _, err = admin(capsys, postgres_url, "push-catalogue", str(broken))
    assert code == 2 and "not a procedure catalogue" in err


def test_push_trust_accepts_a_real_csca_master_list(capsys, postgres_url):
    code, out, _ = admin(capsys, postgres_url, "push-trust", str(MASTER_LIST), "--json")
    assert code == 0 and json.loads(out)["kind"] == "trust"


def test_push_trust_refuses_a_file_that_is_no_certificate(capsys, postgres_url):
    code, _, err = admin(capsys, postgres_url, "push-trust", str(CATALOGUE))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_push_of_a_missing_file_is_one_line_and_exit_2(capsys, postgres_url, tmp_path):
    code, _, err = admin(capsys, postgres_url, "push-trust", str(tmp_path / "none.pem"))
    assert code == 2 and "none.pem" in err


def test_update_key_prints_the_raw_ed25519_public_key_in_base64(capsys, postgres_url):
    code, out, _ = admin(capsys, postgres_url, "update-key")
    assert code == 0 and len(base64.b64decode(out.strip(), validate=True)) == 32
    assert admin(capsys, postgres_url, "update-key")[1] == out


def test_an_access_token_opens_the_dashboard_api(capsys, postgres_url, clock):
    from kiosk.fleet_server.db import open_fleet_db
    from kiosk.fleet_server.serve import BackgroundServer

    code, out, _ = admin(capsys, postgres_url, "access-token", "--label", "Sở", "--json")
    token = json.loads(out)["token"]
    db = open_fleet_db(postgres_url)
    with BackgroundServer(db, clock) as server:
        answer = httpx.get(
            f"{server.url}/api/v1/fleet/status", headers={"Authorization": f"Bearer {token}"}
        )
    db.close()
    assert (code, answer.status_code) == (0, 200)


def test_fleet_serve_serves_the_api_on_the_given_port(postgres_url):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "fleet-serve", "--db", postgres_url, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 30
        while answer is None and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None and answer.json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_fleet_serve_on_a_busy_port_is_one_line_and_exit_2(postgres_url):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = kiosk("fleet-serve", "--db", postgres_url, "--port", str(port))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["fleet", "admin", "--db", "sqlite://"], ["fleet"]])
def test_a_fleet_command_without_an_action_says_so(capsys, args):
    assert main(args) == 2
