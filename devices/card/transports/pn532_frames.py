"""PN532 host-link frames and commands, free of I/O (NXP PN532 User Manual UM0701-02).

Frames (§6.2.1): normal information frame `00 00 FF LEN LCS TFI PD0..PDn DCS 00`, extended
information frame `00 00 FF FF FF LENM LENL LCS TFI PD0..PDn DCS 00`, ACK `00 00 FF 00 FF 00`,
NACK `00 00 FF FF 00 00` and the application-level error frame `00 00 FF 01 FF 7F 81 00`.
LEN counts TFI and PD0..PDn; LEN + LCS and TFI + PD0 + ... + PDn + DCS are 0 modulo 256.

`FrameDecoder` is a streaming decoder: feed it whatever the serial port produced (partial frames,
garbage, wake-up bytes), then take frames out one by one. It raises only `Pn532FrameError`.

Commands (§7) used by the transport: GetFirmwareVersion, SAMConfiguration, RFConfiguration,
InListPassiveTarget (106 kbps ISO/IEC 14443 type A and type B), InDataExchange with the MI bit for
host-side chaining, InRelease and Diagnose (card presence test).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from devices.card.errors import ProtocolError, TransportError

TFI_HOST = 0xD4  # host controller → PN532
TFI_PN532 = 0xD5  # PN532 → host controller
TFI_ERROR = 0x7F  # the specific application-level error frame (§6.2.1.5)

ACK_FRAME = bytes.fromhex("0000FF00FF00")  # §6.2.1.3
NACK_FRAME = bytes.fromhex("0000FFFF0000")  # §6.2.1.4
ERROR_FRAME = bytes.fromhex("0000FF01FF7F8100")  # §6.2.1.5

# HSU wake-up (UM0701-02 power management, HSU wake-up condition; AN10609 "Low VBat" start-up):
# 0x55 bytes wake the UART, then enough idle bytes for the PN532 to start its oscillator before the
# first command frame, which must be SAMConfiguration.
HSU_WAKEUP = b"\x55\x55" + bytes(14)

START_CODE = b"\x00\xff"
NORMAL_MAX_LEN = 255  # TFI + PD0..PDn in one normal information frame (§6.2.1.1)
EXTENDED_MAX_LEN = 265  # TFI + 264 bytes of packet data: the firmware's limit (§6.2.1.2)

IN_DATA_EXCHANGE_MAX_OUT = 252  # DataOut bytes per InDataExchange frame when chaining (§7.3.8)
MI_BIT = 0x40  # More Information: in Tg (host → PN532) and in Status (PN532 → host)
NAD_BIT = 0x80
STATUS_ERROR_MASK = 0x3F

PN532_IC = 0x32  # the IC byte of GetFirmwareVersion for a PN532


class Pn532FrameError(TransportError):
    """A frame from the serial link is malformed (bad start, length or checksum)."""


class Pn532ChecksumError(Pn532FrameError):
    """A frame arrived whole but its data checksum is wrong: ask for it again with NACK."""


class Command(IntEnum):
    """PN532 command codes (§7.1, table 12); the response code is the command code + 1."""

    DIAGNOSE = 0x00
    GET_FIRMWARE_VERSION = 0x02
    SAM_CONFIGURATION = 0x14
    RF_CONFIGURATION = 0x32
    IN_DATA_EXCHANGE = 0x40
    IN_DESELECT = 0x44
    IN_LIST_PASSIVE_TARGET = 0x4A
    IN_RELEASE = 0x52


class Modulation(IntEnum):
    """BrTy of InListPassiveTarget (§7.3.5)."""

    ISO14443A_106 = 0x00
    ISO14443B_106 = 0x03


# Error codes of the Status byte (§7.1, table 13), the ones the transport must tell apart.
STATUS_TIMEOUT = 0x01
STATUS_NAMES: dict[int, str] = {
    0x01: "time out, the target has not answered",
    0x02: "CRC error detected by the CIU",
    0x03: "parity error detected by the CIU",
    0x04: "erroneous bit count during anti-collision",
    0x05: "framing error during MIFARE operation",
    0x06: "abnormal bit-collision during anti-collision at 106 kbps",
    0x07: "communication buffer size insufficient",
    0x09: "RF buffer overflow detected by the CIU",
    0x0A: "RF field has not been switched on in time",
    0x0B: "RF protocol error",
    0x0D: "temperature error: the antenna drivers were switched off",
    0x0E: "internal buffer overflow",
    0x10: "invalid parameter",
    0x12: "DEP protocol: unsupported command",
    0x13: "DEP protocol or MIFARE: data format does not match the specification",
    0x14: "MIFARE authentication error",
    0x23: "ISO/IEC 14443-3: UID check byte is wrong",
    0x25: "DEP protocol: invalid device state",
    0x26: "operation not allowed in this configuration",
    0x27: "command not acceptable in the current context",
    0x29: "the target has been released by the initiator",
    0x2A: "the card ID does not match: the card has been exchanged",
    0x2B: "the card previously activated has disappeared",
    0x2C: "NFCID3 initiator/target mismatch in DEP 212/424 kbps passive",
    0x2D: "over-current event detected",
    0x2E: "NAD missing in DEP frame",
}
# Statuses that mean the card is no longer answering (gone, swapped, or the RF link broke).
CARD_GONE_STATUSES = frozenset({0x01, 0x02, 0x03, 0x05, 0x0A, 0x0B, 0x29, 0x2A, 0x2B})
# Statuses that mean the answer did not fit the PN532's buffers.
BUFFER_STATUSES = frozenset({0x07, 0x09, 0x0E})


def status_text(status: int) -> str:
    code = status & STATUS_ERROR_MASK
    return STATUS_NAMES.get(code, f"unknown error 0x{code:02X}")


# --- frames -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    """ACK frame (§6.2.1.3)."""


@dataclass(frozen=True)
class Nack:
    """NACK frame (§6.2.1.4): the receiver asks for the last frame again."""


@dataclass(frozen=True)
class ErrorFrame:
    """Application-level syntax error frame (§6.2.1.5)."""


@dataclass(frozen=True)
class InformationFrame:
    """A normal or extended information frame: TFI and packet data PD0..PDn (§6.2.1.1-2)."""

    tfi: int
    data: bytes
    extended: bool = False

    @property
    def code(self) -> int:
        """PD0, the command (or response) code."""
        if not self.data:
            raise ProtocolError("information frame without a command code")
        return self.data[0]

    @property
    def params(self) -> bytes:
        return self.data[1:]


Frame = Ack | Nack | ErrorFrame | InformationFrame


def checksum(data: bytes) -> int:
    """The byte that makes the sum of `data` and itself 0 modulo 256 (LCS and DCS)."""
    return -sum(data) & 0xFF


def encode_information_frame(tfi: int, data: bytes, *, extended: bool | None = None) -> bytes:
    """Wrap TFI + packet data in a normal frame, or an extended one when it is longer than 255.

    `extended=True` forces the extended format (allowed for short frames, §6.2.1.2).
    """
    length = 1 + len(data)
    if length > EXTENDED_MAX_LEN:
        raise Pn532FrameError(f"{length} bytes exceed the PN532 frame limit of {EXTENDED_MAX_LEN}")
    body = bytes([tfi]) + data
    use_extended = length > NORMAL_MAX_LEN if extended is None else extended
    if use_extended:
        size = length.to_bytes(2, "big")
        header = b"\xff\xff" + size + bytes([checksum(size)])
    else:
        if length > NORMAL_MAX_LEN:
            raise Pn532FrameError(f"{length} bytes do not fit a normal information frame")
        header = bytes([length, checksum(bytes([length]))])
    return b"\x00" + START_CODE + header + body + bytes([checksum(body)]) + b"\x00"


def encode_command(command: int, params: bytes = b"", *, extended: bool | None = None) -> bytes:
    """A host → PN532 command frame (TFI D4)."""
    return encode_information_frame(TFI_HOST, bytes([command]) + params, extended=extended)


def encode_response(command: int, params: bytes = b"", *, extended: bool | None = None) -> bytes:
    """A PN532 → host response frame (TFI D5, code = command + 1); used by emulators."""
    return encode_information_frame(TFI_PN532, bytes([command + 1]) + params, extended=extended)


class FrameDecoder:
    """Streaming decoder: `feed` bytes as they arrive, then `next_frame` until it returns None.

    Bytes before a start code (preambles, HSU wake-up, line noise) are skipped. A frame whose length
    checksum is wrong raises `Pn532FrameError` and decoding resumes just after its start code; a
    frame whose data checksum is wrong is consumed whole and raises `Pn532ChecksumError`.
    """

    def __init__(self, *, max_len: int = EXTENDED_MAX_LEN) -> None:
        self._buffer = bytearray()
        self._max_len = max_len
        self.skipped = 0  # bytes dropped while hunting for a start code

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def clear(self) -> None:
        self._buffer.clear()

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buffer)

    def next_frame(self) -> Frame | None:
        buf = self._buffer
        start = buf.find(START_CODE)
        if start < 0:
            keep = 1 if buf.endswith(b"\x00") else 0  # a start code may straddle two reads
            self._drop(len(buf) - keep)
            return None
        self._drop(start)
        if len(buf) < 4:
            return None
        length, lcs = buf[2], buf[3]
        if length == 0x00 and lcs == 0xFF:
            return self._finish(Ack(), 4)
        if length == 0xFF and lcs == 0x00:
            return self._finish(Nack(), 4)
        if length == 0xFF and lcs == 0xFF:
            if len(buf) < 7:
                return None
            length = (buf[4] << 8) | buf[5]
            if (buf[4] + buf[5] + buf[6]) & 0xFF:
                self._drop(2)
                raise Pn532FrameError("extended frame length checksum is wrong")
            header, extended = 7, True
        else:
            if (length + lcs) & 0xFF:
                self._drop(2)
                raise Pn532FrameError("frame length checksum is wrong")
            header, extended = 4, False
        if length == 0 or length > self._max_len:
            self._drop(2)
            raise Pn532FrameError(f"frame length {length} is outside 1..{self._max_len}")
        end = header + length  # index of DCS
        if len(buf) < end + 1:
            return None
        body = bytes(buf[header:end])
        if (sum(body) + buf[end]) & 0xFF:
            self._consume_frame(end + 1)
            raise Pn532ChecksumError("frame data checksum is wrong")
        self._consume_frame(end + 1)
        if body[0] == TFI_ERROR and length == 1:
            return ErrorFrame()
        return InformationFrame(tfi=body[0], data=body[1:], extended=extended)

    def _finish(self, frame: Frame, size: int) -> Frame:
        self._consume_frame(size)
        return frame

    def _consume_frame(self, size: int) -> None:
        """Drop a frame of `size` bytes counted from its start code, and its postamble if there."""
        if len(self._buffer) > size and self._buffer[size] == 0x00:
            size += 1
        del self._buffer[:size]

    def _drop(self, n: int) -> None:
        if n > 0:
            del self._buffer[:n]
            self.skipped += n


# --- commands and their answers -----------------------------------------------------------------


@dataclass(frozen=True)
class FirmwareVersion:
    """GetFirmwareVersion answer (§7.2.2): IC, version, revision, supported-protocol bits."""

    ic: int
    version: int
    revision: int
    support: int

    @property
    def is_pn532(self) -> bool:
        return self.ic == PN532_IC

    @property
    def supports_type_b(self) -> bool:
        return bool(self.support & 0x02)

    def __str__(self) -> str:
        return f"PN5{self.ic:02X} v{self.version}.{self.revision}"


@dataclass(frozen=True)
class Target:
    """One target activated by InListPassiveTarget (§7.3.5)."""

    tg: int
    modulation: Modulation
    uid: bytes  # NFCID1 (type A) or PUPI (type B)
    sens_res: bytes = b""  # ATQA, type A
    sel_res: int = 0  # SAK, type A
    ats: bytes = b""  # type A answer to select (empty when the card is not ISO/IEC 14443-4)
    atqb: bytes = b""  # type B
    attrib_res: bytes = b""  # type B

    @property
    def iso14443_4(self) -> bool:
        """Whether the card speaks ISO/IEC 14443-4 (APDUs): SAK bit 6 for A, always for B here."""
        if self.modulation is Modulation.ISO14443B_106:
            return True
        return bool(self.sel_res & 0x20)


def get_firmware_version() -> bytes:
    return encode_command(Command.GET_FIRMWARE_VERSION)


def sam_configuration(mode: int = 0x01, timeout: int = 0x14, irq: int = 0x01) -> bytes:
    """SAMConfiguration (§7.2.10): normal mode (no SAM), the usual first command after wake-up."""
    return encode_command(Command.SAM_CONFIGURATION, bytes([mode, timeout, irq]))


def rf_max_retries(atr: int = 0xFF, psl: int = 0x01, passive_activation: int = 0x02) -> bytes:
    """RFConfiguration item 0x05 MaxRetries (§7.3.1): bound InListPassiveTarget's polling so that
    "no card" answers NbTg = 0 instead of waiting forever (0xFF)."""
    return encode_command(Command.RF_CONFIGURATION, bytes([0x05, atr, psl, passive_activation]))


def rf_field(on: bool) -> bytes:
    """RFConfiguration item 0x01 RF field (§7.3.1): off powers every card in the field down."""
    return encode_command(Command.RF_CONFIGURATION, bytes([0x01, 0x01 if on else 0x00]))


def in_list_passive_target(modulation: Modulation, max_targets: int = 1, afi: int = 0x00) -> bytes:
    """InListPassiveTarget (§7.3.5); type B needs InitiatorData = AFI (0x00: all families)."""
    params = bytes([max_targets, modulation])
    if modulation is Modulation.ISO14443B_106:
        params += bytes([afi])
    return encode_command(Command.IN_LIST_PASSIVE_TARGET, params)


def in_data_exchange(tg: int, data: bytes, *, more: bool = False) -> bytes:
    """InDataExchange (§7.3.8); `more` sets MI in Tg: the rest of the APDU follows in the next
    command. With `data` empty and `more` False it fetches the next part of a chained answer."""
    if len(data) > EXTENDED_MAX_LEN - 3:
        raise Pn532FrameError(f"{len(data)} bytes of DataOut exceed one InDataExchange")
    return encode_command(Command.IN_DATA_EXCHANGE, bytes([tg | (MI_BIT if more else 0)]) + data)


def in_release(tg: int) -> bytes:
    """InRelease (§7.3.11): end the session with the target (0 releases all)."""
    return encode_command(Command.IN_RELEASE, bytes([tg]))


def diagnose_card_presence() -> bytes:
    """Diagnose NumTst 0x06 (§7.2.1): ISO/IEC 14443-4 card presence detection."""
    return encode_command(Command.DIAGNOSE, b"\x06")


def chunk_apdu(apdu: bytes, size: int = IN_DATA_EXCHANGE_MAX_OUT) -> list[tuple[bytes, bool]]:
    """Split a command APDU into InDataExchange DataOut parts: (part, more-follows)."""
    if size < 1:
        raise ValueError("chunk size must be positive")
    if not apdu:
        return [(b"", False)]
    parts = [apdu[i : i + size] for i in range(0, len(apdu), size)]
    return [(part, i < len(parts) - 1) for i, part in enumerate(parts)]


def expect_response(frame: Frame, command: int) -> bytes:
    """The parameters of `command`'s response frame; typed errors for anything else."""
    if isinstance(frame, ErrorFrame):
        raise TransportError("the PN532 reported a syntax error for the last command")
    if not isinstance(frame, InformationFrame):
        raise ProtocolError(f"expected a response frame, got {type(frame).__name__}")
    if frame.tfi != TFI_PN532:
        raise ProtocolError(f"response frame has TFI 0x{frame.tfi:02X}, not D5")
    if not frame.data or frame.code != command + 1:
        got = f"0x{frame.code:02X}" if frame.data else "nothing"
        raise ProtocolError(f"expected response 0x{command + 1:02X}, got {got}")
    return frame.params


