"""`open_transport`: the `card_reader` string of kiosk.toml to a transport."""

from __future__ import annotations

import pytest

from devices.card.errors import ReaderNotFound
from devices.card.transports.factory import ReaderSpec, open_transport, parse_reader_spec
from devices.card.transports.pcsc import PcscTransport
from devices.card.transports.pn532 import Pn532Transport
from devices.card.transports.simulated import SimulatedTransport
from tests.devices.card.echo_chip import SW_OK, EchoChip


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("simulator", ReaderSpec("simulator")),
        ("pcsc", ReaderSpec("pcsc")),
        (
            "pcsc:ACS ACR1252 1S CL Reader PICC 00 00",
            ReaderSpec("pcsc", "ACS ACR1252 1S CL Reader PICC 00 00"),
        ),
        ("pn532:/dev/ttyUSB0", ReaderSpec("pn532", "/dev/ttyUSB0")),
        ("pn532:rfc2217://10.0.0.7:4001", ReaderSpec("pn532", "rfc2217://10.0.0.7:4001")),
    ],
)
def test_reader_spec_is_parsed(spec: str, expected: ReaderSpec) -> None:
    assert parse_reader_spec(spec) == expected


@pytest.mark.parametrize("spec", ["", "pn532", "pn532:", "pcsc:", "simulator:2", "nfc:/dev/x"])
def test_malformed_reader_spec_says_what_is_accepted(spec: str) -> None:
    with pytest.raises(ReaderNotFound, match="pn532:PORT"):
        parse_reader_spec(spec)


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
