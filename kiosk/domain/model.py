"""The kiosk's domain types: procedures and their form fields, a dossier draft and its
attachments, what a submission, a face check, a fee and a status look-up return, and the typed
error every service raises (`ServiceError`, whose `code` is a key of the error-text catalogue).

Plain data with no I/O: every layer of `kiosk/` may use them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

Progress = Callable[[float, str], None]  # (fraction 0..1, short status key) for the UI


class ServiceError(Exception):
    """A step could not finish. `code` is a key of the error-text catalogue."""

    code = "internal"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.__doc__ or self.__class__.__name__)
        if code:
            self.code = code


class NotBuilt(ServiceError):
    """This step's device or service is not built yet; staff help the citizen."""

    code = "not_built"

    def __init__(self, feature: str) -> None:
        super().__init__(f"{feature} is not built yet", code="not_built")
        self.feature = feature


@dataclass(frozen=True)
class FaceResult:
    match: bool
    score: float
    threshold: float
    live: bool
    reason: str = ""  # why not matched / not live (error-catalogue code)


@dataclass(frozen=True)
class FormField:
    key: str
    label: str  # Vietnamese label, e.g. "Họ, chữ đệm và tên"
    kind: str = "text"  # text | date | phone | number | choice
    prefill_from: str = ""  # CitizenIdentity attribute this field is filled from
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str  # Vietnamese name
    authority: str
    fee_vnd: int
    processing_days: int  # legal time in working days (0: same day)
    documents: tuple[str, ...] = ()
    fields: tuple[FormField, ...] = ()
    receipt_form: str = "01"  # "01" (Mẫu 01) or "CT04" (residence)


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass
class DossierDraft:
    procedure: Procedure
    values: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class SubmitResult:
    kiosk_reference: str  # always known at once
    portal_code: str | None  # the portal's official code, None while queued offline
    received_at: datetime
    due_at: datetime  # from the working-day calendar
    queued_offline: bool


@dataclass(frozen=True)
class DossierStatus:
    reference: str
    procedure_name: str
    status: str  # Vietnamese status text
    due_at: datetime | None


@dataclass(frozen=True)
class FeeRequest:
    amount_vnd: int
    vietqr_payload: str  # EMVCo string for the QR on screen
    reference: str


class WorkingDays(Protocol):
    def add(self, start: datetime, days: int) -> datetime: ...


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