def parse_firmware_version(params: bytes) -> FirmwareVersion:
    if len(params) != 4:
        raise ProtocolError(f"GetFirmwareVersion answer has {len(params)} bytes, expected 4")
    return FirmwareVersion(*params)


def parse_in_list_passive_target(params: bytes, modulation: Modulation) -> list[Target]:
    """NbTg then TargetData per target (§7.3.5): type A `Tg SENS_RES(2) SEL_RES NFCIDLength
    NFCID1 [ATS]`, type B `Tg ATQB(12) ATTRIB_RES-length ATTRIB_RES`."""
    if not params:
        raise ProtocolError("InListPassiveTarget answer is empty")
    count, pos, targets = params[0], 1, []
    for _ in range(count):
        if modulation is Modulation.ISO14443A_106:
            target, pos = _parse_type_a(params, pos)
        else:
            target, pos = _parse_type_b(params, pos)
        targets.append(target)
    if pos != len(params):
        raise ProtocolError("InListPassiveTarget answer has trailing bytes")
    return targets


def _take(params: bytes, pos: int, n: int) -> tuple[bytes, int]:
    if pos + n > len(params):
        raise ProtocolError("InListPassiveTarget answer is truncated")
    return params[pos : pos + n], pos + n


def _parse_type_a(params: bytes, pos: int) -> tuple[Target, int]:
    head, pos = _take(params, pos, 5)
    tg, sens_res, sel_res, uid_len = head[0], head[1:3], head[3], head[4]
    uid, pos = _take(params, pos, uid_len)
    ats = b""
    if sel_res & 0x20 and pos < len(params):
        ats_len = params[pos]  # TL counts itself
        if ats_len == 0:
            raise ProtocolError("ATS length byte is zero")
        ats, pos = _take(params, pos, ats_len)
    target = Target(tg, Modulation.ISO14443A_106, uid, sens_res=sens_res, sel_res=sel_res, ats=ats)
    return target, pos


