"""The sync worker against a hostile portal on loopback: a stalled or oversized answer ends by the
request's deadline or size cap, the entry goes back to `pending` with back-off, and the other
dossiers are still sent meanwhile."""

from __future__ import annotations

import threading
import time

from kiosk.portal.client import PortalClient, RetryPolicy
from kiosk.records.outbox import Outbox
from kiosk.records.sync import SyncReport, SyncWorker
from tests.kiosk.portal.hostile_server import hostile_portal, stalled_port

from .conftest import add_dossiers

MiB = 1 << 20


def hostile_client(url: str, deadline_s: float) -> PortalClient:
    # read timeout (2 s) longer than a trickle's pause (0.5 s): only the deadline ends a trickle
    return PortalClient(
        url,
        timeout_s=2.0,
        deadline_s=deadline_s,
        max_response_bytes=64 * 1024,
        retry=RetryPolicy(attempts=2, base_s=0.01, cap_s=0.02),
    )


def stalls_on(bad: str, how: str):
    return lambda path, body: how if bad.encode() in body else "ok"


def entry(outbox: Outbox, reference: str):
    return next(row for row in outbox.entries() if row.kiosk_reference == reference)


def test_an_entry_whose_answer_trickles_returns_to_pending_with_backoff(store, sealer, outbox):
    [reference] = add_dossiers(store, sealer, outbox, 1)
    with hostile_portal("trickle") as portal, hostile_client(portal.url, 1.5) as client:
        worker = SyncWorker(outbox, client, sealer)
        started = time.monotonic()
        report = worker.run_once()
        elapsed = time.monotonic() - started
    row = entry(outbox, reference)
    assert report.deferred == 1 and elapsed < 2.5
    assert (row.state, row.attempts) == ("pending", 1) and "deadline_s" in row.last_error
    assert row.next_attempt_at > row.updated_at  # backed off, not due at once
    assert outbox.counts()["sending"] == 0


def test_a_stalled_entry_does_not_hold_back_the_others(store, sealer, outbox):
    stalled, *others = add_dossiers(store, sealer, outbox, 4)  # the stalled one is claimed first
    with (
        hostile_portal(stalls_on(stalled, "trickle")) as portal,
        hostile_client(portal.url, 3.0) as client,
    ):
        worker = SyncWorker(outbox, client, sealer)
        reports: list[SyncReport] = []
        started = time.monotonic()
        sender = threading.Thread(target=lambda: reports.append(worker.run_once()))
        sender.start()
        while len(portal.accepted()) < 3 and time.monotonic() - started < 10:
            time.sleep(0.02)
        others_done = time.monotonic() - started
        sender.join(timeout=10)
    assert others_done < 2.0  # well before the stalled request's 3 s deadline
    assert sorted(portal.accepted()) == sorted(others)
    assert reports[0].accepted == 3 and reports[0].deferred == 1
    assert outbox.state_of(stalled)[0] == "pending"
    assert all(outbox.state_of(r)[0] == "accepted" for r in others)


def test_an_endless_answer_returns_the_entry_to_pending_and_the_next_is_sent(store, sealer, outbox):
    endless, healthy = add_dossiers(store, sealer, outbox, 2)
    with (
        hostile_portal(stalls_on(endless, "endless"), body_limit=64 * MiB) as portal,
        hostile_client(portal.url, 10.0) as client,
    ):
        SyncWorker(outbox, client, sealer).run_once()
    row = entry(outbox, endless)
    assert row.state == "pending" and "max_response_bytes" in row.last_error
    assert outbox.state_of(healthy)[0] == "accepted"


def test_a_connect_that_hangs_returns_the_entry_to_pending_by_the_deadline(store, sealer, outbox):
    [reference] = add_dossiers(store, sealer, outbox, 1)
    with stalled_port() as port, hostile_client(f"http://127.0.0.1:{port}", 1.0) as client:
        started = time.monotonic()
        SyncWorker(outbox, client, sealer).run_once()
        elapsed = time.monotonic() - started
    assert outbox.state_of(reference)[0] == "pending" and elapsed < 1.8
