"""Staff lockout escalates and survives restarts: 5 wrong PINs lock for the configured minutes,
the next 5 for an hour, the next 5 until a supervisor unlocks (docs/architecture.md §6); the
PIN pad says in Vietnamese how long is left."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

import kiosk.records.staff as staff_module
from kiosk.records.audit import AuditLog
from kiosk.records.staff import (
    PIN_PAD,
    LockedOut,
    NotPermitted,
    StaffDirectory,
    WrongPin,
)
from kiosk.store import open_store
from kiosk.store.models import AuditEvent

from .test_staff import PIN, Clock

pytestmark = pytest.mark.timeout(120)
WRONG = "000000"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def directory(tmp_path, clock, monkeypatch) -> StaffDirectory:
    monkeypatch.setattr(staff_module, "SCRYPT_N", 2**10)  # fast hashes for the behaviour tests
    store = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}")
    directory = StaffDirectory(store, AuditLog(store), timedelta(minutes=15), clock)
    directory.add("an", PIN, "officer")
    directory.add("binh", "739164", "supervisor")
    return directory


def five_wrong(directory: StaffDirectory, username: str | None) -> LockedOut:
    for _ in range(4):
        with pytest.raises(WrongPin):
            directory.authenticate(username, WRONG)
    with pytest.raises(LockedOut) as locked:
        directory.authenticate(username, WRONG)
    return locked.value


def after(clock: Clock, locked: LockedOut) -> None:
    clock.now = locked.until + timedelta(seconds=1)


@pytest.mark.parametrize("username", ["an", None], ids=["account", "pin_pad"])
def test_lockouts_escalate_from_the_configured_minutes_to_an_hour_to_a_supervisor(
    directory, clock, username
):
    first = five_wrong(directory, username)
    assert first.until - clock.now == timedelta(minutes=15)
    after(clock, first)
    second = five_wrong(directory, username)
    assert second.until - clock.now == timedelta(hours=1)
    after(clock, second)
    third = five_wrong(directory, username)
    assert third.permanent
    clock.now += timedelta(days=365)
    with pytest.raises(LockedOut):
        directory.authenticate(username, PIN)


def test_a_right_pin_between_lockouts_starts_the_count_again(directory, clock):
    after(clock, five_wrong(directory, "an"))
    directory.authenticate("an", PIN)
    assert five_wrong(directory, "an").until - clock.now == timedelta(minutes=15)


def test_the_escalation_survives_a_restart(directory, clock, tmp_path):
    after(clock, five_wrong(directory, None))
    directory.store.close()
    store = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}")
    restarted = StaffDirectory(store, AuditLog(store), timedelta(minutes=15), clock)
    assert five_wrong(restarted, None).until - clock.now == timedelta(hours=1)
    store.close()


def test_a_supervisor_unlocks_the_pin_pad_and_it_is_audited(directory, clock):
    supervisor = directory.authenticate("binh", "739164")
    for _ in range(3):
        locked = five_wrong(directory, None)
        if not locked.permanent:
            after(clock, locked)
    directory.unlock(supervisor, PIN_PAD)
    assert directory.authenticate(None, PIN).username == "an"
    with directory.store.session() as session:
        unlocked = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "staff_unlocked")
        ).all()
        assert [(e.actor, json.loads(e.detail)) for e in unlocked] == [
            ("staff:binh", {"username": "binh", "target": PIN_PAD})
        ]


def test_an_officer_may_not_unlock(directory):
    officer = directory.authenticate("an", PIN)
    with pytest.raises(NotPermitted):
        directory.unlock(officer, PIN_PAD)


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(minutes=14, seconds=1), "Thử lại sau 15 phút."),
        (timedelta(seconds=20), "Thử lại sau 1 phút."),
        (timedelta(minutes=60), "Thử lại sau 1 giờ."),
        (timedelta(minutes=74, seconds=59), "Thử lại sau 1 giờ 15 phút."),
    ],
)
def test_the_pin_pad_says_how_long_the_lockout_lasts_in_vietnamese(clock, left, text):
    assert LockedOut(clock.now + left).wait_text(clock.now).endswith(text)


def test_the_pin_pad_says_a_supervisor_must_unlock_after_the_third_lockout(directory, clock):
    for _ in range(2):
        after(clock, five_wrong(directory, None))
    message = five_wrong(directory, None).wait_text(clock.now)
    assert "Cần cán bộ phụ trách mở khoá" in message
