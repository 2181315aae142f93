"""The printers `[devices] printer` may name, each parsed by its own module.

Config validation, `kiosk doctor` and the runtime all ask here. To add a printer kind: write its
module (`FORMS`, `parse(text) -> spec | None`, a spec with `open` and `probe`) and list it in
`KINDS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from devices.printer import escpos_serial, folder, system
from devices.printer.base import Printer, PrinterSetup, PrinterSpec
from devices.printer.errors import PrinterSpecError
from devices.probe import ProbeResult, ProbeState


class PrinterKind(Protocol):
    """What a printer module offers the registry."""

    @property
    def FORMS(self) -> Sequence[str]:  # noqa: N802 - a module constant
        """The spec's forms as written in kiosk.toml, e.g. "system[:NAME]"."""

    def parse(self, text: str) -> PrinterSpec | None:
        """The spec `text` is, when it is one of this module's forms."""


KINDS: tuple[PrinterKind, ...] = (folder, escpos_serial, system)  # tried in this order


def describe_allowed() -> str:
    """The allowed forms in one phrase: "pdf:DIR (…), escpos:PORT[@BAUD] or system[:NAME]"."""
    forms = [form for kind in KINDS for form in kind.FORMS]
    return ", ".join(forms[:-1]) + " or " + forms[-1]


def parse_spec(text: str) -> PrinterSpec:
    for kind in KINDS:
        spec = kind.parse(text)
        if spec is not None:
            return spec
    raise PrinterSpecError(f"unknown printer {text!r}; use {describe_allowed()}")


def open_printer(text: str, setup: PrinterSetup) -> Printer:
    """The printer `text` names; raises `SystemPrinterUnavailable` for `system` without an
    opener in `setup`."""
    return parse_spec(text).open(setup)


def probe(text: str, setup: PrinterSetup) -> ProbeResult:
    """Whether the printer `text` names is there; a malformed `text` is an ERROR saying why."""
    try:
        spec = parse_spec(text)
    except PrinterSpecError as exc:
        return ProbeResult(ProbeState.ERROR, str(exc), "correct [devices] printer")
    return spec.probe(setup)
