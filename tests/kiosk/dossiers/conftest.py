from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.config import KioskConfig, OutboxConfig, StorageConfig
from kiosk.crypto import open_sealer
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import Attachment
from kiosk.local_portal.server import start_local_portal
from kiosk.portal.client import PortalClient, RetryPolicy
from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from kiosk.records.dossier_record import DossierInput, write_dossier
from kiosk.records.outbox import Outbox
from kiosk.records.sync import SyncWorker
from kiosk.store import open_store

FAST_RETRY = {"retry_base": timedelta(milliseconds=5), "retry_cap": timedelta(milliseconds=50)}


def citizen(number: str = "001095012345", name: str = "Nguyễn Văn An") -> CitizenIdentity:
    return CitizenIdentity(
        id_number=number,
        full_name=name,
        date_of_birth=date(1995, 3, 17),
        sex="Nam",
        place_of_residence="Thôn 1, Xã A, Huyện B, Tỉnh C",
    )


@pytest.fixture
def config(tmp_path, store_url):
    return KioskConfig(
        storage=StorageConfig(data_dir=str(tmp_path / "kiosk"), database_url=store_url)
    )


@pytest.fixture
def sealer(config):
    return open_sealer(config.security, config.data_dir)


@pytest.fixture
def store(config):
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    yield store
    store.close()


@pytest.fixture
def outbox(store):
    return Outbox(store, OutboxConfig(), **FAST_RETRY)


def add_dossiers(store, sealer, outbox, count, procedure="residence_confirmation", who=None):
    """Commit `count` dossiers straight to the store (as the dossier service would)."""
    references = []
    for i in range(count):
        with store.session() as session:
            row = write_dossier(
                session,
                sealer,
                outbox,
                who or citizen(),
                DossierInput(
                    procedure_code=procedure,
                    unit_code="000.00.12.H56",
                    values={"purpose": f"thử {i}"},
                    attachments=[Attachment("Giấy tờ", "image/jpeg", os.urandom(64))],
                    received_at=datetime.now(UTC),
                    due_at=None,
                    fee_vnd=0,
                ),
            )
            references.append(row.kiosk_reference)
    return references


@pytest.fixture
def portal(tmp_path):
    local = start_local_portal(tmp_path / "portal.db", seed=11)
    yield local
    local.stop()


def make_client(url: str) -> PortalClient:
    return PortalClient(
        url,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        timeout_s=5,
        retry=RetryPolicy(attempts=3, base_s=0.01, cap_s=0.05),
    )


@pytest.fixture
def client(portal):
    c = make_client(portal.url)
    yield c
    c.close()


@pytest.fixture
def worker(outbox, client, sealer):
    sync = SyncWorker(outbox, client, sealer, interval_s=0.05)
    yield sync
    sync.stop()


def soft_limits(outbox: Outbox, **limits) -> Outbox:
    return Outbox(outbox.store, replace(OutboxConfig(), **limits), **FAST_RETRY)
