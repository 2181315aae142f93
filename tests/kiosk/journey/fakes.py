"""Test doubles of the services (tests only): deterministic, instant, recording what they got."""

from __future__ import annotations

from datetime import datetime

from kiosk.identity import CitizenIdentity
from kiosk.services.protocols import (
    Attachment,
    DossierDraft,
    DossierStatus,
    FaceResult,
    FeeRequest,
    Procedure,
    Progress,
    Services,
    SubmitResult,
)
from kiosk.services.unavailable import UnavailableQr
from tests.sample_session import BIRTH, RESIDENCE, sample_identity


class FakeQr:
    def scan_card_qr(self, timeout_s: float, progress: Progress) -> str:
        return "001095012345|123456789|Nguyễn Văn An|17031955|Nam|Thôn 1|20052021"


class FakeCard:
    def __init__(self) -> None:
        self.identities: list[CitizenIdentity] = []

    def wait_for_card(self, timeout_s: float) -> bool:
        return True

    def read_identity(self, qr_text: str | None, progress: Progress) -> CitizenIdentity:
        identity = sample_identity()
        self.identities.append(identity)
        return identity

    def card_present(self) -> bool:
        return True


class FakeFace:
    def __init__(self, results: list[bool] | None = None) -> None:
        self.results = list(results or [])

    def verify(self, chip_photo: bytes, progress: Progress) -> FaceResult:
        match = self.results.pop(0) if self.results else True
        return FaceResult(match, 0.9 if match else 0.2, 0.5, True)


class FakeDossiers:
    def __init__(self) -> None:
        self.submitted: list[DossierDraft] = []

    def procedures(self) -> list[Procedure]:
        return [RESIDENCE, BIRTH]

    def prefill(self, procedure: Procedure, identity: CitizenIdentity) -> DossierDraft:
        return DossierDraft(procedure, {f.key: "x" for f in procedure.fields})

    def capture_document(
        self, draft: DossierDraft, document: str, progress: Progress
    ) -> Attachment:
        return Attachment(document, "image/jpeg", b"\xff\xd8")

    def submit(self, draft: DossierDraft, identity: CitizenIdentity) -> SubmitResult:
        self.submitted.append(draft)
        now = datetime(2026, 4, 23, 9, 30)
        return SubmitResult("KIOSK-1", "000.00.12.H56-260423-0001", now, now, False)


class FakeStatus:
    def lookup(self, identity: CitizenIdentity) -> list[DossierStatus]:
        return [DossierStatus("A", "Đăng ký khai sinh", "Đã có kết quả", None)]


class FakeAccounts:
    def request_otp(self, identity: CitizenIdentity, phone: str) -> None:
        pass

    def verify_otp(self, identity: CitizenIdentity, phone: str, otp: str) -> str:
        if otp != "123456":
            from kiosk.services.protocols import ServiceError

            raise ServiceError("wrong otp", code="otp_wrong")
        return identity.id_number


class FakePayments:
    def request(self, procedure: Procedure, reference: str) -> FeeRequest:
        return FeeRequest(procedure.fee_vnd, "payload", reference)

    def is_paid(self, request: FeeRequest) -> bool:
        return True


class FakePrinter:
    def print_receipt(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> str:
        return "/tmp/receipt.pdf"


def fake_services(face: FakeFace | None = None) -> Services:
    return Services(
        qr=FakeQr(),
        card=FakeCard(),
        face=face or FakeFace(),
        dossiers=FakeDossiers(),
        status=FakeStatus(),
        accounts=FakeAccounts(),
        payments=FakePayments(),
        printer=FakePrinter(),
    )


__all__ = ["UnavailableQr", "fake_services"]
