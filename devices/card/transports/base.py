"""What the protocol code needs from a reader: send an APDU, get the response.

Transports (PC/SC, PN532 serial, simulator) do the I/O; everything above them is bytes in, bytes
out. A transport raises only `devices.card.errors` types: `CardNotPresent` from `connect` when no
card is there, `CardRemoved` when the card leaves mid-exchange, `TransportError` for link failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from devices.probe import ProbeResult

SHORT_APDU_MAX = 261  # CLA INS P1 P2 Lc(1) data(255) Le(1) + margin for PN532 wrapping


@runtime_checkable
class CardTransport(Protocol):
    """One reader slot holding (or waiting for) one contactless card."""

    max_apdu_len: int
    """Largest command APDU the reader carries (261 short; more once extended is proven)."""

    def connect(self) -> None:
        """Power up / select the card; raises `CardNotPresent` when there is none."""

    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; return the full response including SW1 SW2."""

    def disconnect(self) -> None:
        """Release the card (idempotent)."""

    def card_present(self) -> bool:
        """Whether a card is on the reader now (cheap; no APDU exchanged)."""


class TransportSpec(Protocol):
    """A parsed `[devices] card_reader` value: knows how to open and probe its reader."""

    @property
    def simulated(self) -> bool:
        """Whether this is the software chip (demo cards, demo CSCA), not a real reader."""

    def open(self, **options: Any) -> CardTransport:
        """The transport, built without touching hardware (that happens at `connect()`);
        `options` go to the transport's constructor."""

    def probe(self) -> ProbeResult:
        """Whether the reader is there, for `kiosk doctor`."""


@dataclass
class LinkCounters:
    """What crossed the link, for benchmarks and the `kiosk card read` report."""

    exchanges: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0

    def record(self, command: bytes, response: bytes) -> None:
        self.exchanges += 1
        self.bytes_sent += len(command)
        self.bytes_received += len(response)
