"""Typed errors of the printers. Each carries a stable `code` the kiosk maps to one citizen text and
one staff text (`[error.<code>]` in kiosk/texts/vi.toml)."""

from __future__ import annotations


class PrinterError(Exception):
    """The printer could not print the job."""

    code = "printer_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or (self.__doc__ or self.__class__.__name__).strip())


class PaperOut(PrinterError):
    """The paper roll is empty (before printing, or it ran out while printing)."""

    code = "printer_paper_out"


class CoverOpen(PrinterError):
    """The printer's cover is open."""

    code = "printer_cover_open"


class PrinterOffline(PrinterError):
    """The printer does not answer (unplugged, switched off, wrong port, or in an error state)."""

    code = "printer_offline"


class PrinterFault(PrinterError):
    """The printer reports an error (cutter jam, head overheated, unrecoverable error)."""

    code = "printer_fault"


class PrinterSpecError(ValueError):
    """The `[devices] printer` value is none of the allowed forms."""


class SystemPrinterUnavailable(Exception):
    """`system[:NAME]` prints through Qt, which only the kiosk window loads: this process was given
    no opener for it."""
