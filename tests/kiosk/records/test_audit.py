"""The audit log's hash chain catches edits, removals and reorderings."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from kiosk.records.audit import AuditLog
from kiosk.store import open_store
from kiosk.store.models import AuditEvent


def make_log(store_url, entries=5):
    store = open_store(store_url)
    log = AuditLog(store)
    for i in range(entries):
        log.append("citizen", "step", {"to": f"s{i}"}, session_id="x")
    return store, log


def test_an_intact_log_verifies(store_url):
    _, log = make_log(store_url)
    verdict = log.verify()
    assert verdict.ok and verdict.entries == 5


def test_an_edited_entry_is_named(store_url):
    store, log = make_log(store_url)
    with store.session() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(detail='{"to":"x"}'))
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == 3


def test_a_removed_entry_breaks_the_chain_at_the_next_one(store_url):
    store, log = make_log(store_url)
    with store.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == 3


def test_swapped_entries_are_detected(store_url):
    store, log = make_log(store_url)
    with store.session() as session:
        a, b = session.scalars(select(AuditEvent).where(AuditEvent.id.in_([2, 4]))).all()
        a.detail, b.detail = b.detail, a.detail
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == 2
