"""`ReceiptPrinter` for the journey: the A4 receipt and the thermal slip, through the print queue.

Wiring:

    printer = printer_for(config.devices.printer, config.print_dir)  # system: the UI's Qt printer
    receipts = KioskReceiptPrinter(config.office, printer, print_queue_for(data_dir, sealer),
                                   payments=payments,   # the PaymentService, for fee and VietQR
                                   citizen_tag=sealer.lookup_hash)  # so forgetting finds jobs

Every job is kept in the queue first (`<data_dir>/print_queue`, see `devices.printer.queue`), its
renderings sealed with the kiosk's `Sealer` (they show the citizen's name, address and ID number),
then sent. When the printer fails (paper out, cover open, offline) the job stays pending and
`print_receipt` raises `ReceiptNotPrinted` with the printer's error code: the journey shows the
citizen the dossier code and asks them to see staff; staff reprint from the queue (`reprint`,
`pending`). The daily retention purge removes printed jobs after `[security] print_queue_days`.

The demo's folder printer (`[devices] printer = "pdf:"`) writes the paper: its PDF/PNG files in
`<data_dir>/prints` are what a real printer would hand the citizen, so they are not sealed; in
demo mode they show the simulated card's fictional citizens. The same purge deletes them after
`print_queue_days`, so a `pdf:` printer outside demo mode does not keep receipts for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from devices.printer.base import ESCPOS, PDF, PNG, Printer, PrinterSetup, PrintJob
from devices.printer.errors import PrinterError, SystemPrinterUnavailable
from devices.printer.queue import JobSealer, PrintQueue, QueuedJob
from kiosk.config import OfficeConfig
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.forms import mask_phone
from kiosk.domain.identity import CitizenIdentity, mask_id
from kiosk.domain.model import DossierDraft, NotBuilt, ServiceError, SubmitResult
from kiosk.services.interfaces import PaymentService
from printing.model import FORM_CT04, OfflineSlip, ReceiptData
from printing.wording import agency_name

log = logging.getLogger(__name__)


class ReceiptNotPrinted(ServiceError):
    """The receipt is kept in the print queue; the printer's error code says why it did not
    print."""

    def __init__(self, error: PrinterError, dossier_code: str, job_id: str) -> None:
        super().__init__(f"receipt {dossier_code} not printed: {error}", code=error.code)
        self.dossier_code = dossier_code
        self.job_id = job_id


class PrintJobUnreadable(ServiceError):
    """A kept job's sealed renderings do not open (changed file, lost keyring)."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"print job {job_id} cannot be opened", code="print_job_unreadable")
        self.job_id = job_id


def printer_for(spec: str, print_dir: Path) -> Printer:
    """The printer `[devices] printer` (`spec`) names, except `system` (a Qt adapter the UI
    provides); a `pdf:` printer with no folder of its own writes to `print_dir`."""
    from devices.printer.registry import open_printer

    try:
        return open_printer(spec, PrinterSetup(default_folder=print_dir))
    except SystemPrinterUnavailable as exc:
        raise NotBuilt(f"system printer: {exc}") from None


def place_name(address: str) -> str:
    """`Xã Demo, Tỉnh Demo` → `Demo`: the locality written before ", ngày … tháng … năm …"."""
    first = address.split(",")[0].strip()
    for prefix in ("Thị trấn ", "Phường ", "Xã ", "thị trấn ", "phường ", "xã "):
        if first.startswith(prefix):
            return first[len(prefix) :]
    return first


def office_area(address: str) -> tuple[str, str]:
    """`Xã Demo, Tỉnh Demo` → (`xã Demo`, `tỉnh Demo`): the commune and the province as written
    inside an agency's name."""
    parts = [part.strip() for part in address.split(",") if part.strip()]

    def lower_first(part: str) -> str:
        return part[:1].lower() + part[1:]

    return (lower_first(parts[0]) if parts else "", lower_first(parts[-1]) if parts else "")


def receiving_agency(authority: str, office: OfficeConfig) -> str:
    """The agency that heads the receipt: the procedure's catalogue `authority` for this office
    (the commune police for residence, docs/domain.md §7); the configured office name for the
    commune People's Committee."""
    if not authority.strip() or authority.strip().startswith(("Ủy ban nhân dân", "UBND")):
        return office.name
    return agency_name(authority, *office_area(office.address))


def _local(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM) if moment.tzinfo is not None else moment


