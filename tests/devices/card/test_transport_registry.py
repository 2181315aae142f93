"""The `card_reader` string of kiosk.toml: each transport parses its own forms; the registry
tries them in order, opens and probes what they parsed, and names the allowed forms."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from devices.card.errors import ReaderNotFound
from devices.card.transports import pcsc, pn532, registry, simulated
from devices.card.transports.pcsc import PcscSpec, PcscTransport
from devices.card.transports.pn532 import Pn532Spec, Pn532Transport
from devices.card.transports.registry import (
    ReaderSpecError,
    describe_allowed,
    open_transport,
    parse_spec,
)
from devices.card.transports.simulated import SimulatedTransport, SimulatorSpec
from devices.probe import ProbeState
from tests.devices.card.echo_chip import SW_OK, EchoChip

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("simulator", SimulatorSpec()),
        ("pcsc", PcscSpec()),
        (
            "pcsc:ACS ACR1252 1S CL Reader PICC 00 00",
            PcscSpec("ACS ACR1252 1S CL Reader PICC 00 00"),
        ),
        ("pn532:/dev/ttyUSB0", Pn532Spec("/dev/ttyUSB0")),
        ("pn532:rfc2217://10.0.0.7:4001", Pn532Spec("rfc2217://10.0.0.7:4001")),
    ],
)
def test_reader_spec_is_parsed(spec: str, expected: object) -> None:
    assert parse_spec(spec) == expected


@pytest.mark.parametrize("spec", ["", "pn532", "pn532:", "pcsc:", "simulator:2", "nfc:/dev/x"])
def test_malformed_reader_spec_says_what_is_accepted(spec: str) -> None:
    with pytest.raises(ReaderNotFound, match="pn532:PORT"):
        parse_spec(spec)


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        (simulated, "simulator", SimulatorSpec()),
        (simulated, " simulator ", SimulatorSpec()),
        (simulated, "simulator:1", None),
        (simulated, "pcsc", None),
        (pcsc, "pcsc", PcscSpec()),
        (pcsc, "pcsc: ACR1252 ", PcscSpec("ACR1252")),
        (pcsc, "pcsc:", None),
        (pcsc, "pcsc: ", None),
        (pcsc, "pcscd", None),
        (pcsc, "pn532:/dev/ttyUSB0", None),
        (pn532, "pn532:COM3", Pn532Spec("COM3")),
        (pn532, "pn532:", None),
        (pn532, "pn532", None),
        (pn532, "simulator", None),
    ],
)
def test_each_transport_parses_only_its_own_forms(
    module: ModuleType, text: str, expected: object
) -> None:
    assert module.parse(text) == expected


def test_the_error_line_names_the_value_and_every_allowed_form() -> None:
    with pytest.raises(ReaderSpecError) as caught:
        parse_spec("nfc")
    assert str(caught.value) == (
        "unknown card reader 'nfc'; use simulator, pcsc, pcsc:READER NAME or pn532:PORT"
    )


def test_allowed_forms_are_every_kinds_forms_in_registry_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = SimpleNamespace(FORMS=("a", "a:X"), parse=lambda text: None)
    second = SimpleNamespace(FORMS=("b:Y",), parse=lambda text: None)
    monkeypatch.setattr(registry, "KINDS", (first, second))
    assert describe_allowed() == "a, a:X or b:Y"


def test_the_first_kind_that_parses_a_spec_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    first = SimpleNamespace(FORMS=("x",), parse=lambda text: "first" if text == "x" else None)
    second = SimpleNamespace(FORMS=("x", "y"), parse=lambda text: "second")
    monkeypatch.setattr(registry, "KINDS", (first, second))
    assert (parse_spec("x"), parse_spec("y")) == ("first", "second")


def test_readme_configuration_table_shows_every_allowed_form() -> None:
    row = next(line for line in README.splitlines() if "`[devices] card_reader`" in line)
    shown = re.findall(r"`([^`]+)`", row)
    assert [f for kind in registry.KINDS for f in kind.FORMS if f not in shown] == []


def test_only_the_simulator_is_simulated() -> None:
    assert [parse_spec(s).simulated for s in ("simulator", "pcsc", "pn532:COM3")] == [
        True,
        False,
        False,
    ]


def test_pn532_spec_opens_a_pn532_transport_on_that_port_without_touching_it() -> None:
    transport = open_transport("pn532:/dev/ttyUSB7", baudrate=230400)
    assert isinstance(transport, Pn532Transport)
    assert (transport.port_name, transport.baudrate) == ("/dev/ttyUSB7", 230400)


def test_pcsc_spec_opens_a_pcsc_transport_for_that_reader() -> None:
    transport = open_transport("pcsc:ACR1252")
    assert isinstance(transport, PcscTransport) and transport.reader_name == "ACR1252"


def test_simulator_spec_relays_to_the_given_chip() -> None:
    chip = EchoChip()
    transport = open_transport("simulator", chip=chip)
    assert isinstance(transport, SimulatedTransport)
    transport.connect()
    assert transport.transmit(b"\x00\x84\x00\x00\x08") == b"\x00\x84\x00\x00\x08" + SW_OK
    assert chip.received == [b"\x00\x84\x00\x00\x08"]


def test_simulator_spec_without_a_chip_serves_a_demo_card() -> None:
    transport = open_transport("simulator")
    transport.connect()
    select_lds1 = bytes.fromhex("00A4040C07A0000002471001")  # ICAO 9303-10 eMRTD application
    assert transport.transmit(select_lds1) == SW_OK


def test_the_simulator_probes_present() -> None:
    result = registry.probe("simulator")
    assert (result.state, result.message) == (
        ProbeState.PRESENT,
        "simulated card reader (demo cards)",
    )


def test_a_pn532_on_a_missing_serial_port_probes_absent_naming_the_port() -> None:
    result = registry.probe("pn532:/dev/does-not-exist")
    assert result.state is ProbeState.ABSENT
    assert "PN532 on /dev/does-not-exist does not answer" in result.message
    assert "port name" in result.remedy


def test_a_pcsc_reader_probes_present_by_its_full_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pcsc, "_scard", lambda: None)
    monkeypatch.setattr(pcsc, "list_readers", lambda: ["ACS ACR1252 1S CL Reader PICC 00 00"])
    result = registry.probe("pcsc:acr1252")
    assert result.state is ProbeState.PRESENT
    assert result.message == "PC/SC reader 'ACS ACR1252 1S CL Reader PICC 00 00' (1 found)"


def test_a_pcsc_reader_not_connected_probes_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pcsc, "_scard", lambda: None)
    monkeypatch.setattr(pcsc, "list_readers", lambda: ["Other Reader 00"])
    result = registry.probe("pcsc:ACR1252")
    assert result.state is ProbeState.ABSENT and "no PC/SC reader named 'ACR1252'" in result.message


def test_pcsc_without_pyscard_probes_as_an_error_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing() -> None:
        raise ReaderNotFound("PC/SC support is not installed")

    monkeypatch.setattr(pcsc, "_scard", missing)
    result = registry.probe("pcsc")
    assert result.state is ProbeState.ERROR and "pcsc extra" in result.remedy


def test_a_malformed_spec_probes_as_an_error_naming_the_allowed_forms() -> None:
    result = registry.probe("nfc")
    assert result.state is ProbeState.ERROR and "pn532:PORT" in result.message
