"""`kiosk simulate` never touches production (docs/architecture.md §6): its own data folder and
database whatever `[storage] database_url` says, a refusal (exit 2, one line) for a store that
holds a kiosk's data, and the dossiers sent to `[portal] url` when one is configured."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.config import DevicesConfig, KioskConfig, PortalConfig, SecurityConfig, StorageConfig
from kiosk.local_portal.schema import list_received
from kiosk.local_portal.server import start_local_portal
from kiosk.ops.simulate import SIMULATION_MARK, kiosk_data_in, simulation_config
from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from kiosk.store import open_store
from kiosk.store.models import AuditEvent, KioskSession

pytestmark = pytest.mark.timeout(600)

DEMO = DevicesConfig(card_reader="simulator", camera="sample", printer="pdf:")


def kiosk(*args: str, config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_CONFIG=str(config))
    env.pop("KIOSK_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=280,
    )


def kiosk_store(folder: Path) -> str:
    """A kiosk's store with one recorded visit; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'kiosk.db'}"
    store = open_store(url)
    with store.session() as session:
        session.add(KioskSession(id="visit-1", journey="submit", outcome="completed"))
    store.close()
    return url


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_simulation_config_keeps_nothing_of_production_storage_but_the_portal(tmp_path):
    production = KioskConfig(
        storage=StorageConfig(data_dir="/var/lib/kiosk", database_url="postgresql://db/kiosk"),
        security=SecurityConfig(
            machine_key="tpm2", machine_key_file="/etc/kiosk/machine.tpm2", log_dir="/var/log/k"
        ),
        portal=PortalConfig(url="https://staging.example.vn"),
    )
    config = simulation_config(production, tmp_path, DEMO)
    assert config.database_url == f"sqlite:///{tmp_path / 'kiosk.db'}"
    assert config.security.machine_key == "file" and config.security.machine_key_file == ""
    assert (config.log_dir, config.trust_store) == (tmp_path / "logs", tmp_path / "trust")
    assert config.portal.url == "https://staging.example.vn" and config.devices == DEMO


def test_a_new_database_holds_no_kiosk_data(tmp_path):
    assert kiosk_data_in(f"sqlite:///{tmp_path / 'new.db'}") is None


def test_a_store_with_a_kiosk_visit_is_a_kiosks(tmp_path):
    assert kiosk_data_in(kiosk_store(tmp_path)) == "1 sessions"


def test_a_store_marked_as_a_simulations_is_not_a_kiosks(tmp_path):
    url = kiosk_store(tmp_path)
    store = open_store(url)
    with store.session() as session:
        session.add(
            AuditEvent(
                actor="kiosk:simulate", action=SIMULATION_MARK, detail="{}", prev_hash="", hash=""
            )
        )
    store.close()
    assert kiosk_data_in(url) is None


def test_simulate_refuses_a_data_dir_holding_a_kiosks_store_in_one_line(tmp_path):
    url = kiosk_store(tmp_path / "kiosk")
    before = digest(tmp_path / "kiosk" / "kiosk.db")
    config = tmp_path / "kiosk.toml"
    config.write_text("", encoding="utf-8")
    result = kiosk(
        "simulate", "--citizens", "1", "--data-dir", str(tmp_path / "kiosk"), config=config,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "holds a kiosk's store (1 sessions)" in line
    assert digest(tmp_path / "kiosk" / "kiosk.db") == before and kiosk_data_in(url)


@pytest.fixture(scope="module")
def simulated_against_a_configured_portal(tmp_path_factory):
    """`kiosk simulate --citizens 1 --seed 1` (its citizen submits a dossier at the kiosk) with a production
    kiosk.toml: its database, its key file and a portal (a local one standing in for staging)."""
    folder = tmp_path_factory.mktemp("production")
    url = kiosk_store(folder / "data")
    portal = start_local_portal(folder / "staging-portal.db")
    config = folder / "kiosk.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{folder / "data"}"\ndatabase_url = "{url}"\n'
        f'[security]\nmachine_key_file = "{folder / "keys" / "machine.key"}"\n'
        f'[portal]\nurl = "{portal.url}"\nclient_id = "{DEMO_CLIENT_ID}"\n'
        f'client_secret = "{DEMO_CLIENT_SECRET}"\n',
        encoding="utf-8",
    )
    before = digest(folder / "data" / "kiosk.db")
    try:
        result = kiosk("simulate", "--citizens", "1", "--seed", "1", "--json", config=config,
                       cwd=folder)  # fmt: skip
    finally:
        portal.stop()
    assert result.returncode == 0, result.stderr
    return folder, before, json.loads(result.stdout)


def test_simulate_leaves_the_configured_database_and_key_untouched(
    simulated_against_a_configured_portal,
):
    folder, before, _ = simulated_against_a_configured_portal
    assert digest(folder / "data" / "kiosk.db") == before
    assert not (folder / "keys").exists()
    store = open_store(f"sqlite:///{folder / 'data' / 'kiosk.db'}")
    with store.session() as session:
        assert session.scalar(select(func.count(AuditEvent.id))) == 0
    store.close()


def test_simulate_sends_its_dossiers_to_the_configured_portal(
    simulated_against_a_configured_portal,
):
    folder, _, summary = simulated_against_a_configured_portal
    submitted = summary["steps"].get("submit", {}).get("passed", 0)
    assert submitted >= 1, summary
    assert len(list_received(folder / "staging-portal.db")) == submitted
