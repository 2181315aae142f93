"""The QPrinter adapter, printing to a PDF file through Qt (offscreen)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from devices.printer.base import PrintJob
from devices.printer.errors import PrinterError, PrinterOffline
from printing.receipt import receipt_pdf
from printing.samples import sample_receipt
from printing.slip import receipt_slip
from tests.printing.pdf_tools import decode_qr_codes_zxing, needs_poppler, page_count, render_page
from ui.system_printer import SystemPrinter


def _slip_png() -> bytes:
    buffer = io.BytesIO()
    receipt_slip(sample_receipt()).image.save(buffer, format="PNG")
    return buffer.getvalue()


@needs_poppler
def test_a4_receipt_prints_both_copies_with_a_readable_qr(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    job = PrintJob("000.00.12.H56-250815-0007", pdf=receipt_pdf(sample_receipt()), png=_slip_png())
    result = SystemPrinter(output_pdf=out, dpi=200).print_job(job)
    printed = out.read_bytes()
    assert result.where == str(out)
    assert page_count(printed) == 2
    assert "000.00.12.H56-250815-0007" in decode_qr_codes_zxing(render_page(printed, 2, dpi=150))


@needs_poppler
def test_a_job_with_only_the_slip_prints_the_slip(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    SystemPrinter(output_pdf=out).print_job(PrintJob("x", png=_slip_png()))
    assert page_count(out.read_bytes()) == 1


def test_a_job_with_nothing_printable_is_refused(qapp: object, tmp_path: Path) -> None:
    with pytest.raises(PrinterError):
        SystemPrinter(output_pdf=tmp_path / "x.pdf").print_job(PrintJob("x", escpos=b"\x1b@"))


def test_an_unknown_printer_name_is_offline(qapp: object) -> None:
    with pytest.raises(PrinterOffline):
        SystemPrinter(name="No Such Printer 123").print_job(PrintJob("x", png=_slip_png()))
