"""The contract between the journey engine and the services behind each step.

Every method may block (chip read, face match, HTTP): the engine's runner calls it off the GUI
thread. Failures are raised as `ServiceError` subclasses carrying an error code from
`kiosk.errors` (the catalogue maps a code to a citizen text, a staff text and a remedy).
A service whose real implementation is not built yet raises `NotBuilt`: the journey then says
"a staff member will help you" and `kiosk simulate` reports the step as not built, never passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from kiosk.identity import CitizenIdentity

Progress = Callable[[float, str], None]  # (fraction 0..1, short status key) for the UI


class ServiceError(Exception):
    """A step could not finish. `code` is a key of `kiosk.errors.CATALOGUE`."""

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


# --- identity ---------------------------------------------------------------------------------


class QrScanner(Protocol):
    def scan_card_qr(self, timeout_s: float, progress: Progress) -> str:
        """Raw text of the QR on the citizen's ID card, read by the camera."""


class CardReader(Protocol):
    def wait_for_card(self, timeout_s: float) -> bool:
        """True once a card is on the reader (False on timeout)."""

    def read_identity(self, qr_text: str | None, progress: Progress) -> CitizenIdentity:
        """Read and verify the chip. The access key (CAN / MRZ) comes from the QR text."""

    def card_present(self) -> bool: ...


@dataclass(frozen=True)
class FaceResult:
    match: bool
    score: float
    threshold: float
    live: bool
    reason: str = ""  # why not matched / not live (error-catalogue code)


class FaceVerifier(Protocol):
    def verify(self, chip_photo: bytes, progress: Progress) -> FaceResult:
        """Match the person at the camera (with a liveness challenge) against the chip photo."""


# --- procedures and dossiers ------------------------------------------------------------------


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


class DossierService(Protocol):
    def procedures(self) -> list[Procedure]: ...

    def prefill(self, procedure: Procedure, identity: CitizenIdentity) -> DossierDraft: ...

    def capture_document(
        self, draft: DossierDraft, document: str, progress: Progress
    ) -> Attachment:
        """Photograph one paper with the camera (edges found, flattened, enhanced)."""

    def submit(self, draft: DossierDraft, identity: CitizenIdentity) -> SubmitResult:
        """Commit locally with the outbox entry (one transaction), then try to send."""


@dataclass(frozen=True)
class DossierStatus:
    reference: str
    procedure_name: str
    status: str  # Vietnamese status text
    due_at: datetime | None


class StatusService(Protocol):
    def lookup(self, identity: CitizenIdentity) -> list[DossierStatus]: ...


# --- account ----------------------------------------------------------------------------------


class AccountService(Protocol):
    def request_otp(self, identity: CitizenIdentity, phone: str) -> None: ...

    def verify_otp(self, identity: CitizenIdentity, phone: str, otp: str) -> str:
        """The new account's username (the ID number, shown masked)."""


# --- fee and printing -------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeRequest:
    amount_vnd: int
    vietqr_payload: str  # EMVCo string for the QR on screen
    reference: str


class PaymentService(Protocol):
    def request(self, procedure: Procedure, reference: str) -> FeeRequest: ...

    def is_paid(self, request: FeeRequest) -> bool: ...


class ReceiptPrinter(Protocol):
    def print_receipt(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> str:
        """Print the receipt and slip; returns where it went (file path, printer name)."""


class WorkingDays(Protocol):
    def add(self, start: datetime, days: int) -> datetime: ...


@dataclass
class Services:
    """Everything the journey needs. `wiring.build_services` fills it for a configuration."""

    qr: QrScanner
    card: CardReader
    face: FaceVerifier
    dossiers: DossierService
    status: StatusService
    accounts: AccountService
    payments: PaymentService
    printer: ReceiptPrinter
    extras: dict[str, Any] = field(default_factory=dict)


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