def _parse_type_b(params: bytes, pos: int) -> tuple[Target, int]:
    head, pos = _take(params, pos, 14)
    tg, atqb, attrib_len = head[0], head[1:13], head[13]
    if atqb[0] != 0x50:
        raise ProtocolError(f"ATQB starts with 0x{atqb[0]:02X}, not 0x50")
    attrib_res, pos = _take(params, pos, attrib_len)
    target = Target(tg, Modulation.ISO14443B_106, atqb[1:5], atqb=atqb, attrib_res=attrib_res)
    return target, pos


@dataclass(frozen=True)
class ExchangeAnswer:
    """InDataExchange answer: Status (error code, MI, NAD bits) and DataIn."""

    status: int
    data: bytes

    @property
    def error(self) -> int:
        return self.status & STATUS_ERROR_MASK

    @property
    def more(self) -> bool:
        return bool(self.status & MI_BIT)


def parse_in_data_exchange(params: bytes) -> ExchangeAnswer:
    if not params:
        raise ProtocolError("InDataExchange answer has no status byte")
    return ExchangeAnswer(params[0], params[1:])


def exchange_wire_bytes(
    command_len: int, response_len: int, *, chunk: int = IN_DATA_EXCHANGE_MAX_OUT
) -> tuple[int, int]:
    """Bytes on the serial link for one APDU exchange: (host → PN532, PN532 → host).

    Counts every InDataExchange frame (with MI chaining), every ACK the PN532 sends, and the
    response frames (normal up to 255 bytes of TFI + data, extended above); a link model for
    benchmarks.
    """
    host = pn532 = 0
    parts = chunk_apdu(bytes(command_len), chunk)
    for part, more in parts[:-1]:
        host += len(in_data_exchange(1, part, more=more))
        pn532 += len(ACK_FRAME) + len(encode_response(Command.IN_DATA_EXCHANGE, b"\x00"))
    host += len(in_data_exchange(1, parts[-1][0]))
    pn532 += len(ACK_FRAME)
    remaining = response_len
    answer_max = EXTENDED_MAX_LEN - 3  # TFI, code and Status around DataIn
    while True:
        piece = min(remaining, answer_max)
        pn532 += len(encode_response(Command.IN_DATA_EXCHANGE, bytes(1 + piece)))
        remaining -= piece
        if remaining <= 0:
            break
        host += len(in_data_exchange(1, b""))
        pn532 += len(ACK_FRAME)
    return host, pn532
