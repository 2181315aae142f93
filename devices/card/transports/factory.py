"""The reader named in `kiosk.toml` (`[devices] card_reader`) as a `CardTransport`.

    simulator          the software chip (a demo citizen unless a chip is given)
    pcsc               the first PC/SC reader
    pcsc:NAME          the PC/SC reader whose name is or contains NAME
    pn532:PORT         a PN532 on a serial port (/dev/ttyUSB0, COM3, rfc2217://host:port, ...)

Readers are constructed without touching hardware: opening happens at `connect()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from devices.card.errors import ReaderNotFound
from devices.card.transports.base import CardTransport
from devices.card.transports.simulated import ChipSide

ReaderKind = Literal["simulator", "pcsc", "pn532"]
SPEC_HELP = "simulator, pcsc, pcsc:READER NAME or pn532:PORT"


@dataclass(frozen=True)
class ReaderSpec:
    kind: ReaderKind
    name: str | None = None  # PC/SC reader name (part) or serial port


def parse_reader_spec(spec: str) -> ReaderSpec:
    kind, sep, rest = spec.strip().partition(":")
    name = rest.strip() or None
    if kind == "simulator" and not sep:
        return ReaderSpec("simulator")
    if kind == "pcsc" and (name or not sep):
        return ReaderSpec("pcsc", name)
    if kind == "pn532" and name:
        return ReaderSpec("pn532", name)
    raise ReaderNotFound(f"unknown card reader {spec!r}; use {SPEC_HELP}")


def open_transport(spec: str, *, chip: ChipSide | None = None, **options: Any) -> CardTransport:
    """The transport for `spec`; `options` go to the transport's constructor (e.g. `baudrate`
    for pn532, `exclusive` for pcsc, `faults` for the simulator)."""
    parsed = parse_reader_spec(spec)
    if parsed.kind == "pcsc":
        from devices.card.transports.pcsc import PcscTransport

        return PcscTransport(parsed.name, **options)
    if parsed.kind == "pn532":
        from devices.card.transports.pn532 import Pn532Transport

        assert parsed.name is not None
        return Pn532Transport(parsed.name, **options)
    from devices.card.transports.simulated import SimulatedTransport

    if chip is None:
        from devices.card.simulator import demo_card

        chip = demo_card(0)
    return SimulatedTransport(chip, **options)
