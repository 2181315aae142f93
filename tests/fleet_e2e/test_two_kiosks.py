"""End to end (docs/fleet.md §10): one fleet service (`kiosk fleet-serve` under uvicorn, its own
process) on a real PostgreSQL, and two kiosks that are real `kiosk` processes with their own data
folders and configs. Each kiosk serves two simulated citizens (`kiosk simulate`, which sends its
queue at the end); then a help request, a catalogue push, and an audit log rewritten with the
kiosk's own keys go through the real processes, checked with the contract commands
(`kiosk fleet admin status --json`, `kiosk catalogue list --json`)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.domain.catalogue import BUILTIN_CATALOGUE
from tests.support.postgres import PostgresCluster, free_port

ROOT = Path(__file__).parents[2]
KIOSK_PROCESS = Path(__file__).with_name("kiosk_process.py")
OFFICES = {"K-A": "UBND xã Tân Phú", "K-B": "UBND phường Hòa Bình"}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("KIOSK_CONFIG", None)
    return env


def kiosk_cli(*args: str, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=timeout_s,
    )
    assert done.returncode == 0, f"kiosk {' '.join(args)}: {done.stdout}{done.stderr}"
    return done


@dataclass
class Kiosk:
    kiosk_id: str
    data_dir: Path
    config: Path

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return kiosk_cli(*args, "--config", str(self.config))

    def send(self) -> dict[str, Any]:
        return json.loads(self.cli("fleet", "send", "--json").stdout)

    def catalogue_sha256(self) -> str:
        return str(json.loads(self.cli("catalogue", "list", "--json").stdout)["sha256"])


@dataclass
class Province:
    db: str
    url: str
    kiosks: dict[str, Kiosk]

    def admin(self, *args: str) -> str:
        return kiosk_cli("fleet", "admin", "--db", self.db, *args).stdout

    def status(self) -> dict[str, Any]:
        return json.loads(self.admin("status", "--json"))


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert server.poll() is None, "kiosk fleet-serve exited"
        try:
            if httpx.get(url + "/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("kiosk fleet-serve did not answer /api/v1/health")


@pytest.fixture(scope="module")
def province(
    postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Province]:
    db = postgres_cluster.create_database()
    folder = tmp_path_factory.mktemp("province")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (folder / "fleet-serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "fleet-serve", "--db", db, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_env(),
        cwd=ROOT,
    )
    try:
        _wait_healthy(url, server)
        kiosks = {}
        for kiosk_id, office in OFFICES.items():
            enrolled = json.loads(
                kiosk_cli(
                    "fleet",
                    "admin",
                    "--db",
                    db,
                    "enroll",
                    "--kiosk-id",
                    kiosk_id,
                    "--office",
                    office,
                    "--json",
                ).stdout
            )
            data_dir = folder / kiosk_id
            config = folder / f"{kiosk_id}.toml"
            config.write_text(
                f'[storage]\ndata_dir = "{data_dir}"\n[office]\nname = "{office}"\n'
                f'[fleet]\nurl = "{url}"\nkiosk_id = "{kiosk_id}"\n'
                f'token = "{enrolled["token"]}"\ninterval_s = 60\n',
                encoding="utf-8",
            )
            kiosks[kiosk_id] = Kiosk(kiosk_id, data_dir, config)
        # Both kiosks serve their citizens at once, as two offices do.
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kiosk",
                    "simulate",
                    "--citizens",
                    "2",
                    "--data-dir",
                    str(k.data_dir),
                    "--config",
                    str(k.config),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=_env(),
                cwd=ROOT,
            )
            for k in kiosks.values()
        ]
        for run in runs:
            output, _ = run.communicate(timeout=300)
            assert run.returncode == 0, output.decode(errors="replace")
        yield Province(db, url, kiosks)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        postgres_cluster.drop_database(db)


def test_heartbeats_from_both_kiosks_arrive_with_their_visits(province):
    kiosks = {k["kiosk_id"]: k for k in province.status()["kiosks"]}
    assert sorted(kiosks) == ["K-A", "K-B"]
    for kiosk_id, office in OFFICES.items():
        assert kiosks[kiosk_id]["online"] is True
        assert kiosks[kiosk_id]["office"] == office
        assert kiosks[kiosk_id]["today"]["visits"] == 2
        assert kiosks[kiosk_id]["outbox"] == {"unsent": 0, "oldest_unsent_s": 0}


def test_a_help_request_acknowledged_on_the_console_reaches_the_kiosk(province):
    kiosk = province.kiosks["K-A"]
    access = json.loads(
        province.admin("access-token", "--office", OFFICES["K-A"], "--label", "e2e", "--json")
    )["token"]
    process = subprocess.Popen(
        [sys.executable, str(KIOSK_PROCESS), "help", str(kiosk.config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        help_id = json.loads(process.stdout.readline())["help_id"]
        console = httpx.Client(
            base_url=province.url, headers={"Authorization": f"Bearer {access}"}, timeout=10
        )
        deadline = time.monotonic() + 30
        while help_id not in {
            r["help_id"] for r in console.get("/api/v1/console/requests").json()["requests"]
        }:
            assert time.monotonic() < deadline, "the help request never reached the console"
            time.sleep(0.2)
        answer = console.post(
            f"/api/v1/help/{help_id}/ack", json={"state": "coming", "by": "Chị Lan"}
        )
        assert answer.status_code == 200
        reached = json.loads(process.stdout.readline())
        assert process.wait(timeout=30) == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
    assert reached == {"state": "coming", "by": "Chị Lan"}


def test_a_pushed_catalogue_is_applied_on_both_kiosks(province, tmp_path):
    catalogue = json.loads(BUILTIN_CATALOGUE.read_bytes())
    catalogue["version"] = "2026.12-e2e"
    pushed = tmp_path / "procedures.json"
    pushed.write_text(json.dumps(catalogue, ensure_ascii=False, indent=1), encoding="utf-8")
    province.admin("push-catalogue", str(pushed))
    expected = hashlib.sha256(pushed.read_bytes()).hexdigest()
    for kiosk in province.kiosks.values():
        assert kiosk.catalogue_sha256() != expected
        applied = [u for u in kiosk.send()["updates"] if u["applied"]]
        assert [u["kind"] for u in applied] == ["catalogue"]
        assert kiosk.catalogue_sha256() == expected


def test_an_audit_log_rewritten_with_the_kiosks_own_keys_is_an_alert(province):
    kiosk = province.kiosks["K-B"]
    kiosk.send()  # the fleet holds this kiosk's newest anchor
    rewrite = subprocess.run(
        [sys.executable, str(KIOSK_PROCESS), "rewrite-audit", str(kiosk.config)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert json.loads(rewrite.stdout)["verifies_locally"] is True  # locally nothing shows
    kiosk.send()
    alerts = [(a["kind"], a["kiosk_id"]) for a in province.status()["alerts"]]
    assert ("anchor_mismatch", "K-B") in alerts
    assert ("anchor_mismatch", "K-A") not in alerts