class KioskReceiptPrinter:
    """Renders and prints receipts; keeps every job so staff can reprint any of them."""

    def __init__(
        self,
        office: OfficeConfig,
        printer: Printer,
        queue: PrintQueue,
        *,
        payments: PaymentService | None = None,
        kiosk_name: str = "Ki-ốt tự phục vụ",
        citizen_tag: Callable[[str], str] | None = None,
    ) -> None:
        self.office = office
        self.printer = printer
        self.queue = queue
        self.payments = payments
        self.kiosk_name = kiosk_name
        # ID number → the keyed ID hash dossiers use (`Sealer.lookup_hash`): tags each job so
        # that forgetting the citizen finds it, without the ID in the queue
        self.citizen_tag = citizen_tag

    def receipt_data(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> ReceiptData:
        office = self.office
        procedure = draft.procedure
        code = result.portal_code or result.kiosk_reference
        fee = result.fee_vnd  # the dossier's own fee, as stored: the one the citizen was told
        fee_paid, vietqr = False, ""
        if fee > 0 and self.payments is not None:
            request = self.payments.request(fee, code)
            fee_paid = self.payments.is_paid(request)
            vietqr = "" if fee_paid else request.vietqr_payload
        ct04 = procedure.receipt_form == FORM_CT04
        agency = receiving_agency(procedure.authority, office)
        one_stop = f"Bộ phận Một cửa {office.name}"
        values = draft.values
        return ReceiptData(
            office_name=agency,
            unit=agency if ct04 else one_stop,
            place=place_name(office.address),
            dossier_code=code,
            kiosk_reference=result.portal_code is None,
            citizen_name=identity.full_name,
            address=values.get("address") or identity.place_of_residence,
            phone=mask_phone(values.get("phone", "")),
            email=values.get("email", ""),
            request=procedure.name,
            documents=procedure.document_names or tuple(a.name for a in draft.attachments),
            sets=1,
            processing_days=procedure.processing_days,
            received_at=_local(result.received_at),
            due_at=_local(result.due_at),
            result_place=agency if ct04 else one_stop,
            fee_vnd=fee,
            fee_paid=fee_paid,
            # Masked on both forms alike: the paper travels; the officer reads the chip's number
            # from the dossier (docs/domain.md §7).
            id_number=mask_id(identity.id_number),
            vietqr_payload=vietqr,
            fee_payee=f"{office.name}, tài khoản {office.fee_account}" if vietqr else "",
            form=procedure.receipt_form,
            channel=f"Nộp qua {self.kiosk_name} (cán bộ ký xác nhận khi tiếp nhận)",
            next_steps=_next_steps(fee > 0 and not fee_paid),
        )

    def render(self, data: ReceiptData, offline: bool = False) -> PrintJob:
        """The job in the forms this printer takes (A4 PDF, slip PNG, slip ESC/POS)."""
        formats = self.printer.formats
        pdf = png = escpos = None
        if PDF in formats:
            from printing.receipt import receipt_pdf

            pdf = receipt_pdf(data)
        if PNG in formats or ESCPOS in formats:
            import io

            from printing import slip as slips

            now = datetime.now(VIETNAM).replace(tzinfo=None)
            if offline:
                slip = slips.offline_slip(
                    OfflineSlip(
                        data.office_name,
                        data.dossier_code,
                        data.request,
                        data.received_at,
                        data.due_at,
                        data.lookup_payload,
                    ),
                    printed_at=now,
                )
            else:
                slip = slips.receipt_slip(data, printed_at=now)
            if PNG in formats:
                buffer = io.BytesIO()
                slip.image.save(buffer, format="PNG", optimize=False)
                png = buffer.getvalue()
            if ESCPOS in formats:
                from printing.escpos import encode

                escpos = encode(slip.image)
        return PrintJob(data.dossier_code, "receipt", pdf=pdf, png=png, escpos=escpos)

    def print_receipt(
        self, draft: DossierDraft, identity: CitizenIdentity, result: SubmitResult
    ) -> str:
        data = self.receipt_data(draft, identity, result)
        tag = self.citizen_tag(identity.id_number) if self.citizen_tag else ""
        job_id = self.queue.add(self.render(data, offline=result.queued_offline), citizen=tag)
        try:
            printed = self.queue.send(job_id, self.printer)
        except PrinterError as exc:
            log.warning("receipt job %s kept for reprint: %s", job_id, exc.code)
            raise ReceiptNotPrinted(exc, data.dossier_code, job_id) from exc
        if printed.paper_near_end:
            log.warning("printer paper near end")
        return printed.where

    # --- staff ------------------------------------------------------------------------------

    def pending(self) -> list[QueuedJob]:
        return self.queue.pending()

    def recent(self, limit: int = 3) -> list[QueuedJob]:
        """The last `limit` receipts kept (printed or not), newest first: what the staff panel
        offers to reprint. States and times only: nothing is opened."""
        receipts = [job for job in self.queue.jobs() if job.kind == "receipt"]
        return sorted(receipts, key=lambda job: job.created_at, reverse=True)[:limit]

    def reprint(self, job_id: str) -> str:
        """Print a kept job again (pending or already printed); raises `ReceiptNotPrinted`
        (code `print_job_forgotten` when its citizen was forgotten), `PrintJobUnreadable`, or
        `devices.printer.queue.UnknownJob`."""
        from kiosk.crypto import SealError

        try:
            return self.queue.send(job_id, self.printer).where
        except PrinterError as exc:
            raise ReceiptNotPrinted(exc, self.queue.info(job_id).name, job_id) from exc
        except SealError:
            raise PrintJobUnreadable(job_id) from None


def _next_steps(fee_due: bool) -> tuple[str, ...]:
    steps = []
    if fee_due:
        steps.append("Nộp phí bằng mã VietQR trên giấy hẹn hoặc tại quầy.")
    steps.append("Mang giấy hẹn và thẻ căn cước khi đến nhận kết quả.")
    steps.append("Tra cứu tình trạng hồ sơ: quét mã QR trên giấy này.")
    return tuple(steps)


class SealerOnFirstUse:
    """A Sealer opened only when a job is sealed or opened: listing the queue (staff, the daily
    report) reads states and times alone and needs no keys."""

    def __init__(self, open_sealer: Callable[[], JobSealer]) -> None:
        self._open_sealer = open_sealer
        self._sealer: JobSealer | None = None

    def _get(self) -> JobSealer:
        if self._sealer is None:
            self._sealer = self._open_sealer()
        return self._sealer

    def seal(self, data: bytes, aad: bytes) -> bytes:
        return self._get().seal(data, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        return self._get().open(blob, aad)


def print_queue_for(data_dir: Path, sealer: JobSealer) -> PrintQueue:
    """The kiosk's print queue in `<data_dir>/print_queue`, sealing with `sealer` (the kiosk's,
    or a `SealerOnFirstUse`). Renderings an older queue left in plain files are sealed."""
    queue = PrintQueue(Path(data_dir) / "print_queue", sealer)
    sealed = queue.seal_plain_files()
    if sealed:
        log.info("print queue: sealed %d file(s) kept in plain text before", sealed)
    return queue
