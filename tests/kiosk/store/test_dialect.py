"""Where SQLite and PostgreSQL differ (docs/architecture.md §7), on the backend `--store-backend`
picks: audit appends from several processes at once keep one chain, several outbox senders each
take a different entry, the WAL checkpoint is SQLite's only."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import event, func, select

from kiosk.records.audit import GENESIS, AuditLog
from kiosk.records.outbox import Outbox, OutboxState
from kiosk.store import Store, open_store
from kiosk.store.dialect import checkpoint
from kiosk.store.models import AuditEvent, Dossier, OutboxEntry

APPENDERS, APPENDS = 4, 25

SENDERS, ENTRIES = 4, 60


class EventLike(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...


@pytest.fixture
def store(store_url: str):
    store = open_store(store_url)
    yield store
    store.close()


def _append_many(url: str, name: str, count: int, start: EventLike) -> None:
    """One kiosk process: its own engine, appending as fast as it can once `start` is set."""
    store = open_store(url, migrate=False)
    try:
        log = AuditLog(store)
        start.wait(30)
        for n in range(count):
            log.append("system", "step", {"process": name, "n": n})
    finally:
        store.close()


def test_audit_appends_from_several_processes_at_once_make_one_linear_chain(
    store: Store, store_url: str
) -> None:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing shared
    start = context.Event()
    processes = [
        context.Process(target=_append_many, args=(store_url, f"p{i}", APPENDS, start))
        for i in range(APPENDERS)
    ]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    with store.session() as session:
        links = session.execute(
            select(AuditEvent.prev_hash, AuditEvent.hash).order_by(AuditEvent.id)
        ).all()
    assert len(links) == APPENDERS * APPENDS
    forks = [prev for prev, times in Counter(prev for prev, _ in links).items() if times > 1]
    assert forks == []
    assert [prev for prev, _ in links] == [GENESIS] + [digest for _, digest in links[:-1]]
    assert AuditLog(store).verify().ok


def _queue(store: Store, count: int) -> set[int]:
    with store.session() as session:
        for n in range(count):
            dossier = Dossier(kiosk_reference=f"R-{n}", procedure_code="P", payload_sealed=b"x")
            session.add(dossier)
            session.flush()
            Outbox(store).enqueue(session, dossier)
    with store.session() as session:
        return set(session.scalars(select(OutboxEntry.id)))


def _pending(store: Store) -> int:
    with store.session() as session:
        state = OutboxEntry.state == OutboxState.PENDING.value
        return int(session.scalar(select(func.count(OutboxEntry.id)).where(state)) or 0)


def test_several_senders_each_claim_a_different_entry_and_none_stops_while_some_wait(
    store: Store,
) -> None:
    queued = _queue(store, ENTRIES)
    claimed: list[int] = []
    early_stops: list[int] = []  # entries still pending when a sender was told "nothing due"
    barrier = threading.Barrier(SENDERS)

    def sender() -> None:
        outbox = Outbox(store)
        barrier.wait()
        while (claim := outbox.claim()) is not None:
            claimed.append(claim.entry_id)
        if left := _pending(store):
            early_stops.append(left)

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(claimed) == sorted(queued)  # every entry once, none twice
    assert early_stops == []


def test_a_wal_checkpoint_empties_sqlites_wal_and_sends_nothing_to_postgresql(
    store: Store, store_url: str, store_is_sqlite: bool
) -> None:
    _queue(store, 3)
    statements: list[str] = []
    event.listen(
        store.engine, "before_cursor_execute", lambda *args: statements.append(str(args[2]))
    )
    checkpoint(store.engine)
    if store_is_sqlite:
        wal = Path(store_url.removeprefix("sqlite:///") + "-wal")
        assert statements == ["PRAGMA wal_checkpoint(TRUNCATE)"]
        assert wal.stat().st_size == 0
    else:
        assert statements == []
