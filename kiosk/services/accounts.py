"""`AccountService`: guided public-service account registration through the portal.

Flow: `request_otp` registers the account (ID, name, date of birth from the card; the phone the
citizen typed) and has the portal send an OTP; `set_password` (optional, checked against the
rules) is sent with `verify_otp`; without it the citizen sets the password at first sign-in.
A citizen without a phone gets `register_without_phone` → an `ActivationSlip` to print.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

from kiosk.domain.accounts import ActivationSlip, mobile_number, old_enough, password_problems
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.identity import CitizenIdentity, mask_id
from kiosk.domain.model import ServiceError
from kiosk.portal.client import PortalClient
from kiosk.portal.errors import PortalRejected

T = TypeVar("T")


PORTAL_CODES = {"otp_invalid", "otp_expired", "otp_attempts_exceeded", "password_weak",
                "account_exists", "phone_invalid"}  # fmt: skip


class AccountError(ServiceError):
    """A registration step failed for a reason the citizen can act on."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code, code=code)
        self.detail = detail


def _today() -> date:
    return datetime.now(UTC).astimezone(VIETNAM).date()


class KioskAccountService:
    def __init__(self, client: PortalClient, today: Callable[[], date] = _today) -> None:
        self.client = client
        self._today = today
        self._lock = threading.Lock()
        self._started: dict[tuple[str, str], str] = {}  # (ID, phone) → portal account id
        self._passwords: dict[str, str] = {}  # ID → chosen password, until verify_otp

    def request_otp(self, identity: CitizenIdentity, phone: str) -> None:
        number = mobile_number(phone)
        if number is None:
            raise AccountError("phone_invalid")
        self._check_age(identity)
        key = (identity.id_number, number)
        with self._lock:
            account_id = self._started.get(key)
        if account_id is None:
            account = self._portal(
                lambda: self.client.register_account(
                    identity.id_number, identity.full_name, identity.date_of_birth, number
                )
            )
            account_id = account.account_id
            with self._lock:
                self._started[key] = account_id
        self._portal(lambda: self.client.request_otp(account_id))

    def set_password(self, identity: CitizenIdentity, password: str) -> list[str]:
        """Check the password against the rules; keep it for `verify_otp` if it passes."""
        problems = password_problems(password)
        if not problems:
            with self._lock:
                self._passwords[identity.id_number] = password
        return problems

    def verify_otp(self, identity: CitizenIdentity, phone: str, otp: str) -> str:
        number = mobile_number(phone) or phone
        with self._lock:
            account_id = self._started.get((identity.id_number, number))
            password = self._passwords.get(identity.id_number)
        if account_id is None:
            raise AccountError("account_not_started")
        account = self._portal(lambda: self.client.verify_otp(account_id, otp.strip(), password))
        with self._lock:
            self._started.pop((identity.id_number, number), None)
            self._passwords.pop(identity.id_number, None)
        return mask_id(account.username)

    def register_without_phone(self, identity: CitizenIdentity) -> ActivationSlip:
        """For a citizen without a phone: an activation code to print instead of an SMS."""
        self._check_age(identity)
        account = self._portal(
            lambda: self.client.register_account(
                identity.id_number, identity.full_name, identity.date_of_birth, None
            )
        )
        if not account.activation_code:
            raise AccountError("portal_protocol", "portal gave no activation code for a slip")
        return ActivationSlip.for_account(
            identity.id_number,
            identity.full_name,
            account.activation_code,
            account.activation_expires_at,
        )

    def forget(self, identity: CitizenIdentity) -> None:
        """End of session: drop what this service held for the citizen."""
        with self._lock:
            self._passwords.pop(identity.id_number, None)
            for key in [k for k in self._started if k[0] == identity.id_number]:
                del self._started[key]

    def _check_age(self, identity: CitizenIdentity) -> None:
        if not old_enough(identity.date_of_birth, self._today()):
            raise AccountError("account_too_young")

    @staticmethod
    def _portal(call: Callable[[], T]) -> T:
        try:
            return call()
        except PortalRejected as exc:
            if exc.reject_code in PORTAL_CODES:
                raise AccountError(exc.reject_code, exc.reason) from None
            raise
