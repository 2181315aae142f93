"""A PN532 on a pseudo-terminal: speaks the UM0701-02 frame protocol and relays InDataExchange
payloads to a card-side `CardTransport` (the simulated chip), so `Pn532Transport('/dev/pts/N')`
runs its real serial code end to end.

It behaves like the chip where the host can tell: it sleeps until a 0x55 wake-up byte, ACKs each
command frame before answering, resends its last answer on NACK, ignores frames with bad checksums,
reassembles host-chained InDataExchange parts (MI in Tg) and chains long answers (MI in Status)
when they exceed `answer_chunk`. Faults are injected through `faults`.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from dataclasses import dataclass, field

from devices.card.errors import CardError, CardNotPresent, CardRemoved
from devices.card.transports.base import CardTransport
from devices.card.transports.pn532_frames import (
    ACK_FRAME,
    ERROR_FRAME,
    MI_BIT,
    Ack,
    Command,
    FrameDecoder,
    InformationFrame,
    Modulation,
    Nack,
    Pn532FrameError,
    encode_response,
)

STATUS_OK = 0x00
STATUS_TIMEOUT = 0x01
STATUS_RF_PROTOCOL = 0x0B
STATUS_INVALID_PARAMETER = 0x10
STATUS_NOT_ACCEPTABLE = 0x27


@dataclass
class EmulatorFaults:
    """What goes wrong on the emulated link; counters are consumed one per occurrence."""

    ignore_commands: int = 0  # command frames lost on the way in (no ACK, no answer)
    corrupt_answers: int = 0  # answers sent with a wrong data checksum (a NACK gets them right)
    silent: bool = False  # ACK every command but never answer
    garbage_before_ack: bytes = b""  # line noise written before every ACK
    trickle: bool = False  # write answers a few bytes at a time
    answer_delay_s: float = 0.0
    exchange_status: int | None = None  # the next InDataExchange answers this error status


@dataclass
class EmulatedCard:
    """The card in the emulated field: how it answers anticollision, and its chip."""

    transport: CardTransport
    modulation: Modulation = Modulation.ISO14443A_106
    uid: bytes = bytes.fromhex("08A1B2C3")
    ats: bytes = bytes.fromhex("0578807002")  # TL T0 TA TB TC
    atqb_tail: bytes = bytes.fromhex("0000000000000000008171")  # PUPI, app data, protocol


@dataclass
class EmulatorLog:
    """What the host sent, for assertions."""

    commands: list[InformationFrame] = field(default_factory=list)
    woken: int = 0
    nacks: int = 0
    aborts: int = 0
    bad_frames: int = 0

    def codes(self) -> list[int]:
        return [frame.code for frame in self.commands]

    def data_exchanges(self) -> list[InformationFrame]:
        return [f for f in self.commands if f.code == Command.IN_DATA_EXCHANGE]


class Pn532Emulator:
    """Run with `with Pn532Emulator(card) as emulator:` and open `emulator.port`."""

    def __init__(
        self,
        card: EmulatedCard | None,
        *,
        answer_chunk: int = 262,
        firmware: bytes = bytes([0x32, 0x01, 0x06, 0x07]),
    ) -> None:
        self.card = card
        self.answer_chunk = answer_chunk
        self.firmware = firmware
        self.faults = EmulatorFaults()
        self.log = EmulatorLog()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._decoder = FrameDecoder()
        self._awake = False
        self._active = False  # a target is activated (Tg 1)
        self._field_on = False
        self._halted = False  # released with InRelease: HALT state until the field goes off
        self._chained_in = bytearray()
        self._chained_out = b""
        self._last_answer = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pn532-emulator", daemon=True)

    def __enter__(self) -> Pn532Emulator:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    def power_cycle(self) -> None:
        """The PN532 resets: it sleeps again until woken up, and forgets its target."""
        self._awake = False
        self._active = False
        self._decoder.clear()

    # --- the loop ---

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                time.sleep(0.01)
                continue
            if not self._awake:
                at = data.find(b"\x55")
                if at < 0:
                    continue  # asleep: the UART ignores everything but the wake-up pattern
                self._awake = True
                self.log.woken += 1
                data = data[at:]
            self._decoder.feed(data)
            self._drain()

    def _drain(self) -> None:
        while True:
            try:
                frame = self._decoder.next_frame()
            except Pn532FrameError:
                self.log.bad_frames += 1  # the chip ignores a frame it cannot trust
                continue
            if frame is None:
                return
            if isinstance(frame, Nack):
                self.log.nacks += 1
                self._write(self._last_answer)
            elif isinstance(frame, Ack):
                self.log.aborts += 1
            elif isinstance(frame, InformationFrame) and frame.tfi == 0xD4 and frame.data:
                self._command(frame)

    def _command(self, frame: InformationFrame) -> None:
        if self.faults.ignore_commands:
            self.faults.ignore_commands -= 1
            return
        self.log.commands.append(frame)
        self._write(self.faults.garbage_before_ack + ACK_FRAME)
        if self.faults.silent:
            return
        if self.faults.answer_delay_s:
            time.sleep(self.faults.answer_delay_s)
        answer = self._answer(frame.code, frame.params)
        self._last_answer = answer
        if self.faults.corrupt_answers:
            self.faults.corrupt_answers -= 1
            broken = bytearray(answer)
            broken[-2] ^= 0x5A  # the DCS
            answer = bytes(broken)
        self._write(answer)

    def _answer(self, code: int, params: bytes) -> bytes:
        if code == Command.SAM_CONFIGURATION:
            return encode_response(code)
        if code == Command.GET_FIRMWARE_VERSION:
            return encode_response(code, self.firmware)
        if code == Command.RF_CONFIGURATION:
            if params[:2] == b"\x01\x00":
                self._field_on = False
                self._active = False
                self._halted = False
            return encode_response(code)
        if code == Command.IN_LIST_PASSIVE_TARGET:
            return encode_response(code, self._list(params))
        if code == Command.IN_DATA_EXCHANGE:
            return encode_response(code, self._exchange(params))
        if code in (Command.IN_RELEASE, Command.IN_DESELECT):
            self._halted = self._halted or self._active
            self._active = False
            return encode_response(code, b"\x00")
        if code == Command.DIAGNOSE and params[:1] == b"\x06":
            present = self._active and self.card is not None and self.card.transport.card_present()
            return encode_response(code, b"\x00" if present else bytes([STATUS_TIMEOUT]))
        return ERROR_FRAME

    def _list(self, params: bytes) -> bytes:
        self._field_on = True
        card = self.card
        if card is None or len(params) < 2 or params[1] != card.modulation or self._halted:
            return b"\x00"  # a HALTed card does not answer polling
        try:
            card.transport.connect()
        except CardNotPresent:
            return b"\x00"
        self._active = True
        self._chained_in.clear()
        self._chained_out = b""
        if card.modulation is Modulation.ISO14443A_106:
            return b"\x01\x01" + b"\x00\x04\x20" + bytes([len(card.uid)]) + card.uid + card.ats
        return b"\x01\x01\x50" + card.atqb_tail + b"\x01\x00"  # ATTRIB_RES: MBLI/CID byte

    def _exchange(self, params: bytes) -> bytes:
        if not self._active or self.card is None or not params or params[0] & 0x3F != 1:
            return bytes([STATUS_NOT_ACCEPTABLE])
        if self.faults.exchange_status is not None:
            status, self.faults.exchange_status = self.faults.exchange_status, None
            return bytes([status])
        more = bool(params[0] & MI_BIT)
        data = params[1:]
        if not data and self._chained_out:  # the host fetches the next part of a long answer
            return self._next_part()
        self._chained_in += data
        if more:
            return bytes([STATUS_OK])
        apdu, self._chained_in = bytes(self._chained_in), bytearray()
        try:
            self._chained_out = self.card.transport.transmit(apdu)
        except CardRemoved:
            self._active = False
            return bytes([STATUS_TIMEOUT])
        except CardError:
            return bytes([STATUS_RF_PROTOCOL])
        return self._next_part()

    def _next_part(self) -> bytes:
        part, self._chained_out = (
            self._chained_out[: self.answer_chunk],
            self._chained_out[self.answer_chunk :],
        )
        return bytes([MI_BIT if self._chained_out else STATUS_OK]) + part

    def _write(self, data: bytes) -> None:
        if not self.faults.trickle:
            os.write(self._master, data)
            return
        for i in range(0, len(data), 3):
            os.write(self._master, data[i : i + 3])
            time.sleep(0.0005)
