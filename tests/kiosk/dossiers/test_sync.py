"""The sync worker and a real local portal: exactly once, through faults, restarts, outages."""

from __future__ import annotations

import time

from sqlalchemy import update

from kiosk.local_portal.server import start_local_portal
from kiosk.records.outbox import Outbox
from kiosk.records.sync import DAMAGED_TEXT, SyncWorker
from kiosk.store.models import Dossier

from .conftest import FAST_RETRY, add_dossiers, make_client


def drain(worker: SyncWorker, outbox: Outbox, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        worker.run_once()
        counts = outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return
        time.sleep(0.01)
    raise AssertionError(f"outbox not drained: {outbox.counts()}")


def test_sent_dossiers_get_the_portals_code(store, sealer, outbox, portal, worker):
    [reference] = add_dossiers(store, sealer, outbox, 1)
    report = worker.run_once()
    state, code, _ = outbox.state_of(reference)
    assert report.accepted == 1 and state == "accepted"
    assert code == portal.received()[0].portal_code


def test_faulty_portal_gets_every_dossier_exactly_once(store, sealer, outbox, tmp_path):
    # The exactly-once proof in small: error rate 0.3, drop rate 0.1 (bench/sync.py runs 1,000).
    portal = start_local_portal(tmp_path / "faulty.db", error_rate=0.3, drop_rate=0.1, seed=5)
    client = make_client(portal.url)
    references = add_dossiers(store, sealer, outbox, 60)
    worker = SyncWorker(outbox, client, sealer, threads=3, interval_s=0.02).start()
    try:
        deadline = time.monotonic() + 60
        while outbox.counts()["accepted"] < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
            outbox.wake_all()
            worker.wake()
    finally:
        worker.stop()
        client.close()
    received = portal.received()
    portal.stop()
    assert sorted(r.kiosk_reference for r in received) == sorted(references)  # none lost
    assert len({r.portal_code for r in received}) == len(received) == 60  # none twice


def test_portal_down_keeps_dossiers_safe_and_back_up_delivers_them(store, sealer, outbox, tmp_path):
    portal = start_local_portal(tmp_path / "p.db")
    port = portal.port
    portal.stop()  # down for the whole first run
    client = make_client(f"http://127.0.0.1:{port}")
    worker = SyncWorker(outbox, client, sealer)
    references = add_dossiers(store, sealer, outbox, 5)
    report = worker.run_once()
    assert report.deferred == 5 and outbox.counts()["pending"] == 5
    assert all("cannot connect" in row.last_error for row in outbox.entries())
    back = start_local_portal(tmp_path / "p.db", port=port)
    try:
        outbox.wake_all()
        drain(worker, outbox)
        assert sorted(r.kiosk_reference for r in back.received()) == sorted(references)
    finally:
        client.close()
        back.stop()


def test_a_refused_dossier_is_rejected_with_the_portals_reason(store, sealer, outbox, worker):
    [reference] = add_dossiers(store, sealer, outbox, 1, procedure="moon_landing")
    worker.run_once()
    state, code, reason = outbox.state_of(reference)
    assert (state, code) == ("rejected", None) and "thủ tục" in reason


def test_a_damaged_dossier_needs_staff_and_the_others_still_go(store, sealer, outbox, worker):
    damaged, healthy = add_dossiers(store, sealer, outbox, 2)
    with store.session() as session:
        session.execute(
            update(Dossier)
            .where(Dossier.kiosk_reference == damaged)
            .values(payload_sealed=b"garbage")
        )
    worker.run_once()
    assert outbox.state_of(damaged) == ("needs_staff", None, DAMAGED_TEXT)
    assert outbox.state_of(healthy)[0] == "accepted"


def test_a_send_interrupted_after_the_portal_processed_it_is_not_duplicated(
    store, sealer, outbox, portal, client, worker
):
    [reference] = add_dossiers(store, sealer, outbox, 1)
    claim = outbox.claim()  # sending… then the kiosk dies right after the portal answered
    from kiosk.records.dossier_record import submission_for

    with store.session() as session:
        first = client.submit_dossier(submission_for(session, sealer, claim.dossier_id),
                                      claim.idempotency_key)  # fmt: skip
    restarted = SyncWorker(outbox, client, sealer)
    restarted.run_once()  # recovers the entry and sends it again with the same key
    assert outbox.state_of(reference)[:2] == ("accepted", first.portal_code)
    assert len(portal.received()) == 1


def test_wrong_credentials_defer_the_dossiers_and_alert_staff(store, sealer, outbox, portal):
    from kiosk.portal.client import PortalClient

    add_dossiers(store, sealer, outbox, 1)
    with PortalClient(portal.url, client_id="kiosk-demo", client_secret="wrong") as bad:
        worker = SyncWorker(outbox, bad, sealer)
        report = worker.run_once()
    assert report.deferred == 1 and outbox.counts()["pending"] == 1
    assert "client_secret" in worker.health


def test_the_background_worker_sends_a_dossier_when_woken(store, sealer, outbox, portal, worker):
    worker.interval_s = 30  # only a wake-up can make it look before the test ends
    worker.start()
    time.sleep(0.1)
    [reference] = add_dossiers(store, sealer, outbox, 1)
    worker.wake()
    state, code, _ = worker.wait_for(reference, 10)
    assert state == "accepted" and code


def test_outbox_retry_schedule_backs_off(store, sealer):
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    outbox = Outbox(store, clock=lambda: now, **FAST_RETRY)
    add_dossiers(store, sealer, outbox, 1)
    waits = []
    for _ in range(4):
        claim = outbox.claim()
        waits.append(outbox.retry_later(claim, "down") - now)
        outbox.wake_all()
    assert waits[0] <= timedelta(milliseconds=5) and waits[3] > timedelta(milliseconds=5)
