"""The `printer` string of kiosk.toml: each printer module parses its own forms; the registry
tries them in order, opens and probes what they parsed, and names the allowed forms."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from devices.printer import escpos_serial, folder, registry, system
from devices.printer.base import PrinterSetup, PrintJob, PrintResult
from devices.printer.errors import PrinterSpecError, SystemPrinterUnavailable
from devices.printer.escpos_serial import EscPosSerialPrinter, EscPosSpec
from devices.printer.folder import FolderPrinter, FolderSpec
from devices.printer.system import SystemSpec
from devices.probe import ProbeState
from tests.devices.printer.emulator import PrinterEmulator

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        (folder, "pdf:", FolderSpec()),
        (folder, "pdf:/srv/prints", FolderSpec(Path("/srv/prints"))),
        (folder, "pdf", None),
        (folder, "escpos:/dev/ttyS0", None),
        (escpos_serial, "escpos:/dev/ttyS0", EscPosSpec("/dev/ttyS0", 115200)),
        (escpos_serial, "escpos:COM3@19200", EscPosSpec("COM3", 19200)),
        (
            escpos_serial,
            "escpos:rfc2217://printer@10.0.0.9:4001",
            EscPosSpec("rfc2217://printer@10.0.0.9:4001"),
        ),
        (escpos_serial, "escpos:", None),
        (escpos_serial, "escpos", None),
        (system, "system", SystemSpec()),
        (system, "system:EPSON TM-T82", SystemSpec("EPSON TM-T82")),
        (system, "system:", None),
        (system, "systems", None),
    ],
)
def test_each_printer_kind_parses_only_its_own_forms(
    module: ModuleType, text: str, expected: object
) -> None:
    assert module.parse(text) == expected


def test_a_pdf_folder_with_a_tilde_is_under_the_home_folder() -> None:
    spec = folder.parse("pdf:~/prints")
    assert spec is not None and spec.folder == Path.home() / "prints"


@pytest.mark.parametrize("text", ["", "lpt1", "pdf", "escpos:", "system:", "cups:office"])
def test_a_malformed_printer_spec_is_refused_naming_the_allowed_forms(text: str) -> None:
    with pytest.raises(PrinterSpecError, match=re.escape("escpos:PORT[@BAUD]")):
        registry.parse_spec(text)


def test_the_error_line_names_the_value_and_every_allowed_form() -> None:
    with pytest.raises(PrinterSpecError) as caught:
        registry.parse_spec("lpt1")
    assert str(caught.value) == (
        "unknown printer 'lpt1'; use pdf:DIR (empty DIR: the data folder), "
        "escpos:PORT[@BAUD] or system[:NAME]"
    )


def test_readme_configuration_table_shows_every_allowed_form() -> None:
    row = next(line for line in README.splitlines() if "`[devices] printer`" in line)
    shown = re.findall(r"`([^`]+)`", row)
    forms = [f.split(" (")[0] for kind in registry.KINDS for f in kind.FORMS]
    assert [f for f in forms if f not in shown] == []


def test_pdf_without_a_folder_opens_on_the_setups_default_folder(tmp_path: Path) -> None:
    printer = registry.open_printer("pdf:", PrinterSetup(default_folder=tmp_path))
    assert isinstance(printer, FolderPrinter) and printer.folder == tmp_path


def test_escpos_opens_on_its_port_at_its_baud_rate_without_touching_it(tmp_path: Path) -> None:
    printer = registry.open_printer("escpos:/dev/ttyS7@9600", PrinterSetup(tmp_path))
    assert isinstance(printer, EscPosSerialPrinter)
    assert (printer.port, printer.baudrate) == ("/dev/ttyS7", 9600)


class _PaperPrinter:
    formats = frozenset({"pdf"})

    def __init__(self, name: str) -> None:
        self.name = name

    def print_job(self, job: PrintJob) -> PrintResult:
        return PrintResult(where=f"system:{self.name}")


def test_system_printer_is_opened_by_the_injected_opener_with_its_name(tmp_path: Path) -> None:
    printer = registry.open_printer("system:Office", PrinterSetup(tmp_path, _PaperPrinter))
    assert isinstance(printer, _PaperPrinter) and printer.name == "Office"


def test_system_printer_without_an_opener_says_it_needs_the_kiosk_window(tmp_path: Path) -> None:
    with pytest.raises(SystemPrinterUnavailable, match="needs the kiosk window"):
        registry.open_printer("system", PrinterSetup(tmp_path))


def test_a_writable_pdf_folder_probes_present(tmp_path: Path) -> None:
    result = registry.probe(f"pdf:{tmp_path / 'out'}", PrinterSetup(tmp_path))
    assert result.state is ProbeState.PRESENT and str(tmp_path / "out") in result.message


def test_a_pdf_folder_that_cannot_be_made_probes_as_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    result = registry.probe(f"pdf:{tmp_path / 'file' / 'prints'}", PrinterSetup(tmp_path))
    assert result.state is ProbeState.ERROR and "cannot write to" in result.message


def test_escpos_on_a_missing_port_probes_absent(tmp_path: Path) -> None:
    result = registry.probe("escpos:/dev/does-not-exist", PrinterSetup(tmp_path))
    assert result.state is ProbeState.ABSENT and "/dev/does-not-exist" in result.message


def test_a_system_printers_paper_probes_unknown(tmp_path: Path) -> None:
    assert registry.probe("system", PrinterSetup(tmp_path)).state is ProbeState.UNKNOWN


def test_a_malformed_printer_spec_probes_as_an_error(tmp_path: Path) -> None:
    result = registry.probe("lpt1", PrinterSetup(tmp_path))
    assert result.state is ProbeState.ERROR and "system[:NAME]" in result.message


@pytest.mark.parametrize(
    ("fault", "state", "message"),
    [
        (None, ProbeState.PRESENT, "ready, paper loaded"),
        ("paper_near_end", ProbeState.ATTENTION, "paper nearly finished"),
        ("paper_out", ProbeState.ERROR, "out of paper"),
        ("cover_open", ProbeState.ERROR, "cover open"),
    ],
)
def test_an_escpos_printer_probes_as_its_status_says(
    tmp_path: Path, fault: str | None, state: ProbeState, message: str
) -> None:
    with PrinterEmulator() as emulator:
        if fault:
            setattr(emulator.state, fault, True)
        result = registry.probe(f"escpos:{emulator.port}", PrinterSetup(tmp_path))
    assert (result.state, result.message) == (state, message)
