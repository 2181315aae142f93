"""The contract between the journey engine and the services behind each step.

Every method may block (chip read, face match, HTTP): the engine's runner calls it off the GUI
thread. Failures are raised as `ServiceError` subclasses (`kiosk.domain.model`) carrying an error
code; the text catalogue maps a code to a citizen text, a staff text and a remedy. A service
whose real implementation is not built yet raises `NotBuilt`: the journey then says "a staff
member will help you" and `kiosk simulate` reports the step as not built, never passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    Attachment,
    DossierDraft,
    DossierStatus,
    FaceResult,
    FeeRequest,
    Procedure,
    Progress,
    SubmitResult,
)

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


class FaceVerifier(Protocol):
    def verify(self, chip_photo: bytes, progress: Progress) -> FaceResult:
        """Match the person at the camera (with a liveness challenge) against the chip photo."""


# --- procedures and dossiers ------------------------------------------------------------------


class DossierService(Protocol):
    def procedures(self) -> list[Procedure]: ...

    def prefill(self, procedure: Procedure, identity: CitizenIdentity) -> DossierDraft: ...

    def capture_document(
        self, draft: DossierDraft, document: str, progress: Progress
    ) -> Attachment:
        """Photograph one paper with the camera (edges found, flattened, enhanced)."""

    def submit(self, draft: DossierDraft, identity: CitizenIdentity) -> SubmitResult:
        """Commit locally with the outbox entry (one transaction), then try to send."""

    def fee_for(self, draft: DossierDraft) -> int:
        """The fee this draft's answers cost (the one `submit` stores), in đồng."""


class StatusService(Protocol):
    def lookup(self, identity: CitizenIdentity) -> list[DossierStatus]: ...


# --- account ----------------------------------------------------------------------------------


class AccountService(Protocol):
    def request_otp(self, identity: CitizenIdentity, phone: str) -> None: ...

    def verify_otp(self, identity: CitizenIdentity, phone: str, otp: str) -> str:
        """The new account's username (the ID number, shown masked)."""


# --- fee and printing -------------------------------------------------------------------------


class PaymentService(Protocol):
    def request(self, amount_vnd: int, reference: str) -> FeeRequest:
        """The fee `amount_vnd` (the dossier's, `SubmitResult.fee_vnd`) to pay for `reference`."""

    def is_paid(self, request: FeeRequest) -> bool: ...


@dataclass(frozen=True)
class CounterTicket:
    number: str  # "007": the day's queue number, shown large
    printed: bool  # the slip came out of the printer
    staff_told: bool  # a help request tells the officer someone waits


class CounterTickets(Protocol):
    def issue(self, procedure: Procedure) -> CounterTicket:
        """The next queue number of the day (kept across restarts), printed, and staff told."""


class ReceiptPrinter(Protocol):
    def print_receipt(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> str:
        """Print the receipt and slip; returns where it went (file path, printer name)."""


@dataclass
class Services:
    """What the journey's steps call; the composition root (`kiosk.runtime`) builds it for a
    configuration. What the screens and staff tools use beside it is on the `Runtime`."""

    qr: QrScanner
    card: CardReader
    face: FaceVerifier
    dossiers: DossierService
    status: StatusService
    accounts: AccountService
    payments: PaymentService
    printer: ReceiptPrinter
    tickets: CounterTickets
