from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

import kiosk.records.staff as staff_module
from kiosk.records.audit import AuditLog
from kiosk.records.staff import (
    BadStaffInput,
    Disabled,
    LockedOut,
    NotPermitted,
    Permission,
    Role,
    StaffDirectory,
    WeakPin,
    WrongPin,
    check_secret,
    hash_secret,
)
from kiosk.store import open_store
from kiosk.store.models import AuditEvent, StaffUser

PIN = "482913"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def directory(store_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> StaffDirectory:
    monkeypatch.setattr(staff_module, "SCRYPT_N", 2**10)  # fast hashes for the behaviour tests
    store = open_store(store_url)
    directory = StaffDirectory(store, AuditLog(store), timedelta(minutes=15), clock)
    directory.add("an", PIN, "officer", "Nguyễn Văn An")
    directory.add("binh", "739164", "supervisor")
    return directory


def test_hash_is_scrypt_with_the_production_cost_and_a_salt() -> None:
    encoded = hash_secret(PIN)
    assert encoded.startswith("scrypt$32768$8$1$") and PIN not in encoded
    assert hash_secret(PIN) != encoded
    assert check_secret(PIN, encoded) and not check_secret("482914", encoded)


def test_right_pin_with_username_returns_the_account(directory: StaffDirectory) -> None:
    user = directory.authenticate("an", PIN)
    assert (user.username, user.role) == ("an", Role.OFFICER)


def test_pin_alone_finds_its_account(directory: StaffDirectory) -> None:
    assert directory.authenticate(None, "739164").username == "binh"


def test_wrong_pin_says_how_many_attempts_are_left(directory: StaffDirectory) -> None:
    with pytest.raises(WrongPin) as error:
        directory.authenticate("an", "000001")
    assert error.value.remaining == 4


def test_fifth_wrong_pin_locks_the_account_even_for_the_right_pin(
    directory: StaffDirectory, clock: Clock
) -> None:
    for _ in range(4):
        with pytest.raises(WrongPin):
            directory.authenticate("an", "000001")
    with pytest.raises(LockedOut) as error:
        directory.authenticate("an", "000001")
    assert error.value.until == clock.now + timedelta(minutes=15)
    with pytest.raises(LockedOut):
        directory.authenticate("an", PIN)


def test_lockout_ends_after_the_configured_minutes(directory: StaffDirectory, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises((WrongPin, LockedOut)):
            directory.authenticate("an", "000001")
    clock.now += timedelta(minutes=15, seconds=1)
    assert directory.authenticate("an", PIN).username == "an"


def test_a_right_pin_resets_the_failure_count(directory: StaffDirectory) -> None:
    for _ in range(4):
        with pytest.raises(WrongPin):
            directory.authenticate("an", "000001")
    directory.authenticate("an", PIN)
    with pytest.raises(WrongPin) as error:
        directory.authenticate("an", "000001")
    assert error.value.remaining == 4


def test_pin_only_overlay_locks_after_five_failures(
    directory: StaffDirectory, clock: Clock
) -> None:
    for _ in range(4):
        with pytest.raises(WrongPin):
            directory.authenticate(None, "000001")
    with pytest.raises(LockedOut):
        directory.authenticate(None, "000001")
    with pytest.raises(LockedOut):
        directory.authenticate(None, PIN)


def test_disabled_account_cannot_log_in(directory: StaffDirectory) -> None:
    directory.disable("an")
    with pytest.raises(Disabled):
        directory.authenticate("an", PIN)
    with pytest.raises(Disabled):
        directory.authenticate(None, PIN)


def test_unknown_username_is_a_wrong_pin(directory: StaffDirectory) -> None:
    with pytest.raises(WrongPin):
        directory.authenticate("nobody", PIN)


def test_officer_may_override_but_not_change_settings(directory: StaffDirectory) -> None:
    officer = directory.authenticate("an", PIN)
    directory.require(officer, Permission.OVERRIDE)
    with pytest.raises(NotPermitted):
        directory.require(officer, Permission.CHANGE_SETTINGS)


def test_supervisor_may_change_settings_and_forget_citizens(directory: StaffDirectory) -> None:
    supervisor = directory.authenticate("binh", "739164")
    directory.require(supervisor, Permission.CHANGE_SETTINGS)  # raises NotPermitted otherwise
    directory.require(supervisor, Permission.FORGET_CITIZEN)
    assert supervisor.may(Permission.EXIT_KIOSK)


@pytest.mark.parametrize("secret", ["12345", "111111", "123456", "654321", "short"])
def test_weak_pins_are_refused(directory: StaffDirectory, secret: str) -> None:
    with pytest.raises(BadStaffInput):
        directory.add("chi", secret, "officer")


def test_logins_and_refusals_are_audited_without_the_pin(directory: StaffDirectory) -> None:
    directory.authenticate("an", PIN)
    with pytest.raises(WrongPin):
        directory.authenticate("an", "000001")
    with directory.store.session() as session:
        events = [(e.action, e.detail) for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    actions = [a for a, _ in events]
    assert actions[-2:] == ["staff_login", "staff_login_refused"]
    assert all(PIN not in d and "000001" not in d for _, d in events)


def test_stored_hash_does_not_contain_the_pin(directory: StaffDirectory) -> None:
    with directory.store.session() as session:
        row = session.query(StaffUser).filter_by(username="an").one()
        assert PIN not in row.secret_hash and row.secret_hash.startswith("scrypt$")


# --- the PIN pad's lockout survives restarts ---------------------------------------------------


def _restarted(store_url: str, clock: Clock) -> StaffDirectory:
    """A kiosk after a restart: a new store connection and a new directory on the same file."""
    store = open_store(store_url)
    return StaffDirectory(store, AuditLog(store), timedelta(minutes=15), clock)


def test_twelve_wrong_pins_over_three_restarts_lock_the_pin_pad(
    directory: StaffDirectory, store_url: str, clock: Clock
) -> None:
    outcomes = []
    for _ in range(3):
        restarted = _restarted(store_url, clock)
        for _ in range(4):
            with pytest.raises((WrongPin, LockedOut)) as error:
                restarted.authenticate(None, "000001")
            outcomes.append(type(error.value))
        restarted.store.close()
    assert outcomes[:5] == [WrongPin] * 4 + [LockedOut]
    assert set(outcomes[5:]) == {LockedOut}
    with pytest.raises(LockedOut):
        _restarted(store_url, clock).authenticate(None, PIN)


def test_the_pin_pad_opens_again_after_the_lockout_minutes(
    directory: StaffDirectory, store_url: str, clock: Clock
) -> None:
    for _ in range(5):
        with pytest.raises((WrongPin, LockedOut)):
            directory.authenticate(None, "000001")
    clock.now += timedelta(minutes=15, seconds=1)
    assert _restarted(store_url, clock).authenticate(None, PIN).username == "an"


def test_a_right_pin_at_the_pad_resets_the_pads_count(directory: StaffDirectory) -> None:
    for _ in range(4):
        with pytest.raises(WrongPin):
            directory.authenticate(None, "000001")
    directory.authenticate(None, PIN)
    with pytest.raises(WrongPin) as error:
        directory.authenticate(None, "000001")
    assert error.value.remaining == 4


def test_an_account_locked_by_name_is_locked_at_the_pin_pad_too(
    directory: StaffDirectory, store_url: str, clock: Clock
) -> None:
    for _ in range(5):
        with pytest.raises((WrongPin, LockedOut)):
            directory.authenticate("an", "000001")
    with pytest.raises(LockedOut):
        _restarted(store_url, clock).authenticate(None, PIN)


# --- the PIN policy ----------------------------------------------------------------------------

WEAK_PINS = [
    ("000000", "one digit repeated"),
    ("111111", "one digit repeated"),
    ("123456", "run of digits"),
    ("654321", "run of digits"),
    ("012345", "run of digits"),
    ("890123", "run of digits"),
    ("121212", "repeats a group"),
    ("123123", "repeats a group"),
    ("112233", "doubled digits"),
    ("150490", "a date"),  # ddmmyy
    ("900415", "a date"),  # yymmdd
    ("15041990", "a date"),  # ddmmyyyy
    ("19900415", "a date"),  # yyyymmdd
    ("199001", "a date"),  # yyyymm
    ("000001", "single change"),
    ("password", "digits 0-9 only"),
    ("        ", "digits 0-9 only"),
    (" 482913", "digits 0-9 only"),
    ("４８２９１３", "cannot type"),  # full-width digits
    ("٤٨٢٩١٣", "cannot type"),  # Arabic-Indic digits
    ("12345", "at least 6"),
    ("4829137461923", "at most 12"),
    ("001100", "doubled digits"),
    ("990990", "repeats a group"),
    ("100100", "repeats a group"),
    ("909009", "fewer than three different digits"),
]


@pytest.mark.parametrize(("pin", "why"), WEAK_PINS)
def test_a_weak_pin_is_refused_saying_why(directory: StaffDirectory, pin: str, why: str) -> None:
    with pytest.raises(WeakPin) as error:
        directory.add("chi", pin, "officer")
    assert why in str(error.value)


@pytest.mark.parametrize("pin", ["482913", "739164", "306158", "58203714", "001290"])
def test_an_unremarkable_pin_is_accepted(directory: StaffDirectory, pin: str) -> None:
    directory.add("chi", pin, "officer")
    assert directory.authenticate("chi", pin).username == "chi"


def test_a_new_pin_set_later_follows_the_same_policy(directory: StaffDirectory) -> None:
    with pytest.raises(WeakPin):
        directory.set_secret("an", "121212")


# --- permissions in the core -------------------------------------------------------------------


def test_an_officer_is_refused_closing_the_kiosk_and_the_refusal_is_audited(
    directory: StaffDirectory,
) -> None:
    officer = directory.authenticate("an", PIN)
    with pytest.raises(NotPermitted):
        directory.perform(officer, Permission.EXIT_KIOSK, "kiosk_exit")
    actions = _actions(directory)
    assert actions[-1] == "staff_not_permitted" and "kiosk_exit" not in actions


def test_a_supervisor_closing_the_kiosk_is_audited(directory: StaffDirectory) -> None:
    supervisor = directory.authenticate("binh", "739164")
    directory.perform(supervisor, Permission.EXIT_KIOSK, "kiosk_exit")
    assert _actions(directory)[-1] == "kiosk_exit"


def test_an_account_disabled_after_logging_in_is_refused(directory: StaffDirectory) -> None:
    supervisor = directory.authenticate("binh", "739164")
    directory.disable("binh")
    with pytest.raises(NotPermitted):
        directory.require(supervisor, Permission.FORGET_CITIZEN)


def test_an_account_object_claiming_a_role_it_lacks_is_refused(directory: StaffDirectory) -> None:
    officer = directory.authenticate("an", PIN)
    claimed = dataclasses.replace(officer, role=Role.SUPERVISOR)
    with pytest.raises(NotPermitted):
        directory.require(claimed, Permission.FORGET_CITIZEN)


def _actions(directory: StaffDirectory) -> list[str]:
    with directory.store.session() as session:
        return [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
