"""What every printer takes: a job in the renderings it may need, and the result of printing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

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
