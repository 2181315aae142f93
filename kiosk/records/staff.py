"""Staff accounts: a PIN hashed with scrypt, lockout after 5 failures, two roles.

`StaffDirectory.authenticate(username_or_none, pin)` is what the staff PIN pad calls. With a
username, failures count against that account (5 in a row lock it for the configured minutes, the
next 5 for an hour, the next until a supervisor unlocks it: `unlock`).
Without one (the PIN pad), the PIN is tried against every account and failures count against the
PIN pad as a whole, with the same limit, so the pad cannot be brute-forced either. Both counts
live in the store (`staff_users`, `staff_lockouts`): a restart gives no fresh guesses.
`require(user, permission)` is the one permission check; every staff action calls it where the
action is performed. Every outcome is written to the audit log (username only, never the PIN).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.records.audit import AuditLog
from kiosk.records.pin_policy import pin_weakness
from kiosk.store import Store
from kiosk.store.models import StaffLockout, StaffUser

MAX_FAILURES = 5  # wrong PINs in a row per lockout
LATER_LOCKOUT = timedelta(hours=1)  # the second lockout in a row (the first: the configured one)
UNTIL_UNLOCKED = datetime(9999, 12, 31, tzinfo=UTC)  # the third: until a supervisor unlocks
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # 32 MiB, ~0.1 s per check on a kiosk PC
SCRYPT_MAXMEM = 64 * 1024 * 1024
USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,59}")
PIN_PAD = "pin_pad"  # the staff_lockouts scope of PINs typed without a username


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"


class Permission(StrEnum):
    TAKE_OVER = "take_over"  # take over a citizen's session, hand it back
    OVERRIDE = "override"  # skip a failed step (face, chip) with a reason
    CLEAR_PAPER_JAM = "clear_paper_jam"
    VIEW_STATUS = "view_status"
    REPRINT_RECEIPT = "reprint_receipt"  # print a kept receipt again (`kiosk receipt --reprint`)
    CHANGE_SETTINGS = "change_settings"  # supervisor only
    MANAGE_STAFF = "manage_staff"  # supervisor only
    FORGET_CITIZEN = "forget_citizen"  # supervisor only
    ROTATE_KEYS = "rotate_keys"  # supervisor only
    EXIT_KIOSK = "exit_kiosk"  # supervisor only


OFFICER_PERMISSIONS = frozenset(
    {
        Permission.TAKE_OVER,
        Permission.OVERRIDE,
        Permission.CLEAR_PAPER_JAM,
        Permission.VIEW_STATUS,
        Permission.REPRINT_RECEIPT,
    }
)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: OFFICER_PERMISSIONS,
    Role.SUPERVISOR: frozenset(Permission),
}


class StaffError(Exception):
    """Base class of staff-account errors (each kind has its own `code`)."""


class WrongPin(StaffError):
    """The PIN is wrong, or there is no such account."""

    code = "staff_wrong_pin"

    def __init__(self, remaining: int) -> None:
        super().__init__(f"wrong PIN; {remaining} attempt(s) left before lockout")
        self.remaining = remaining


class LockedOut(StaffError):
    """Too many wrong PINs: no attempt is checked until `until` (UTC), or, when `permanent`,
    until a supervisor unlocks."""

    code = "staff_locked_out"

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            "locked after repeated wrong PINs until a supervisor unlocks"
            if self.permanent
            else f"locked after repeated wrong PINs until {until:%H:%M} UTC"
        )

    @property
    def permanent(self) -> bool:
        return self.until >= UNTIL_UNLOCKED

    def wait_text(self, now: datetime, language: str = "vi") -> str:
        """How long the lockout still lasts, for the PIN pad (rounded up to a minute)."""
        from kiosk import texts

        if self.permanent:
            return texts.get("staff.locked_until_unlocked", language)
        minutes = max(1, -(-int((self.until - now).total_seconds()) // 60))
        hours, minutes = divmod(minutes, 60)
        if hours and not minutes:
            return texts.get("staff.locked_whole_hours", language, hours=hours)
        if hours:
            return texts.get("staff.locked_hours", language, hours=hours, minutes=minutes)
        return texts.get("staff.locked_minutes", language, minutes=minutes)


class Disabled(StaffError):
    """The account was disabled by a supervisor."""

    code = "staff_disabled"


class NotPermitted(StaffError):
    """The account's role does not allow this action."""

    code = "staff_not_permitted"


class BadStaffInput(StaffError):
    """A username, role or new PIN that is not acceptable."""

    code = "staff_bad_input"


class WeakPin(BadStaffInput):
    """A new PIN that the PIN policy refuses (`kiosk.records.pin_policy`); says why."""

    code = "staff_weak_pin"


@dataclass(frozen=True)
class StaffInfo:
    """What callers get back: never the hash."""

    username: str
    display_name: str
    role: Role
    disabled: bool
    locked_until: datetime | None
    failed_attempts: int

    def may(self, permission: Permission) -> bool:
        return not self.disabled and permission in ROLE_PERMISSIONS[self.role]


