"""A kiosk (store, keys, audit log) in a temporary folder, linked to the fleet test double."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import KioskConfig, parse_config
from kiosk.crypto import open_sealer
from kiosk.fleet_link.client import FleetClient
from kiosk.fleet_link.link import FleetLink, open_fleet_link
from kiosk.records.audit_anchor import open_audit_log
from kiosk.store import open_store
from tests.kiosk.fleet_link.fleet_double import RunningFleetDouble

KIOSK_ID = "K1"


@pytest.fixture
def double() -> Iterator[RunningFleetDouble]:
    running = RunningFleetDouble()
    yield running
    running.stop()


def kiosk_config(
    data_dir: Path, url: str, token: str, extra: str = "", database_url: str = ""
) -> KioskConfig:
    return parse_config(
        f'[storage]\ndata_dir = "{data_dir}"\ndatabase_url = "{database_url}"\n'
        f'[fleet]\nurl = "{url}"\nkiosk_id = "{KIOSK_ID}"\ntoken = "{token}"\ninterval_s = 60\n'
        + extra,
        "test kiosk.toml",
    )


@pytest.fixture
def config(tmp_path: Path, double: RunningFleetDouble, store_url: str) -> KioskConfig:
    return kiosk_config(
        tmp_path / "data", double.url, double.fleet.enroll(KIOSK_ID), database_url=store_url
    )


@pytest.fixture
def kiosk(config: KioskConfig) -> Iterator[dict[str, Any]]:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    sealer = open_sealer(config.security, config.data_dir, config.fleet)
    audit = open_audit_log(config.data_dir, store, sealer)
    yield {"config": config, "store": store, "sealer": sealer, "audit": audit}
    store.close()


@pytest.fixture
def link(kiosk: dict[str, Any]) -> Iterator[FleetLink]:
    config = kiosk["config"]
    made = open_fleet_link(
        config,
        kiosk["store"],
        kiosk["audit"],
        kiosk["sealer"],
        FleetClient(config.fleet.url, config.fleet.token, deadline_s=5),
    )
    yield made
    made.stop()
