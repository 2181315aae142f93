"""What every printer takes: a job in the renderings it may need, and the result of printing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from devices.probe import ProbeResult

PDF, PNG, ESCPOS = "pdf", "png", "escpos"


@dataclass(frozen=True)
class PrintJob:
    """One thing to print, in every form the kiosk rendered it (a printer uses the ones it can)."""

    name: str  # what staff see in the queue, e.g. the dossier code
    kind: str = "receipt"  # receipt | activation | offline | ticket | report
    pdf: bytes | None = field(default=None, repr=False)  # A4 document
    png: bytes | None = field(default=None, repr=False)  # thermal slip raster
    escpos: bytes | None = field(default=None, repr=False)  # thermal slip as ESC/POS

    @property
    def file_stem(self) -> str:
        """`name` made safe as a file name."""
        return re.sub(r"[^0-9A-Za-z._-]+", "_", self.name).strip("._") or "job"


@dataclass(frozen=True)
class PrintResult:
    where: str  # file path or printer name, for the journey and the staff log
    paper_near_end: bool = False  # printed, but staff should change the roll soon


@runtime_checkable
class Printer(Protocol):
    formats: frozenset[str]
    """Which of PDF, PNG, ESCPOS this printer prints (the kiosk renders only those)."""

    def print_job(self, job: PrintJob) -> PrintResult:
        """Print `job`; raise a `devices.printer.errors.PrinterError` when it was not printed."""


SystemOpener = Callable[[str], Printer]  # printer name ("" = the default) → the OS printer


@dataclass(frozen=True)
class PrinterSetup:
    """What opening a printer may need from the kiosk around it."""

    default_folder: Path  # where `pdf:` with no folder writes
    system_opener: SystemOpener | None = None  # supplied by the UI, which may use Qt


class PrinterSpec(Protocol):
    """A parsed `[devices] printer` value: knows how to open and probe its printer."""

    def open(self, setup: PrinterSetup) -> Printer:
        """The printer, built without printing anything."""

    def probe(self, setup: PrinterSetup) -> ProbeResult:
        """Whether the printer is there and ready, for `kiosk doctor`."""
