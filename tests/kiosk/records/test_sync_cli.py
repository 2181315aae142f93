"""`kiosk portal-serve --list`, `kiosk sync --once`, `kiosk outbox --json`: the CLI contracts."""

from __future__ import annotations

import json

import pytest

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.crypto import open_sealer
from kiosk.local_portal.server import start_local_portal
from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from kiosk.records.outbox import Outbox
from kiosk.store import open_store
from tests.kiosk.dossiers.conftest import add_dossiers


@pytest.fixture
def portal(tmp_path):
    local = start_local_portal(tmp_path / "portal.db")
    yield local
    local.stop()


@pytest.fixture
def kiosk_toml(tmp_path, portal, store_url):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "kiosk"}"\ndatabase_url = "{store_url}"\n'
        f'[portal]\nurl = "{portal.url}"\nclient_id = "{DEMO_CLIENT_ID}"\n'
        f'client_secret = "{DEMO_CLIENT_SECRET}"\n',
        encoding="utf-8",
    )
    return path


def queue(kiosk_toml, count):
    config = load_config(kiosk_toml)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    try:
        sealer = open_sealer(config.security, config.data_dir)
        return add_dossiers(store, sealer, Outbox(store), count)
    finally:
        store.close()


def test_portal_serve_list_json_has_exactly_code_key_and_time(tmp_path, portal, kiosk_toml, capsys):
    queue(kiosk_toml, 2)
    assert main(["sync", "--once", "--config", str(kiosk_toml)]) == 0
    capsys.readouterr()
    assert main(["portal-serve", "--list", "--db", str(tmp_path / "portal.db"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2
    assert all(set(row) == {"portal_code", "idempotency_key", "received_at"} for row in rows)


def test_portal_serve_refuses_a_rate_above_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["portal-serve", "--port", "0", "--db", str(tmp_path / "p.db"), "--drop-rate", "1.5"])
    assert caught.value.code == 2


def test_portal_serve_list_of_a_missing_database_is_one_line_exit_2(tmp_path, capsys):
    assert main(["portal-serve", "--list", "--db", str(tmp_path / "none.db")]) == 2
    assert "no local portal database" in capsys.readouterr().err


def test_sync_once_sends_the_outbox_and_reports_json(kiosk_toml, capsys):
    queue(kiosk_toml, 3)
    assert main(["sync", "--once", "--json", "--config", str(kiosk_toml)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["accepted"] == 3 and summary["outbox"]["accepted"] == 3


def test_outbox_json_lists_entries_with_states_and_no_full_id(kiosk_toml, capsys):
    queue(kiosk_toml, 1)
    assert main(["outbox", "--json", "--config", str(kiosk_toml)]) == 0
    out = capsys.readouterr().out
    document = json.loads(out)
    assert document["entries"][0]["state"] == "pending"
    assert document["counts"]["pending"] == 1 and "001095012345" not in out


def test_outbox_refuses_an_unknown_state(kiosk_toml, capsys):
    assert main(["outbox", "--state", "lost", "--config", str(kiosk_toml)]) == 2
