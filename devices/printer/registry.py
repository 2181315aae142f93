"""The printers `[devices] printer` may name, each parsed by its own module.

Config validation, `kiosk doctor` and the runtime all ask here. To add a printer kind: write its
module (`FORMS`, `parse(text) -> spec | None`, a spec with `open` and `probe`) and list it in
`KINDS`.
"""

from __future__ import annotations

from devices.printer import escpos_serial, folder, system
from devices.printer.base import Printer, PrinterSetup, PrinterSpec
from devices.printer.errors import PrinterSpecError
from devices.probe import ProbeResult, ProbeState
from devices.spec_grammar import SpecKind, allowed_forms, first_parse

PrinterKind = SpecKind[PrinterSpec]  # a module that owns its grammar (FORMS, parse)

KINDS: tuple[PrinterKind, ...] = (folder, escpos_serial, system)  # tried in this order


def describe_allowed() -> str:
    """The allowed forms in one phrase: "pdf:DIR (…), escpos:PORT[@BAUD] or system[:NAME]"."""
    return allowed_forms(KINDS)


def parse_spec(text: str) -> PrinterSpec:
    return first_parse(
        KINDS, text, lambda allowed: PrinterSpecError(f"unknown printer {text!r}; use {allowed}")
    )


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
