"""`[outbox] senders` sets how many dossiers the sync worker sends at once (1 to 8, default 3)."""

from __future__ import annotations

import threading
import time

import pytest

from kiosk.config import ConfigError, KioskConfig, OfficeConfig, OutboxConfig, parse_config
from kiosk.records.sync import SyncWorker
from kiosk.services.dossiers import open_dossier_feature
from tests.kiosk.portal.hostile_server import hostile_portal

from .conftest import add_dossiers
from .test_sync_hostile import hostile_client, stalls_on

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(("text", "senders"), [("", 3), ("senders = 1", 1), ("senders = 8", 8)])
def test_outbox_senders_are_read_from_kiosk_toml(text, senders):
    assert parse_config(f"[outbox]\n{text}\n").outbox.senders == senders


@pytest.mark.parametrize("value", ["0", "9", "2.5", '"3"'])
def test_outbox_senders_outside_one_to_eight_are_refused(value):
    with pytest.raises(ConfigError, match=r"\[outbox\]\.senders"):
        parse_config(f"[outbox]\nsenders = {value}\n")


def test_the_kiosk_sync_worker_sends_with_the_configured_number_of_senders(
    store, sealer, config, tmp_path
):
    feature = open_dossier_feature(
        store,
        sealer,
        client=None,  # type: ignore[arg-type]  # never called: nothing is due
        office=OfficeConfig(),
        outbox=OutboxConfig(senders=6, sync_interval_s=3600),
        security=KioskConfig().security,
        data_dir=config.data_dir,
    )
    try:
        assert feature.sync.parallel == 6
    finally:
        feature.close()


def test_one_sender_waits_out_a_stalled_dossier_before_the_next(store, sealer, outbox):
    stalled, *others = add_dossiers(store, sealer, outbox, 3)  # the stalled one is claimed first
    with (
        hostile_portal(stalls_on(stalled, "trickle")) as portal,
        hostile_client(portal.url, 1.0) as client,
    ):
        worker = SyncWorker(outbox, client, sealer, parallel=1)
        started = time.monotonic()
        seen_while_stalled: list[int] = []
        sender = threading.Thread(target=worker.run_once)
        sender.start()
        time.sleep(0.6)  # inside the stalled request's 1 s deadline
        seen_while_stalled.append(len(portal.accepted()))
        sender.join(timeout=20)
        elapsed = time.monotonic() - started
    assert seen_while_stalled == [0]
    assert sorted(portal.accepted()) == sorted(others) and elapsed >= 1.0
