"""The card transports' own cost: a full chip read through the real transport code.

    python -m bench pn532_link [--reps N] [--baud B] [--pcsc]

PN532: `Pn532Transport` over a pseudo-terminal to the PN532 emulator (tests/devices/card), which
relays to the simulated chip (demo citizen, PACE-CAN, chip + active authentication, COM DG1 DG2
DG13 DG14 DG15 SOD). Reported: exchanges, APDU bytes (the payload), bytes on the serial line
(frames, ACKs, chaining), the UART time those bytes need at `--baud` 8N1 (10 bits a byte; the
dialog is half-duplex, so both directions add up), and its ratio to the payload's own UART time
(the physical limit). The pure model `pn532_frames.exchange_wire_bytes` is checked against the
measured line bytes. RF time between the PN532 and the card is not part of this link model.

--pcsc: the same read through pcscd + vsmartcard-vpcd (needs pyscard, pcscd, vpcd; a private pcscd
is started when none runs); wall time and per-APDU latency of the local PC/SC stack.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from devices.card.access_key import AccessKeys, CanKey
from devices.card.reader import ChipReader
from devices.card.simulator import demo_card, demo_citizens
from devices.card.transports.base import CardTransport
from devices.card.transports.pn532 import Pn532Transport
from devices.card.transports.pn532_frames import exchange_wire_bytes
from devices.card.transports.simulated import SimulatedTransport


class Recording:
    """A `CardTransport` wrapper that notes each exchange's command and response length."""

    def __init__(self, inner: CardTransport) -> None:
        self.inner = inner
        self.max_apdu_len = inner.max_apdu_len
        self.lengths: list[tuple[int, int]] = []

    def connect(self) -> None:
        self.inner.connect()

    def disconnect(self) -> None:
        self.inner.disconnect()

    def card_present(self) -> bool:
        return self.inner.card_present()

    def transmit(self, apdu: bytes) -> bytes:
        response = self.inner.transmit(apdu)
        self.lengths.append((len(apdu), len(response)))
        return response


def _keys() -> AccessKeys:
    return AccessKeys(can=CanKey(demo_citizens()[0].can))


def pn532_run() -> tuple[float, Recording, tuple[int, int]]:
    from tests.devices.card.pn532_emulator import EmulatedCard, Pn532Emulator

    card = SimulatedTransport(demo_card(0), max_apdu_len=70000)
    with Pn532Emulator(EmulatedCard(card)) as emulator:
        transport = Pn532Transport(emulator.port)
        transport.connect()  # port open, wake-up, SAM configuration: not part of a card read
        setup = transport.link_bytes
        recording = Recording(transport)
        started = time.perf_counter()
        ChipReader(recording).read(_keys())
        elapsed = time.perf_counter() - started
        sent, received = transport.link_bytes
        transport.close()
    return elapsed, recording, (sent - setup[0], received - setup[1])


def pcsc_run() -> tuple[float, int] | str:
    try:
        from devices.card.transports.pcsc import PcscTransport
        from tests.devices.card.vpcd_card import VPCD_READER, VirtualCard, running_pcscd
    except ImportError as exc:
        return f"unavailable: {exc}"
    with tempfile.TemporaryDirectory() as folder, running_pcscd(Path(folder)) as reason:
        if reason:
            return f"unavailable: {reason}"
        card = VirtualCard(SimulatedTransport(demo_card(0), max_apdu_len=70000))
        card.insert()
        try:
            with PcscTransport(VPCD_READER) as transport:
                if not transport.wait_for_card(5.0):
                    return "unavailable: the virtual card did not appear"
                started = time.perf_counter()
                ChipReader(transport).read(_keys())
                return time.perf_counter() - started, transport.counters.exchanges
        finally:
            card.remove()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pn532_link")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--pcsc", action="store_true", help="also read through pcscd + vpcd")
    args = parser.parse_args(argv)

    runs = [pn532_run() for _ in range(args.reps)]
    walls = [wall for wall, _recording, _line in runs]
    _wall, recording, (line_out, line_in) = runs[-1]
    payload = sum(command + response for command, response in recording.lengths)
    modelled = [exchange_wire_bytes(c, r) for c, r in recording.lengths]
    model_out, model_in = sum(m[0] for m in modelled), sum(m[1] for m in modelled)
    byte_s = 10 / args.baud
    line_time, limit = (line_out + line_in) * byte_s, payload * byte_s
    print(f"PN532 over a pty, full read (median of {args.reps}):")
    print(f"  exchanges             {len(recording.lengths)}")
    print(f"  APDU payload bytes    {payload}")
    print(f"  serial line bytes     {line_out} host->PN532 + {line_in} PN532->host")
    print(f"  model line bytes      {model_out} + {model_in} (exchange_wire_bytes)")
    print(f"  UART time @{args.baud}  {line_time:.3f} s (payload alone {limit:.3f} s)")
    print(f"  ratio to the limit    {line_time / limit:.3f}")
    print(f"  wall time over pty    {statistics.median(walls) * 1000:.1f} ms median")
    if args.pcsc:
        result = pcsc_run()
        if isinstance(result, str):
            print(f"PC/SC through pcscd + vpcd: {result}")
        else:
            seconds, exchanges = result
            print("PC/SC through pcscd + vpcd, full read:")
            print(f"  exchanges             {exchanges}")
            print(f"  wall time             {seconds * 1000:.1f} ms")
            print(f"  per exchange          {seconds / exchanges * 1000:.2f} ms")
    return 0
