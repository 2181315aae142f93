"""A transport that relays APDUs to the software chip (`devices.card.simulator`).

Faults that belong to the link or the hand holding the card live here: the card slipping away after
N bytes crossed the link (and coming back after some connect attempts), a slow card, a reader whose
buffer is small. Faults that belong to the chip (wrong key, corrupt data group, forged SOD) live in
the chip's profile.

Spec (`[devices] card_reader`): `simulator`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from devices.card.errors import CardNotPresent, CardRemoved, ReaderBufferOverflow, TransportError
from devices.card.transports.base import SHORT_APDU_MAX, LinkCounters
from devices.probe import ProbeResult, ProbeState

FORMS = ("simulator",)


class ChipSide(Protocol):
    """The card side of the conversation: APDU in, response APDU out."""

    def process(self, apdu: bytes) -> bytes: ...

    def power_on(self) -> None:
        """Fresh power: the applet is deselected and any session is gone."""


@dataclass
class LinkFaults:
    """Link-level fault injection for the simulated transport."""

    remove_at_byte: int | None = None  # the card slips once this many bytes have crossed the link
    absent_connects: int = 1  # connect() attempts that still find no card after a slip
    delay_s: float = 0.0  # a slow card: real seconds slept per exchange
    max_response_len: int | None = None  # a small-buffer reader: longer responses fail to arrive


@dataclass
class SimulatedTransport:
    """`CardTransport` over the software chip."""

    chip: ChipSide | None
    max_apdu_len: int = SHORT_APDU_MAX
    faults: LinkFaults = field(default_factory=LinkFaults)
    counters: LinkCounters = field(default_factory=LinkCounters)
    _connected: bool = False
    _bytes: int = 0
    _slipped: bool = False
    _absent_left: int = 0

    def card_present(self) -> bool:
        return self.chip is not None and not (self._slipped and self._absent_left > 0)

    def connect(self) -> None:
        if self.chip is None:
            raise CardNotPresent()
        if self._slipped and self._absent_left > 0:
            self._absent_left -= 1
            raise CardNotPresent("the card has not come back yet")
        self._slipped = False
        self.chip.power_on()
        self._connected = True

    def transmit(self, apdu: bytes) -> bytes:
        if self.chip is None or self._slipped:
            raise CardRemoved()
        if not self._connected:
            raise TransportError("transmit before connect")
        if len(apdu) > self.max_apdu_len:
            raise TransportError(
                f"command of {len(apdu)} bytes exceeds the reader's {self.max_apdu_len}"
            )
        self._count(len(apdu))
        if self.faults.delay_s:
            time.sleep(self.faults.delay_s)
        response = self.chip.process(apdu)
        limit = self.faults.max_response_len
        if limit is not None and len(response) > limit:
            raise ReaderBufferOverflow(f"response of {len(response)} bytes overflows the reader")
        self._count(len(response))
        self.counters.record(apdu, response)
        return response

    def disconnect(self) -> None:
        self._connected = False

    def _count(self, n: int) -> None:
        self._bytes += n
        at = self.faults.remove_at_byte
        if at is not None and self._bytes >= at:
            self.faults.remove_at_byte = None  # one slip per injected fault
            self._slipped = True
            self._connected = False
            self._absent_left = self.faults.absent_connects
            raise CardRemoved(f"card slipped after {at} bytes")


@dataclass(frozen=True)
class SimulatorSpec:
    """`simulator`: the software chip, a demo citizen's card unless a chip is given."""

    simulated: ClassVar[bool] = True

    def open(self, *, chip: ChipSide | None = None, **options: Any) -> SimulatedTransport:
        if chip is None:
            from devices.card.simulator import demo_card

            chip = demo_card(0)
        return SimulatedTransport(chip, **options)

    def probe(self) -> ProbeResult:
        transport = self.open()
        transport.connect()  # proves the software chip builds and powers up
        transport.disconnect()
        return ProbeResult(ProbeState.PRESENT, "simulated card reader (demo cards)")


def parse(text: str) -> SimulatorSpec | None:
    return SimulatorSpec() if text.strip() == "simulator" else None
