"""The serial ESC/POS printer against a printer emulator on a pseudo-terminal."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from devices.printer.base import PrintJob
from devices.printer.errors import CoverOpen, PaperOut, PrinterError, PrinterOffline
from devices.printer.escpos_serial import EscPosSerialPrinter
from printing.escpos import encode
from printing.samples import sample_receipt
from printing.slip import receipt_slip
from tests.devices.printer.emulator import PrinterEmulator, PrinterState

SLIP = receipt_slip(sample_receipt())
JOB = PrintJob("000.00.12.H56-250815-0007", escpos=encode(SLIP.image))


@pytest.fixture
def emulator() -> Iterator[PrinterEmulator]:
    with PrinterEmulator() as emu:
        yield emu


def _printer(emu: PrinterEmulator, **kwargs: float) -> EscPosSerialPrinter:
    return EscPosSerialPrinter(emu.port, answer_timeout_s=0.3, settle_s=0.05, **kwargs)


def _settle(emu: PrinterEmulator, size: int) -> None:
    deadline = time.monotonic() + 3
    while len(emu.printout.job_bytes) < size and time.monotonic() < deadline:
        time.sleep(0.01)


def test_job_bytes_arrive_intact_and_print_the_same_raster(emulator: PrinterEmulator) -> None:
    result = _printer(emulator).print_job(JOB)
    assert JOB.escpos is not None
    _settle(emulator, len(JOB.escpos))
    assert bytes(emulator.printout.job_bytes) == JOB.escpos
    assert emulator.stitched().tobytes() == SLIP.image.tobytes()
    assert emulator.printout.cuts == 1
    assert result.where == f"escpos:{emulator.port}" and not result.paper_near_end


def test_status_is_asked_before_and_after_printing(emulator: PrinterEmulator) -> None:
    _printer(emulator).print_job(JOB)
    assert emulator.printout.status_queries == [1, 2, 3, 4, 1, 2, 3, 4]


def test_paper_out_refuses_the_job_before_sending_it(emulator: PrinterEmulator) -> None:
    emulator.state.paper_out = True
    with pytest.raises(PaperOut):
        _printer(emulator).print_job(JOB)
    assert emulator.printout.job_bytes == bytearray()


def test_cover_open_refuses_the_job(emulator: PrinterEmulator) -> None:
    emulator.state.cover_open = True
    with pytest.raises(CoverOpen):
        _printer(emulator).print_job(JOB)
    assert emulator.printout.images == []


def test_paper_running_out_mid_job_is_reported_after_printing() -> None:
    with (
        PrinterEmulator(PrinterState(paper_out_after_bytes=20_000)) as emu,
        pytest.raises(PaperOut, match="while printing"),
    ):
        _printer(emu).print_job(JOB)


def test_paper_near_end_prints_and_warns(emulator: PrinterEmulator) -> None:
    emulator.state.paper_near_end = True
    assert _printer(emulator).print_job(JOB).paper_near_end


def test_a_printer_that_does_not_answer_is_offline() -> None:
    with PrinterEmulator(PrinterState(silent=True)) as emu:
        with pytest.raises(PrinterOffline):
            _printer(emu).print_job(JOB)
        assert emu.printout.job_bytes == bytearray()


def test_a_missing_port_is_offline() -> None:
    with pytest.raises(PrinterOffline, match="cannot open"):
        EscPosSerialPrinter("/dev/nonexistent-printer").print_job(JOB)


def test_a_job_without_an_escpos_rendering_is_refused(emulator: PrinterEmulator) -> None:
    with pytest.raises(PrinterError):
        _printer(emulator).print_job(PrintJob("x", pdf=b"%PDF"))


def test_status_reports_the_emulated_state(emulator: PrinterEmulator) -> None:
    emulator.state.cover_open = True
    state = _printer(emulator).status()
    assert state.cover_open and not state.online and not state.paper_out
