"""A full chip read over the simulator under two link models: how much of the time is the
protocol's own cost (crypto, parsing) and how much the link.

    python -m bench card_read [--reps N]

The read: access control + COM + DG1 + DG2 (≈20 KB) + DG13 + DG14 + SOD + passive authentication,
for both access methods (PACE-CAN on the demo card; BAC on the same citizen's card without PACE),
with a reader that carries extended-length APDUs and with a short-only reader; then PACE-CAN on
cards whose DG2 is 40 KB and 70 KB (offsets past 32,767 are read with READ BINARY B1).

Link models, applied to the exchanges actually made (command and response lengths):
  (a) PC/SC: 424 kbit/s on the air plus 5 ms per exchange;
  (b) PN532 on a UART at 115200 baud, 8N1 (10 bits a byte), half duplex: every frame, ACK and
      chaining frame of `pn532_frames.exchange_wire_bytes`; RF time is not part of this model.
The physical limit is the payload — the bytes of the files read — divided by the link rate.
Protocol CPU time is the reader's own thread time (crypto + parsing + passive authentication),
excluding the time spent inside the transport (the simulated chip), median over the runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from functools import lru_cache

from devices.card.access_key import AccessKeys, CanKey, MrzKey
from devices.card.document import build_document
from devices.card.mrz import parse_mrz
from devices.card.passive_auth import PaStatus
from devices.card.reader import AccessMemory, ChipReader
from devices.card.simulator import (
    CardProfile,
    SimulatedChip,
    build_profile,
    demo_card,
    demo_citizens,
    demo_pki,
)
from devices.card.transports.simulated import SimulatedTransport
from devices.card.trust_store import TrustStore

FILES = ("COM", "DG1", "DG2", "DG13", "DG14", "SOD")
PCSC_RATE_BPS = 424_000
PCSC_PER_EXCHANGE_S = 0.005
UART_BAUD = 115_200


class Timed(SimulatedTransport):
    """Notes each exchange's lengths and the thread time spent inside the transport."""

    lengths: list[tuple[int, int]]
    inside_s: float

    def transmit(self, apdu: bytes) -> bytes:
        started = time.thread_time()
        response = super().transmit(apdu)
        self.inside_s += time.thread_time() - started
        self.lengths.append((len(apdu), len(response)))
        return response


@dataclass
class Run:
    exchanges: list[tuple[int, int]]
    payload: int
    protocol_cpu_s: float
    status: str


def _transport(chip: SimulatedChip, extended: bool) -> Timed:
    transport = Timed(chip, max_apdu_len=65544 if extended else 261)
    transport.lengths, transport.inside_s = [], 0.0
    return transport


def one_read(method: str, extended: bool, trust: TrustStore, dg2_bytes: int = 0) -> Run:
    citizen = demo_citizens()[0]
    if dg2_bytes:
        chip = SimulatedChip(_large_dg2_profile(dg2_bytes))
        keys = AccessKeys(can=CanKey(citizen.can))
    elif method == "PACE-CAN":
        chip = demo_card(0)
        keys = AccessKeys(can=CanKey(citizen.can))
    else:
        chip = SimulatedChip(_bac_profile())
        mrz = parse_mrz(citizen.mrz_text)
        keys = AccessKeys(mrz=MrzKey(mrz.document_number, mrz.date_of_birth, mrz.date_of_expiry))
    transport = _transport(chip, extended)
    reader = ChipReader(
        transport, memory=AccessMemory(), chip_authentication=False, active_authentication=False
    )
    started = time.thread_time()
    result = reader.read(keys, FILES)
    document = build_document(result.files, trust)
    cpu = time.thread_time() - started - transport.inside_s
    if result.access_method != method:
        raise RuntimeError(f"expected {method}, read with {result.access_method}")
    payload = sum(len(content) for content in result.files.values())
    return Run(transport.lengths, payload, cpu, document.passive.status.value)


@lru_cache(maxsize=1)
def _bac_profile() -> CardProfile:
    """The demo citizen's card without PACE (so BAC is the access method)."""
    return build_profile(demo_citizens()[0], demo_pki(), pace=False, ca=False, label="bench/bac")


@lru_cache(maxsize=4)
def _large_dg2_profile(dg2_bytes: int) -> CardProfile:
    """The demo citizen's card with a high-resolution portrait of at least `dg2_bytes`."""
    return build_profile(
        demo_citizens()[0], demo_pki(), dg2_bytes=dg2_bytes, label=f"bench/dg2-{dg2_bytes}"
    )


def pcsc_time(exchanges: list[tuple[int, int]]) -> float:
    return sum(PCSC_PER_EXCHANGE_S + (c + r) * 8 / PCSC_RATE_BPS for c, r in exchanges)


def uart_bytes(exchanges: list[tuple[int, int]]) -> int:
    from devices.card.transports.pn532_frames import exchange_wire_bytes

    return sum(sum(exchange_wire_bytes(c, r)) for c, r in exchanges)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench card_read")
    parser.add_argument("--reps", type=int, default=15)
    args = parser.parse_args(argv)
    trust = TrustStore([demo_pki().csca_certificate])
    one_read("PACE-CAN", True, trust)  # warm caches and imports

    print("Full read: access + COM DG1 DG2 DG13 DG14 SOD + passive authentication (simulator)")
    header = (
        f"{'method':18} {'reader':8} {'xchg':>4} {'link B':>7} {'payload':>7} "
        f"{'PC/SC s':>7} {'ratio':>5} {'UART B':>7} {'PN532 s':>7} {'ratio':>5} {'CPU ms':>6}"
    )
    print(header)
    cases = [(method, extended, 0) for method in ("PACE-CAN", "BAC") for extended in (True, False)]
    cases += [
        ("PACE-CAN", extended, size) for size in (40_000, 70_000) for extended in (True, False)
    ]
    for method, extended, dg2_bytes in cases:
        runs = [one_read(method, extended, trust, dg2_bytes) for _ in range(args.reps)]
        last = runs[-1]
        if any(r.status != PaStatus.VALID.value for r in runs):
            print(f"  passive authentication not VALID: {last.status}")
        link = sum(c + r for c, r in last.exchanges)
        pcsc = pcsc_time(last.exchanges)
        pcsc_limit = last.payload * 8 / PCSC_RATE_BPS
        wire = uart_bytes(last.exchanges)
        uart = wire * 10 / UART_BAUD
        uart_limit = last.payload * 10 / UART_BAUD
        cpu = statistics.median(r.protocol_cpu_s for r in runs) * 1000
        name = f"{method}" + (f" DG2 {dg2_bytes // 1000}K" if dg2_bytes else "")
        print(
            f"{name:18} {'extended' if extended else 'short':8} {len(last.exchanges):>4} "
            f"{link:>7} {last.payload:>7} {pcsc:>7.3f} {pcsc / pcsc_limit:>5.2f} "
            f"{wire:>7} {uart:>7.3f} {uart / uart_limit:>5.2f} {cpu:>6.1f}"
        )
    print("ratio = modelled link time / (payload bytes ÷ link rate); CPU = reader thread time,")
    print(
        f"median of {args.reps}, excluding the simulated chip. Targets: ratio ≤ 1.3, CPU ≤ 50 ms."
    )
    return 0