# Citizen texts are not needed (staff only); staff texts for the overlay.
ERROR_TEXTS: dict[str, tuple[str, str]] = {
    "staff_wrong_pin": ("", "Mã PIN không đúng."),
    "staff_locked_out": ("", "Nhập sai quá 5 lần: tài khoản tạm khoá."),
    "staff_disabled": ("", "Tài khoản cán bộ đã bị vô hiệu hoá."),
    "staff_not_permitted": ("", "Việc này cần cán bộ phụ trách (supervisor)."),
}


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def check_secret(secret: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(secret, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_new_secret(secret: str) -> None:
    """Raise WeakPin (saying why) unless `secret` is an acceptable staff PIN."""
    weakness = pin_weakness(secret)
    if weakness is not None:
        raise WeakPin(weakness)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class StaffDirectory:
    def __init__(
        self,
        store: Store,
        audit: AuditLog | None = None,
        lockout: timedelta = timedelta(minutes=15),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.audit = audit
        self.lockout = lockout
        self.clock = clock
        self._lock = threading.Lock()

    # --- accounts ----------------------------------------------------------------------------

    def add(self, username: str, secret: str, role: str, display_name: str = "") -> StaffInfo:
        if not USERNAME.fullmatch(username):
            raise BadStaffInput(
                "a username is 2-60 lower-case letters, digits, dot, dash or underscore, "
                "starting with a letter"
            )
        try:
            chosen = Role(role)
        except ValueError:
            raise BadStaffInput(f"unknown role {role!r}; allowed: officer, supervisor") from None
        check_new_secret(secret)
        with self.store.session() as session:
            if session.scalars(select(StaffUser).where(StaffUser.username == username)).first():
                raise BadStaffInput(f"staff account {username!r} already exists")
            row = StaffUser(
                username=username,
                display_name=display_name,
                role=chosen.value,
                secret_hash=hash_secret(secret),
            )
            session.add(row)
            session.flush()
            info = _info(row)
        self._audit("staff_added", {"username": username, "role": chosen.value})
        return info

    def accounts(self) -> list[StaffInfo]:
        with self.store.session() as session:
            return [_info(row) for row in session.scalars(select(StaffUser).order_by("username"))]

    def get(self, username: str) -> StaffInfo:
        with self.store.session() as session:
            return _info(self._row(session, username))

    def disable(self, username: str, by: str = "admin:cli") -> StaffInfo:
        with self.store.session() as session:
            row = self._row(session, username)
            row.disabled = True
            info = _info(row)
        self._audit("staff_disabled", {"username": username}, actor=by)
        return info

    def enable(self, username: str, by: str = "admin:cli") -> StaffInfo:
        with self.store.session() as session:
            row = self._row(session, username)
            row.disabled = False
            row.failed_attempts = 0
            row.locked_until = None
            info = _info(row)
        self._audit("staff_enabled", {"username": username}, actor=by)
        return info

    def set_secret(self, username: str, secret: str, by: str = "admin:cli") -> None:
        check_new_secret(secret)
        with self.store.session() as session:
            row = self._row(session, username)
            row.secret_hash = hash_secret(secret)
            row.failed_attempts = 0
            row.locked_until = None
        self._audit("staff_pin_changed", {"username": username}, actor=by)

    @staticmethod
    def _row(session: Session, username: str) -> StaffUser:
        row = session.scalars(select(StaffUser).where(StaffUser.username == username)).first()
        if row is None:
            raise BadStaffInput(f"no staff account {username!r}")
        return row

    # --- authentication ----------------------------------------------------------------------

    def authenticate(self, username: str | None, pin: str) -> StaffInfo:
        """The account for this PIN, or WrongPin / LockedOut(until) / Disabled."""
        with self._lock:
            if username is None:
                return self._authenticate_any(pin)
            return self._authenticate_one(username, pin)

    def _authenticate_one(self, username: str, pin: str) -> StaffInfo:
        now = self.clock()
        with self.store.session() as session:
            row = session.scalars(select(StaffUser).where(StaffUser.username == username)).first()
            if row is None:
                check_secret(pin, _dummy_hash())  # same time as a real check: no user probing
                outcome: StaffError | StaffInfo = WrongPin(MAX_FAILURES)
            elif row.disabled:
                outcome = Disabled(f"staff account {username!r} is disabled")
            elif (locked := _locked(row, now)) is not None:
                outcome = locked
            elif check_secret(pin, row.secret_hash):
                _reset(row)
                outcome = _info(row)
            else:
                outcome = self._count_failure(row, now)
        return self._finish(username, outcome)

    def _authenticate_any(self, pin: str) -> StaffInfo:
        now = self.clock()
        with self.store.session() as session:
            pad = session.get(StaffLockout, PIN_PAD)
            if pad is None:
                pad = StaffLockout(scope=PIN_PAD, failed_attempts=0)
                session.add(pad)
            outcome: StaffError | StaffInfo
            if (locked := _locked(pad, now)) is not None:
                outcome = locked
            elif (match := self._match(session, pin)) is None:
                outcome = self._count_failure(pad, now)
            elif match.disabled:
                outcome = Disabled(f"staff account {match.username!r} is disabled")
            elif (locked := _locked(match, now)) is not None:
                outcome = locked  # the account's own lockout holds at the pad too
            else:
                _reset(pad)
                _reset(match)
                outcome = _info(match)
        return self._finish(getattr(outcome, "username", None), outcome)

    @staticmethod
    def _match(session: Session, pin: str) -> StaffUser | None:
        """The account whose PIN this is, if any."""
        for row in session.scalars(select(StaffUser).order_by(StaffUser.id)):
            if check_secret(pin, row.secret_hash):
                return row
        return None

    def _count_failure(self, counter: _Counter, now: datetime) -> StaffError:
        """One more wrong PIN against an account or the PIN pad: WrongPin, or LockedOut at every
        5th in a row. The count runs on until a right PIN (or an unlock) resets it, so lockouts
        escalate: the configured minutes, then an hour, then until a supervisor unlocks."""
        counter.failed_attempts = (counter.failed_attempts or 0) + 1
        left = MAX_FAILURES - counter.failed_attempts % MAX_FAILURES
        if left < MAX_FAILURES:
            return WrongPin(left)
        steps = (self.lockout, max(self.lockout, LATER_LOCKOUT))
        lockouts = counter.failed_attempts // MAX_FAILURES
        counter.locked_until = (
            now + steps[lockouts - 1] if lockouts <= len(steps) else UNTIL_UNLOCKED
        )
        return LockedOut(counter.locked_until)

    def unlock(self, supervisor: StaffInfo, target: str) -> None:
        """A supervisor ends the lockout of the account `target` (or of the PIN pad, `pin_pad`)
        and its count of wrong PINs; checked (`manage_staff`) and audited."""
        self.require(supervisor, Permission.MANAGE_STAFF)
        with self.store.session() as session:
            counter: _Counter | None
            if target == PIN_PAD:
                counter = session.get(StaffLockout, PIN_PAD)
            else:
                counter = self._row(session, target)
            if counter is not None:
                _reset(counter)
        self._audit(
            "staff_unlocked",
            {"username": supervisor.username, "target": target},
            actor=f"staff:{supervisor.username}",
        )

    def _finish(self, username: str | None, outcome: StaffError | StaffInfo) -> StaffInfo:
        name = username or "?"
        if isinstance(outcome, StaffInfo):
            self._audit("staff_login", {"username": outcome.username}, actor=f"staff:{name}")
            return outcome
        detail: dict[str, object] = {"username": name, "result": type(outcome).__name__}
        if isinstance(outcome, LockedOut):
            detail["until"] = outcome.until.isoformat()
        self._audit("staff_login_refused", detail, actor=f"staff:{name}")
        raise outcome

    def require(self, user: StaffInfo, permission: Permission) -> None:
        """Raise NotPermitted unless `user` may do `permission` now (audited when refused).

        The account is read again from the store: one disabled, removed or moved to another role
        since it logged in gets what its current state allows."""
        with self.store.session() as session:
            row = session.scalars(
                select(StaffUser).where(StaffUser.username == user.username)
            ).first()
            current = _info(row) if row is not None else None
        if current is None or not user.may(permission) or not current.may(permission):
            self._audit(
                "staff_not_permitted",
                {"username": user.username, "permission": permission.value},
                actor=f"staff:{user.username}",
            )
            raise NotPermitted(f"{permission.value} needs a {_needed_role(permission)}")

    def perform(
        self,
        user: StaffInfo,
        permission: Permission,
        action: str,
        detail: dict[str, object] | None = None,
    ) -> None:
        """Check `permission` for `user`, then audit `action` as done by them (staff actions
        that no other record audits, e.g. closing the kiosk)."""
        self.require(user, permission)
        self._audit(
            action, {"username": user.username, **(detail or {})}, actor=f"staff:{user.username}"
        )

    def _audit(self, action: str, detail: dict[str, object], actor: str = "admin:cli") -> None:
        if self.audit is not None:
            self.audit.append(actor, action, detail)


class _Counter(Protocol):
    """What wrong PINs are counted on: a staff account, or the PIN pad."""

    failed_attempts: int
    locked_until: datetime | None


def _locked(counter: _Counter, now: datetime) -> LockedOut | None:
    until = _aware(counter.locked_until)
    return LockedOut(until) if until is not None and until > now else None


def _reset(counter: _Counter) -> None:
    counter.failed_attempts = 0
    counter.locked_until = None


def _needed_role(permission: Permission) -> str:
    return "officer" if permission in OFFICER_PERMISSIONS else "supervisor"


@functools.cache
def _dummy_hash() -> str:
    return hash_secret("not-a-real-pin-0")


def _info(row: StaffUser) -> StaffInfo:
    return StaffInfo(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        disabled=row.disabled,
        locked_until=_aware(row.locked_until),
        failed_attempts=row.failed_attempts,
    )
