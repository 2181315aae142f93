"""The printer the operating system knows: `system` (the default one) or `system:NAME`.

It prints through Qt, which only `ui/` may import: here is its grammar, and the UI supplies the
opener (`PrinterSetup.system_opener`). Its paper cannot be asked about from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.printer.base import Printer, PrinterSetup
from devices.printer.errors import SystemPrinterUnavailable
from devices.probe import ProbeResult, ProbeState

FORMS = ("system[:NAME]",)


@dataclass(frozen=True)
class SystemSpec:
    name: str = ""  # empty: the system's default printer

    def open(self, setup: PrinterSetup) -> Printer:
        if setup.system_opener is None:
            raise SystemPrinterUnavailable(
                f"printer {self.text!r} needs the kiosk window (kiosk run)"
            )
        return setup.system_opener(self.name)

    def probe(self, setup: PrinterSetup) -> ProbeResult:
        return ProbeResult(
            ProbeState.UNKNOWN,
            f"printer {self.text!r}: this version cannot ask a system printer about its paper",
            "print a test page from the system's printer settings",
        )

    @property
    def text(self) -> str:
        return f"system:{self.name}" if self.name else "system"


def parse(text: str) -> SystemSpec | None:
    kind, colon, name = text.partition(":")
    if kind != "system" or (colon and not name):
        return None
    return SystemSpec(name)
