"""The kiosk's domain types: procedures (form fields, documents, fee and same-day rules), a
dossier draft and its attachments, what a submission, a face check, a fee and a status look-up
return, and the typed error every service raises (`ServiceError`, whose `code` is a key of the
error-text catalogue).

Plain data with no I/O: every layer of `kiosk/` may use them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.form_dates import parse_form_date

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
    """One field of a procedure's form, as the catalogue describes it."""

    key: str
    label: str  # Vietnamese label, e.g. "Họ, chữ đệm và tên"
    kind: str = "text"  # one of kiosk.domain.forms.KINDS
    required: bool = True
    prefill_from: str = ""  # CitizenIdentity attribute this field is filled from
    choices: tuple[str, ...] = ()
    pattern: str = ""  # full-match regular expression for text fields
    pattern_hint: str = ""  # what the pattern means, in Vietnamese ("12 chữ số")
    min_length: int = 0
    max_length: int = 0  # 0: no limit
    min_value: int | None = None
    max_value: int | None = None
    not_future: bool = False
    not_past: bool = False
    min_age_years: int | None = None  # for a date of birth


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    name: str
    source: str = "camera"  # form: the kiosk's own declaration | camera: photographed | counter
    required: bool = True
    picture: str = "document"  # the pictogram the citizen recognises the paper by


@dataclass(frozen=True)
class FeeRule:
    """How the fee is computed. Amounts in đồng."""

    kind: str  # free | fixed | by_channel | per_page | free_within_days
    amount_vnd: int = 0  # fixed
    in_person_vnd: int = 0  # by_channel
    online_vnd: int = 0
    pages_field: str = ""  # per_page
    copies_field: str = ""
    first_pages: int = 0
    first_rate_vnd: int = 0
    rest_rate_vnd: int = 0
    cap_per_copy_vnd: int = 0
    days: int = 0  # free_within_days
    date_field: str = ""
    amount_after_vnd: int = 0
    uncertain: str = ""  # why the amount must be checked (province decision, ...)

    def amount(self, values: Mapping[str, str], on: date, channel: str = "online") -> int:
        """The fee for a dossier with these form values, received on `on` via `channel`."""
        if self.kind == "fixed":
            return self.amount_vnd
        if self.kind == "by_channel":
            return self.online_vnd if channel == "online" else self.in_person_vnd
        if self.kind == "per_page":
            pages = _positive_int(values.get(self.pages_field, ""), 1)
            copies = _positive_int(values.get(self.copies_field, ""), 1)
            first = min(pages, self.first_pages) * self.first_rate_vnd
            rest = max(pages - self.first_pages, 0) * self.rest_rate_vnd
            return copies * min(first + rest, self.cap_per_copy_vnd)
        if self.kind == "free_within_days":
            event = parse_form_date(values.get(self.date_field, ""))
            if event is None or (on - event).days <= self.days:
                return 0
            return self.amount_after_vnd
        return 0

    @property
    def base_vnd(self) -> int:
        """The usual fee (online channel, one page, on time), shown in lists."""
        if self.kind == "fixed":
            return self.amount_vnd
        if self.kind == "by_channel":
            return self.online_vnd
        if self.kind == "per_page":
            return min(self.first_rate_vnd, self.cap_per_copy_vnd)
        return 0


def _positive_int(value: str, default: int) -> int:
    return int(value) if value.strip().isdigit() and int(value) > 0 else default


@dataclass(frozen=True)
class SameDayRule:
    """Same-day procedures: received before `cutoff` → result the same working day, after it →
    the next working day (docs/domain.md §6; Decree 61/2018/NĐ-CP art. 19)."""

    cutoff: time


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure, loaded from the catalogue."""

    code: str
    name: str  # Vietnamese name
    authority: str
    fee: FeeRule
    processing_days: int  # legal time in working days (0: same day)
    documents: tuple[DocumentSpec, ...] = ()
    fields: tuple[FormField, ...] = ()
    receipt_form: str = "01"  # "01" (Mẫu 01) or "CT04" (residence)
    eligibility: str = ""
    online: str = "full"  # full | partial | none (toàn trình / một phần / at the counter only)
    same_day: SameDayRule | None = None  # with processing_days 0
    extended_days: int = 0  # longer legal time when checks are needed (marriage: 5)
    processing_uncertain: bool = False
    plain_name: str = ""  # what people call it, for the list ("" : the official name)
    pictogram: str = "document"  # the procedure's own picture on the list
    who_comes: str = ""  # who must come in person
    counter_reason: str = ""  # why it is done at the counter ("": at the kiosk), docs/domain.md §6

    @property
    def display_name(self) -> str:
        return self.plain_name or self.name

    @property
    def at_counter(self) -> bool:
        return bool(self.counter_reason)

    @property
    def fee_vnd(self) -> int:
        """The usual fee, for lists and the fee screen (the dossier's own: `fee.amount`)."""
        return self.fee.base_vnd

    @property
    def document_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.documents)

    def due_at(self, received_at: datetime, working_days: WorkingDays) -> datetime:
        """When the result is due: the legal time in working days, or the same-day rule."""
        if self.same_day is None:
            return working_days.add(received_at, self.processing_days)
        local = received_at.astimezone(VIETNAM) if received_at.tzinfo else received_at
        if local.time() < self.same_day.cutoff:  # the same working day (a day off: the next)
            return working_days.add(received_at, 0)
        # After the cutoff, also after closing: the working day after the reception day. (Adding
        # one working day to a reception after closing counted from the next opening, a day late.)
        next_day = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
        return working_days.add(next_day, 0)


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
    fee_vnd: int  # the dossier's own fee, as stored (its answers priced: docs/domain.md §6)


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
    payee: str = ""  # the account holder the citizen's bank app shows (the office)
    account: str = ""  # the fee account number
    counter: str = ""  # where to pay in cash (the office's counter)


class WorkingDays(Protocol):
    def add(self, start: datetime, days: int) -> datetime: ...


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day` (a birthday counts from the day itself)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
