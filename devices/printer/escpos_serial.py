"""An ESC/POS thermal printer on a serial port (pyserial): status before and after every job.

Before a job the printer is asked for its status (DLE EOT 1, 2, 3, 4); a printer with no paper,
an open cover or an error is not sent the job (`PaperOut`, `CoverOpen`, `PrinterFault`), and one
that does not answer is `PrinterOffline`. After the job is written the status is asked again: paper
that ran out mid-job raises `PaperOut` so the kiosk queues the job for reprinting.

Spec (`[devices] printer`): `escpos:PORT[@BAUD]`, e.g. `escpos:/dev/ttyS0` or `escpos:COM3@19200`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial

from devices.printer import status as escpos_status
from devices.printer.base import ESCPOS, PrinterSetup, PrintJob, PrintResult
from devices.printer.errors import CoverOpen, PaperOut, PrinterError, PrinterFault, PrinterOffline
from devices.probe import ProbeResult, ProbeState

log = logging.getLogger(__name__)

FORMS = ("escpos:PORT[@BAUD]",)
DEFAULT_BAUDRATE = 115200

Opener = Callable[..., Any]  # serial.serial_for_url-like: (url, **settings) -> port


class EscPosSerialPrinter:
    """Prints the ESC/POS rendering of a job to `port` (e.g. /dev/ttyUSB0, COM3)."""

    formats = frozenset({ESCPOS})

    def __init__(
        self,
        port: str,
        baudrate: int = DEFAULT_BAUDRATE,
        *,
        answer_timeout_s: float = 0.5,
        write_timeout_s: float = 20.0,
        settle_s: float = 0.3,
        opener: Opener = serial.serial_for_url,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.answer_timeout_s = answer_timeout_s
        self.write_timeout_s = write_timeout_s
        self.settle_s = settle_s  # time for the printer to report a paper end after the data
        self._opener = opener

    def _open(self) -> Any:
        try:
            return self._opener(
                self.port,
                baudrate=self.baudrate,
                timeout=self.answer_timeout_s,
                write_timeout=self.write_timeout_s,
            )
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"cannot open printer port {self.port}: {exc}") from None

    def _status(self, link: Any) -> escpos_status.PrinterStatus:
        answers: dict[int, int] = {}
        for n in escpos_status.QUERIES:
            link.reset_input_buffer()
            link.write(escpos_status.query(n))
            link.flush()
            answer = link.read(1)
            if not answer:
                raise PrinterOffline(f"printer on {self.port} did not answer DLE EOT {n}")
            if not escpos_status.is_status_byte(answer[0]):
                raise PrinterOffline(f"printer on {self.port} answered {answer!r} to DLE EOT {n}")
            answers[n] = answer[0]
        return escpos_status.parse(answers)

    def status(self) -> escpos_status.PrinterStatus:
        """Ask the printer now (raises `PrinterOffline` when it does not answer)."""
        link = self._open()
        try:
            return self._status(link)
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"printer on {self.port}: {exc}") from None
        finally:
            link.close()

    @staticmethod
    def _refuse_unless_ready(state: escpos_status.PrinterStatus, when: str) -> None:
        if state.paper_out:
            raise PaperOut(f"paper out {when}")
        if state.cover_open:
            raise CoverOpen(f"cover open {when}")
        if state.error:
            raise PrinterFault(f"printer error {when}")
        if not state.online:
            raise PrinterOffline(f"printer offline {when}")

    def print_job(self, job: PrintJob) -> PrintResult:
        if job.escpos is None:
            raise PrinterError(f"job {job.name!r} has no ESC/POS rendering")
        link = self._open()
        try:
            self._refuse_unless_ready(self._status(link), "before printing")
            try:
                link.write(job.escpos)
                link.flush()
            except serial.SerialTimeoutException:
                raise PrinterOffline("the printer stopped taking data") from None
            time.sleep(self.settle_s)
            after = self._status(link)
            self._refuse_unless_ready(after, "while printing")
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"printer on {self.port}: {exc}") from None
        finally:
            link.close()
        if after.paper_near_end:
            log.warning("printer on %s: paper near end", self.port)
        return PrintResult(where=f"escpos:{self.port}", paper_near_end=after.paper_near_end)


@dataclass(frozen=True)
class EscPosSpec:
    """`escpos:PORT` or `escpos:PORT@BAUD`."""

    port: str
    baudrate: int = DEFAULT_BAUDRATE

    def open(self, setup: PrinterSetup) -> EscPosSerialPrinter:
        return EscPosSerialPrinter(self.port, self.baudrate)

    def probe(self, setup: PrinterSetup) -> ProbeResult:
        try:
            state = self.open(setup).status()
        except PrinterError as exc:
            return ProbeResult(
                ProbeState.ABSENT, str(exc), "switch the printer on; check its cable"
            )
        if state.paper_out:
            return ProbeResult(ProbeState.ERROR, "out of paper", "load a new paper roll")
        if state.cover_open:
            return ProbeResult(ProbeState.ERROR, "cover open", "close the printer cover")
        if not state.ready:
            return ProbeResult(ProbeState.ERROR, "printer reports an error", "restart it")
        if state.paper_near_end:
            return ProbeResult(
                ProbeState.ATTENTION, "paper nearly finished", "put a spare roll next to it"
            )
        return ProbeResult(ProbeState.PRESENT, "ready, paper loaded")


def parse(text: str) -> EscPosSpec | None:
    kind, _, rest = text.partition(":")
    if kind != "escpos" or not rest:
        return None
    port, _, baud = rest.rpartition("@")
    if port and baud.isdigit() and int(baud) > 0:
        return EscPosSpec(port, int(baud))
    return EscPosSpec(rest)  # no baud rate: an "@" belongs to the port (a URL's user@host)
