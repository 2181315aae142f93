"""Command and response APDUs (ISO/IEC 7816-4 §5.1), short and extended length, READ BINARY with
even and odd INS, and the mapping of status words to typed errors."""

from __future__ import annotations

from dataclasses import dataclass

from devices.card.errors import (
    CardAccessDenied,
    CardError,
    FileNotFound,
    ParseError,
    SecureMessagingError,
    StatusWordError,
    UnsupportedCommand,
    WrongLength,
    WrongOffset,
)
from devices.card.tlv import parse_one

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # warning: fewer bytes than Le, data is valid

SHORT_MAX_LC = 255
SHORT_MAX_LE = 256
EXTENDED_MAX_LE = 65536
MAX_EVEN_OFFSET = 0x7FFF  # READ BINARY B0 carries the offset in 15 bits of P1-P2
INS_READ_BINARY = 0xB0
INS_READ_BINARY_ODD = 0xB1


@dataclass(frozen=True)
class CommandAPDU:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # expected response length; 256 (short) / 65536 (extended) = "all"
    extended: bool = False

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ParseError(f"APDU {name} out of range")
        if self.needs_extended and not self.extended:
            object.__setattr__(self, "extended", True)

    @property
    def needs_extended(self) -> bool:
        return len(self.data) > SHORT_MAX_LC or (self.le is not None and self.le > SHORT_MAX_LE)

    @property
    def header(self) -> bytes:
        return bytes((self.cla, self.ins, self.p1, self.p2))

    def encode(self) -> bytes:
        body = b""
        if self.extended:
            if self.data:
                body += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
            if self.le is not None:
                le = self.le.to_bytes(2, "big") if self.le < EXTENDED_MAX_LE else b"\x00\x00"
                body += le if self.data else b"\x00" + le
        else:
            if self.data:
                body += bytes((len(self.data),)) + self.data
            if self.le is not None:
                body += bytes((self.le & 0xFF,))  # 256 → 00
        return self.header + body

    @classmethod
    def decode(cls, raw: bytes) -> CommandAPDU:
        """Parse an encoded command (ISO 7816-4 §5.1 cases 1–4, short and extended)."""
        if len(raw) < 4:
            raise ParseError("command APDU shorter than its header")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or SHORT_MAX_LE)
        if body[0] != 0 or len(body) < 3:
            lc = body[0]
            if len(body) == 1 + lc:
                return cls(cla, ins, p1, p2, body[1:])
            if len(body) == 2 + lc:
                return cls(cla, ins, p1, p2, body[1:-1], le=body[-1] or SHORT_MAX_LE)
            raise ParseError("command APDU length fields do not match its size")
        # extended length: body starts with 00
        if len(body) == 3:
            le = int.from_bytes(body[1:3], "big") or EXTENDED_MAX_LE
            return cls(cla, ins, p1, p2, le=le, extended=True)
        lc = int.from_bytes(body[1:3], "big")
        rest = body[3:]
        if len(rest) == lc:
            return cls(cla, ins, p1, p2, rest, extended=True)
        if len(rest) == lc + 2:
            le = int.from_bytes(rest[-2:], "big") or EXTENDED_MAX_LE
            return cls(cla, ins, p1, p2, rest[:-2], le=le, extended=True)
        raise ParseError("extended command APDU length fields do not match its size")


@dataclass(frozen=True)
class ResponseAPDU:
    data: bytes
    sw: int

    @classmethod
    def decode(cls, raw: bytes) -> ResponseAPDU:
        if len(raw) < 2:
            raise ParseError("response APDU shorter than its status word")
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))

    def encode(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    def check(self) -> ResponseAPDU:
        """Return self if the status word says success, else raise its typed error."""
        raise_for_status(self.sw)
        return self


# --- READ BINARY (ISO/IEC 7816-4 §11.2.3) -------------------------------------------------------


def discretionary_overhead(length: int) -> int:
    """Bytes the DO'53' tag and length add around `length` data bytes."""
    return 2 if length < 0x80 else 3 if length < 0x100 else 4 if length < 0x10000 else 5


def odd_read_capacity(le: int) -> int:
    """The most file bytes an odd-INS answer of at most `le` bytes (DO'53' included) carries."""
    n = max(0, le - 2)
    while n and n + discretionary_overhead(n) > le:
        n -= 1
    return n


def read_binary(offset: int, want: int, *, extended: bool = False) -> CommandAPDU:
    """READ BINARY of `want` bytes from `offset` of the current EF: INS B0 with the offset in
    P1-P2 up to 32,767; beyond, INS B1 with P1-P2 = 0000 (current EF) and the offset in DO'54',
    Le then covering the DO'53' that wraps the answer."""
    if offset < 0:
        raise ValueError("negative offset")
    if offset <= MAX_EVEN_OFFSET:
        return CommandAPDU(
            0x00, INS_READ_BINARY, offset >> 8, offset & 0xFF, le=want, extended=extended
        )
    size = max(1, (offset.bit_length() + 7) // 8)
    data = bytes((0x54, size)) + offset.to_bytes(size, "big")
    le = want + discretionary_overhead(want)
    return CommandAPDU(0x00, INS_READ_BINARY_ODD, 0x00, 0x00, data, le=le, extended=extended)


def read_binary_data(command: CommandAPDU, response_data: bytes) -> bytes:
    """The file bytes of a READ BINARY answer: as is for B0, the value of DO'53' for B1."""
    if command.ins != INS_READ_BINARY_ODD or not response_data:
        return response_data
    try:
        element = parse_one(response_data)
    except CardError as exc:
        raise ParseError(f"READ BINARY B1 answer is not one DO'53': {exc}") from exc
    if element.tag != 0x53:
        raise ParseError(f"READ BINARY B1 answer has tag {element.tag:X}, not 53")
    return element.value


def offset_of(command: CommandAPDU) -> int:
    """The chip's view: the offset a READ BINARY names (B0: P1-P2; B1: DO'54')."""
    if command.ins == INS_READ_BINARY:
        return command.p2 if command.p1 & 0x80 else (command.p1 << 8) | command.p2
    element = parse_one(command.data)
    if element.tag != 0x54 or not 0 < len(element.value) <= 4:
        raise ParseError("READ BINARY B1 needs an offset data object 54")
    return int.from_bytes(element.value, "big")


def raise_for_status(sw: int) -> None:
    """Raise the typed error for a status word (ISO 7816-4 §5.6, ICAO 9303-11 §9.8.6)."""
    if sw in (SW_OK, SW_END_OF_FILE) or sw >> 8 == 0x61:
        return
    error = status_error(sw)
    raise error


def status_error(sw: int) -> StatusWordError:
    high = sw >> 8
    if sw == 0x6300 or high == 0x63 or sw in (0x6982, 0x6983, 0x6984, 0x6985):
        return CardAccessDenied(sw)
    if sw in (0x6A82, 0x6A83):
        return FileNotFound(sw)
    if sw == 0x6700:
        return WrongLength(sw)
    if high == 0x6C:
        return WrongLength(sw, exact_length=(sw & 0xFF) or 256)
    if sw == 0x6B00:
        return WrongOffset(sw)
    if sw in (0x6D00, 0x6E00, 0x6A81, 0x6A86, 0x6881, 0x6882):
        return UnsupportedCommand(sw)
    if sw in (0x6987, 0x6988):
        return SecureMessagingError(sw)
    return StatusWordError(sw)
