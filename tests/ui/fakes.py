"""Test doubles for the UI tests (tests only): the service fakes of tests/fakes.py, a staff
directory with the typed errors of kiosk.records.staff, and a config with test-sized timeouts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from kiosk.config import KioskConfig
from kiosk.records.staff import LockedOut, NotPermitted, Permission, Role, StaffInfo, WrongPin
from tests.fakes import (  # noqa: F401  (re-exported for the UI tests)
    FakeAccounts,
    FakeCard,
    FakeDossiers,
    FakeFace,
    FakePayments,
    FakePrinter,
    FakeQr,
    FakeStatus,
    fake_services,
)


class FakeStaffDirectory:
    """One officer, PIN 246810; five wrong PINs lock the pad."""

    PIN = "246810"

    def __init__(self, role: Role = Role.OFFICER) -> None:
        self.role = role
        self.failures = 0
        self.calls = 0
        self.performed: list[str] = []

    def authenticate(self, username: str | None, pin: str) -> StaffInfo:
        self.calls += 1
        if self.failures >= 5:
            raise LockedOut(datetime.now(UTC) + timedelta(minutes=15))
        if pin != self.PIN:
            self.failures += 1
            raise WrongPin(5 - self.failures)
        return StaffInfo("can.bo", "Cán bộ Lan", self.role, False, None, 0)

    def require(self, user: StaffInfo, permission: Permission) -> None:
        if not user.may(permission):
            raise NotPermitted(permission.value)

    def perform(self, user: StaffInfo, permission: Permission, action: str) -> None:
        self.require(user, permission)
        self.performed.append(action)


def quick_config(idle_s: float = 60.0, countdown_s: int = 5) -> KioskConfig:
    """Defaults with test-sized timeouts (set directly: the file validator would refuse them)."""
    config = KioskConfig()
    ui = dataclasses.replace(
        config.ui, idle_timeout_s=idle_s, idle_countdown_s=countdown_s, animations=False
    )
    return dataclasses.replace(config, ui=ui)
