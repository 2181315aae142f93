"""The kiosk's ReceiptPrinter: receipt data from the journey, printing through the queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devices.printer.base import Printer, PrintJob, PrintResult
from devices.printer.errors import PaperOut, PrinterError
from devices.printer.folder import FolderPrinter
from devices.printer.queue import PENDING, PRINTED, PrintQueue
from kiosk.config import KioskConfig
from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.sealer import Sealer
from kiosk.domain import vietqr
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import DocumentSpec, DossierDraft, FeeRule, Procedure, SubmitResult
from kiosk.services.payment import VietQrPaymentService
from kiosk.services.printing import (
    KioskReceiptPrinter,
    PrintJobUnreadable,
    ReceiptNotPrinted,
    place_name,
)
from kiosk.texts import errors

PROCEDURE = Procedure(
    "1.001", "Cấp bản sao trích lục khai sinh", "UBND xã", FeeRule("fixed", amount_vnd=8000), 1,
    documents=(DocumentSpec("to_khai", "Tờ khai cấp bản sao trích lục hộ tịch", source="form"),),
)  # fmt: skip
RESIDENCE = Procedure(
    "2.001", "Đăng ký thường trú", "Công an xã", FeeRule("fixed", amount_vnd=20000), 7,
    receipt_form="CT04",
)  # fmt: skip
IDENTITY = CitizenIdentity("001095012345", "Nguyễn Thị Hằng", None, place_of_residence="Thôn Đông")
RESULT = SubmitResult(
    kiosk_reference="K-000.00.12.H56-250815-0007",
    portal_code="000.00.12.H56-250815-0007",
    received_at=datetime(2025, 8, 15, 2, 30, tzinfo=UTC),  # 09:30 in Hà Nội
    due_at=datetime(2025, 8, 18, 2, 30, tzinfo=UTC),
    queued_offline=False,
    fee_vnd=8000,
)


class _Recorder:
    formats = frozenset({"pdf", "png", "escpos"})

    def __init__(self, error: PrinterError | None = None) -> None:
        self.error = error
        self.jobs: list[PrintJob] = []

    def print_job(self, job: PrintJob) -> PrintResult:
        if self.error is not None:
            raise self.error
        self.jobs.append(job)
        return PrintResult("recorder")


def _sealer(tmp_path: Path) -> Sealer:
    return Sealer(open_keyring("file", tmp_path / "k" / "m.key", tmp_path / "k" / "ring.json"))


def _queue(tmp_path: Path) -> PrintQueue:
    return PrintQueue(tmp_path / "queue", _sealer(tmp_path))


def _printer(tmp_path: Path, printer: Printer, paid: bool = False) -> KioskReceiptPrinter:
    payments = VietQrPaymentService("970415", "KIOSKDEMO0001", lambda _ref: paid)
    return KioskReceiptPrinter(
        KioskConfig().office,
        printer,
        _queue(tmp_path),
        payments=payments,  # type: ignore[arg-type]
    )


def test_receipt_data_comes_from_draft_identity_and_result(tmp_path: Path) -> None:
    draft = DossierDraft(PROCEDURE, {"phone": "0912345678"})
    data = _printer(tmp_path, _Recorder()).receipt_data(draft, IDENTITY, RESULT)
    assert data.dossier_code == "000.00.12.H56-250815-0007" and not data.kiosk_reference
    assert (data.citizen_name, data.address, data.phone) == (
        "Nguyễn Thị Hằng",
        "Thôn Đông",
        "09******78",
    )
    assert data.id_number == "001******345"  # Mẫu 01: masked
    assert data.received_at == datetime(2025, 8, 15, 9, 30, tzinfo=data.received_at.tzinfo)
    assert data.place == "Demo"


def test_unpaid_fee_prints_a_vietqr_for_the_dossier(tmp_path: Path) -> None:
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    assert not data.fee_paid
    assert vietqr.parse(data.vietqr_payload).amount == 8000


def test_the_receipt_prints_the_dossiers_own_fee_not_the_list_fee(tmp_path: Path) -> None:
    priced = replace(RESULT, fee_vnd=16000)  # two copies: the stored dossier's fee
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, priced)
    assert data.fee_vnd == 16000 and vietqr.parse(data.vietqr_payload).amount == 16000


def test_a_dossier_free_by_its_answers_prints_no_fee_to_pay(tmp_path: Path) -> None:
    free = replace(RESULT, fee_vnd=0)
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, free)
    assert (data.fee_vnd, data.vietqr_payload) == (0, "")
    assert not any("Nộp phí" in step for step in data.next_steps)


def test_paid_fee_prints_no_vietqr(tmp_path: Path) -> None:
    data = _printer(tmp_path, _Recorder(), paid=True).receipt_data(
        DossierDraft(PROCEDURE), IDENTITY, RESULT
    )
    assert data.fee_paid and data.vietqr_payload == ""


def test_without_a_portal_code_the_kiosk_reference_is_printed_as_such(tmp_path: Path) -> None:
    offline = replace(RESULT, portal_code=None, queued_offline=True)
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, offline)
    assert data.dossier_code == "K-000.00.12.H56-250815-0007" and data.kiosk_reference


def test_ct04_masks_the_id_number_as_mau_01_does(tmp_path: Path) -> None:
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(RESIDENCE), IDENTITY, RESULT)
    assert (data.form, data.id_number) == ("CT04", "001******345")


def test_a_residence_receipt_is_headed_by_the_commune_police(tmp_path: Path) -> None:
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(RESIDENCE), IDENTITY, RESULT)
    assert (data.office_name, data.unit, data.result_place) == ("Công an xã Demo",) * 3


def test_a_civil_status_receipt_is_headed_by_the_configured_peoples_committee(
    tmp_path: Path,
) -> None:
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    assert (data.office_name, data.unit) == ("UBND xã Demo", "Bộ phận Một cửa UBND xã Demo")


@pytest.mark.parametrize(
    ("authority", "agency"),
    [  # the nine-procedure catalogue's authorities (kiosk/domain/data/procedures.json)
        ("Ủy ban nhân dân cấp xã", "UBND xã Demo"),
        ("Công an cấp xã", "Công an xã Demo"),
        ("Phòng Cảnh sát giao thông Công an tỉnh", "Phòng Cảnh sát giao thông Công an tỉnh Demo"),
    ],
)
def test_each_catalogue_authority_names_its_agency_for_the_office(
    authority: str, agency: str
) -> None:
    from kiosk.services.printing import receiving_agency

    assert receiving_agency(authority, KioskConfig().office) == agency


def test_the_kiosk_is_never_named_in_the_officers_signature_place(tmp_path: Path) -> None:
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    assert data.receiver == ""
    assert "Ki-ốt" in data.channel


def test_the_unpaid_fee_names_who_it_pays(tmp_path: Path) -> None:
    data = _printer(tmp_path, _Recorder()).receipt_data(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    assert data.fee_payee == "UBND xã Demo, tài khoản KIOSKDEMO0001"


def test_print_receipt_sends_pdf_png_and_escpos_and_keeps_the_job(tmp_path: Path) -> None:
    recorder = _Recorder()
    where = _printer(tmp_path, recorder).print_receipt(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    assert where == "recorder"
    [job] = recorder.jobs
    assert job.pdf and job.pdf.startswith(b"%PDF") and job.png and job.escpos
    assert [j.state for j in _queue(tmp_path).jobs()] == [PRINTED]


def test_folder_printer_gets_only_files(tmp_path: Path) -> None:
    where = _printer(tmp_path, FolderPrinter(tmp_path / "prints")).print_receipt(
        DossierDraft(PROCEDURE), IDENTITY, RESULT
    )
    assert Path(where).read_bytes().startswith(b"%PDF")


def test_paper_out_keeps_the_job_pending_and_raises_with_the_printer_code(tmp_path: Path) -> None:
    receipts = _printer(tmp_path, _Recorder(PaperOut()))
    with pytest.raises(ReceiptNotPrinted) as raised:
        receipts.print_receipt(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    assert raised.value.code == "printer_paper_out"
    assert raised.value.dossier_code == "000.00.12.H56-250815-0007"
    assert [j.state for j in receipts.pending()] == [PENDING]


def test_staff_reprint_after_paper_is_loaded_prints_the_kept_job(tmp_path: Path) -> None:
    recorder = _Recorder(PaperOut())
    receipts = _printer(tmp_path, recorder)
    with pytest.raises(ReceiptNotPrinted) as raised:
        receipts.print_receipt(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    recorder.error = None
    assert receipts.reprint(raised.value.job_id) == "recorder"
    assert receipts.pending() == []
    assert recorder.jobs[0].name == "000.00.12.H56-250815-0007"


def test_the_kept_receipt_is_sealed_and_a_reopened_queue_reprints_it(tmp_path: Path) -> None:
    recorder = _Recorder(PaperOut())
    with pytest.raises(ReceiptNotPrinted) as raised:
        _printer(tmp_path, recorder).print_receipt(DossierDraft(RESIDENCE), IDENTITY, RESULT)
    folder = tmp_path / "queue" / raised.value.job_id
    for path in folder.iterdir():
        assert path.name == "job.json" or path.read_bytes().startswith(b"MCK1"), path.name
    recorder.error = None
    again = _printer(tmp_path, recorder)  # e.g. after a restart: same keyring, new objects
    assert again.reprint(raised.value.job_id) == "recorder"
    [job] = recorder.jobs
    assert job.pdf and job.pdf.startswith(b"%PDF") and job.png and job.escpos


def test_a_tampered_kept_receipt_is_refused_with_a_typed_error(tmp_path: Path) -> None:
    receipts = _printer(tmp_path, _Recorder())
    receipts.print_receipt(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    [info] = receipts.queue.jobs()
    sealed = tmp_path / "queue" / info.job_id / "job.pdf.sealed"
    blob = bytearray(sealed.read_bytes())
    blob[-1] ^= 1
    sealed.write_bytes(bytes(blob))
    with pytest.raises(PrintJobUnreadable) as raised:
        receipts.reprint(info.job_id)
    assert raised.value.code == "print_job_unreadable"
    assert errors.lookup("print_job_unreadable").citizen != errors.lookup("internal").citizen


def test_every_printer_error_code_has_citizen_and_staff_texts() -> None:
    from devices.printer import errors as printer_errors

    codes = {
        cls.code for cls in vars(printer_errors).values()
        if isinstance(cls, type) and issubclass(cls, printer_errors.PrinterError)
    }  # fmt: skip
    assert codes <= set(errors.codes())
    for code in codes:
        text = errors.lookup(code)
        assert text.citizen and text.remedy and text.staff


@pytest.mark.parametrize(
    ("address", "place"),
    [("Xã Demo, Tỉnh Demo", "Demo"), ("Phường Bến Nghé, TP. Hồ Chí Minh", "Bến Nghé"),
     ("Thị trấn Phong Điền", "Phong Điền")],
)  # fmt: skip
def test_place_name_drops_the_unit_word(address: str, place: str) -> None:
    assert place_name(address) == place


def test_a_receipt_job_is_tagged_with_the_citizens_keyed_id_hash(tmp_path: Path) -> None:
    sealer = _sealer(tmp_path)
    queue = PrintQueue(tmp_path / "queue", sealer)
    printer = KioskReceiptPrinter(
        KioskConfig().office, _Recorder(), queue, citizen_tag=sealer.lookup_hash
    )
    printer.print_receipt(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    tagged = queue.jobs_of(sealer.lookup_hash(IDENTITY.id_number))
    assert [queue.info(job_id).name for job_id in tagged] == [RESULT.portal_code]
    assert IDENTITY.id_number not in (queue.root / tagged[0] / "job.json").read_text()


def test_reprinting_a_forgotten_citizens_receipt_is_refused_with_its_code(tmp_path: Path) -> None:
    printer = _printer(tmp_path, _Recorder())
    printer.print_receipt(DossierDraft(PROCEDURE), IDENTITY, RESULT)
    job_id = printer.queue.jobs()[0].job_id
    printer.queue.forget([job_id])
    with pytest.raises(ReceiptNotPrinted) as raised:
        printer.reprint(job_id)
    assert raised.value.code == "print_job_forgotten"
