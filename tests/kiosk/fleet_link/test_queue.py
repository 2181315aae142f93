"""The durable queue of fleet events (docs/fleet_link.md §2): it survives restarts, sends help
first, and its bounds drop only the oldest heartbeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.fleet_link import queue as fleet_queue
from kiosk.fleet_link.queue import FleetQueue
from kiosk.store import open_store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_queued_events_survive_a_restart(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url)
    first = FleetQueue(store).add("help", {"help_id": "h1", "step": "face_check"})
    FleetQueue(store).add("heartbeat", {"version": "0.1.0"})
    store.close()

    reopened = open_store(store_url)
    try:
        unsent = FleetQueue(reopened).unsent()
    finally:
        reopened.close()
    assert unsent[0].id == first
    assert [e.kind for e in unsent] == ["help", "heartbeat"]


def test_help_requests_are_sent_before_older_heartbeats(store_url: str, tmp_path: Path) -> None:
    clock = Clock()
    store = open_store(store_url)
    queue = FleetQueue(store, clock)
    queue.add("heartbeat", {})
    clock.advance(minutes=1)
    queue.add("anchor", {"anchor": {}})
    clock.advance(minutes=1)
    queue.add("help", {"help_id": "h1"})
    clock.advance(minutes=1)
    queue.add("help_closed", {"help_id": "h1"})
    assert [e.kind for e in queue.unsent()] == ["help", "help_closed", "heartbeat", "anchor"]
    store.close()


def test_sent_events_leave_the_backlog(store_url: str, tmp_path: Path) -> None:
    clock = Clock()
    store = open_store(store_url)
    queue = FleetQueue(store, clock)
    ids = [queue.add("heartbeat", {}) for _ in range(3)]
    clock.advance(seconds=90)
    assert queue.mark_sent(ids[:2]) == 2
    assert queue.backlog().unsent == 1
    assert queue.backlog().oldest_unsent_s == 90
    store.close()


def test_a_day_offline_loses_nothing(store_url: str, tmp_path: Path) -> None:
    clock = Clock()
    store = open_store(store_url)
    queue = FleetQueue(store, clock)
    for minute in range(24 * 60):  # one heartbeat a minute, a help request and an anchor
        queue.add("heartbeat", {"n": minute})
        if minute == 600:
            queue.add("help", {"help_id": "h1"})
            queue.add("anchor", {"anchor": {"n": 1}})
        clock.advance(minutes=1)
    assert queue.prune() == 0
    assert queue.backlog().unsent == 24 * 60 + 2
    store.close()


def test_past_the_cap_the_oldest_heartbeats_go_first_never_help_or_anchors(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fleet_queue, "MAX_UNSENT", 5)
    clock = Clock()
    store = open_store(store_url)
    queue = FleetQueue(store, clock)
    queue.add("help", {"help_id": "old"})
    queue.add("anchor", {"anchor": {"n": 1}})
    for n in range(6):
        clock.advance(minutes=1)
        queue.add("heartbeat", {"n": n})
    assert queue.prune() == 3
    kept = queue.unsent()
    assert [e.kind for e in kept][:2] == ["help", "anchor"]
    assert [e.body["n"] for e in kept if e.kind == "heartbeat"] == [3, 4, 5]
    store.close()


def test_heartbeats_older_than_their_limit_are_dropped_but_old_help_requests_stay(
    store_url: str,
    tmp_path: Path,
) -> None:
    clock = Clock()
    store = open_store(store_url)
    queue = FleetQueue(store, clock)
    queue.add("heartbeat", {})
    queue.add("help", {"help_id": "h1"})
    clock.advance(days=4)
    assert queue.prune() == 1
    assert [e.kind for e in queue.unsent()] == ["help"]
    store.close()


def test_an_unknown_event_kind_is_refused(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url)
    with pytest.raises(ValueError):
        FleetQueue(store).add("citizen", {})
    store.close()
