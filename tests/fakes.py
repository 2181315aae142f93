"""Test doubles of the services (tests only): instant, deterministic, following the protocols
of kiosk.services.interfaces, and recording what they were given."""

from __future__ import annotations

import threading
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    Attachment,
    DossierDraft,
    DossierStatus,
    FaceResult,
    FeeRequest,
    Procedure,
    Progress,
    ServiceError,
    SubmitResult,
)
from kiosk.services.interfaces import CounterTicket, Services
from tests.sample_session import BIRTH, RESIDENCE, sample_identity


class FakeQr:
    def scan_card_qr(self, timeout_s: float, progress: Progress) -> str:
        progress(0.5, "hold_still")
        return "001095012345|123456789|Nguyễn Văn An|17031955|Nam|Thôn 1|20052021"


class FakeCard:
    def __init__(self) -> None:
        self.present = True
        self.identities: list[CitizenIdentity] = []

    def wait_for_card(self, timeout_s: float) -> bool:
        return True

    def read_identity(self, qr_text: str | None, progress: Progress) -> CitizenIdentity:
        progress(0.5, "reading")
        identity = sample_identity()
        self.identities.append(identity)
        return identity

    def card_present(self) -> bool:
        return self.present


class FakeFace:
    def __init__(self, results: list[bool] | None = None) -> None:
        self.results = list(results or [])

    def verify(self, chip_photo: bytes, progress: Progress) -> FaceResult:
        progress(0.5, "blink")
        match = self.results.pop(0) if self.results else True
        return FaceResult(match, 0.9 if match else 0.2, 0.5, True)


class FakeDossiers:
    def __init__(self) -> None:
        self.submitted: list[DossierDraft] = []

    def procedures(self) -> list[Procedure]:
        return [RESIDENCE, BIRTH]

    def prefill(self, procedure: Procedure, identity: CitizenIdentity) -> DossierDraft:
        values = {
            "full_name": identity.full_name,
            "date_of_birth": "17/03/1955",
            "place_of_residence": identity.place_of_residence,
        }
        return DossierDraft(procedure, {f.key: values.get(f.key, "") for f in procedure.fields})

    def capture_document(
        self, draft: DossierDraft, document: str, progress: Progress
    ) -> Attachment:
        return Attachment(document, "image/jpeg", b"\xff\xd8")

    def submit(self, draft: DossierDraft, identity: CitizenIdentity) -> SubmitResult:
        self.submitted.append(DossierDraft(draft.procedure, dict(draft.values)))
        now = datetime(2026, 4, 23, 9, 30)
        fee = self.fee_for(draft)
        return SubmitResult("KIOSK-1", "000.00.12.H56-260423-0001", now, now, False, fee)

    def fee_for(self, draft: DossierDraft) -> int:
        return draft.procedure.fee.amount(draft.values, date(2026, 4, 23))


class FakeStatus:
    def lookup(self, identity: CitizenIdentity) -> list[DossierStatus]:
        return [DossierStatus("A", "Đăng ký khai sinh", "Đã có kết quả", None)]


class FakeAccounts:
    def __init__(self) -> None:
        self.phones: list[str] = []

    def request_otp(self, identity: CitizenIdentity, phone: str) -> None:
        self.phones.append(phone)

    def verify_otp(self, identity: CitizenIdentity, phone: str, otp: str) -> str:
        if otp != "123456":
            raise ServiceError("wrong otp", code="otp_invalid")
        return identity.id_number


class FakePayments:
    def __init__(self) -> None:
        self.requested: list[int] = []

    def request(self, amount_vnd: int, reference: str) -> FeeRequest:
        self.requested.append(amount_vnd)
        return FeeRequest(amount_vnd, "payload" if amount_vnd else "", reference)

    def is_paid(self, request: FeeRequest) -> bool:
        return True


class FakePrinter:
    def print_receipt(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> str:
        return "/tmp/receipt.pdf"


class FakeTickets:
    """Queue numbers from 1, printed when `printed`, staff told (records the procedures)."""

    def __init__(self, printed: bool = False) -> None:
        self.issued: list[str] = []
        self.printed = printed

    def issue(self, procedure: Procedure) -> CounterTicket:
        self.issued.append(procedure.code)
        return CounterTicket(f"{len(self.issued):03d}", printed=self.printed, staff_told=True)


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
        tickets=FakeTickets(),
    )


class ThreadRecording:
    """Stands in front of a service and records, for every method called, its name and the
    thread it ran on: to catch blocking work done on the thread that dispatches events."""

    def __init__(self, name: str, service: object, calls: list[tuple[str, int]]) -> None:
        self._name, self._service, self._calls = name, service, calls

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._service, attribute)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append((f"{self._name}.{attribute}", threading.get_ident()))
            return value(*args, **kwargs)

        return call


def services_recording_threads(calls: list[tuple[str, int]]) -> Services:
    """The fake services, each behind a `ThreadRecording` that appends to `calls`."""
    services = fake_services()
    for spec in fields(services):
        if spec.name != "extras":
            name = spec.name
            setattr(services, name, ThreadRecording(name, getattr(services, name), calls))
    return services
