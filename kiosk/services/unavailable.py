"""Stand-ins for services whose real implementation is not wired in: every call raises
`NotBuilt`, so the journey hands over to staff and `kiosk simulate` reports the step as not built.
Nothing here pretends to succeed."""

from __future__ import annotations

from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    Attachment,
    DossierDraft,
    DossierStatus,
    FaceResult,
    FeeRequest,
    NotBuilt,
    Procedure,
    Progress,
    SubmitResult,
)


class UnavailableQr:
    def scan_card_qr(self, timeout_s: float, progress: Progress) -> str:
        raise NotBuilt("card QR scan")


class UnavailableCard:
    def wait_for_card(self, timeout_s: float) -> bool:
        raise NotBuilt("chip card reading")

    def read_identity(self, qr_text: str | None, progress: Progress) -> CitizenIdentity:
        raise NotBuilt("chip card reading")

    def card_present(self) -> bool:
        return False


class UnavailableFace:
    def verify(self, chip_photo: bytes, progress: Progress) -> FaceResult:
        raise NotBuilt("face verification")


class UnavailableDossiers:
    def procedures(self) -> list[Procedure]:
        raise NotBuilt("procedure catalogue")

    def prefill(self, procedure: Procedure, identity: CitizenIdentity) -> DossierDraft:
        raise NotBuilt("dossier forms")

    def capture_document(
        self, draft: DossierDraft, document: str, progress: Progress
    ) -> Attachment:
        raise NotBuilt("document capture")

    def submit(self, draft: DossierDraft, identity: CitizenIdentity) -> SubmitResult:
        raise NotBuilt("dossier submission")


class UnavailableStatus:
    def lookup(self, identity: CitizenIdentity) -> list[DossierStatus]:
        raise NotBuilt("dossier status lookup")


class UnavailableAccounts:
    def request_otp(self, identity: CitizenIdentity, phone: str) -> None:
        raise NotBuilt("account registration")

    def verify_otp(self, identity: CitizenIdentity, phone: str, otp: str) -> str:
        raise NotBuilt("account registration")


class UnavailablePayments:
    def request(self, procedure: Procedure, reference: str) -> FeeRequest:
        raise NotBuilt("VietQR fee payment")

    def is_paid(self, request: FeeRequest) -> bool:
        raise NotBuilt("VietQR fee payment")


class UnavailablePrinter:
    def print_receipt(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> str:
        raise NotBuilt("receipt printing")
