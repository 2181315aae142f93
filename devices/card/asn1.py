"""Small DER helpers on top of `tlv`: object identifiers, integers, strings, and encoders for the
structures the simulator builds (SOD, DG14, certificates' neighbours)."""

from __future__ import annotations

from devices.card.errors import ParseError
from devices.card.tlv import TLV, encode_tlv

INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
UTF8_STRING = 0x0C
PRINTABLE_STRING = 0x13
IA5_STRING = 0x16
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
SEQUENCE = 0x30
SET = 0x31


def decode_oid(value: bytes) -> str:
    if not value or value[-1] & 0x80:
        raise ParseError("malformed object identifier")
    arcs: list[int] = []
    current = 0
    for byte in value:
        current = (current << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(current)
            current = 0
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(arc) for arc in head + arcs[1:])


def encode_oid_value(dotted: str) -> bytes:
    try:
        arcs = [int(part) for part in dotted.split(".")]
    except ValueError as exc:
        raise ParseError(f"bad OID {dotted!r}") from exc
    if len(arcs) < 2:
        raise ParseError(f"bad OID {dotted!r}")
    out = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def oid(element: TLV) -> str:
    if element.tag != OID:
        raise ParseError(f"expected an OID, found tag {element.tag:X}")
    return decode_oid(element.value)


def integer(element: TLV) -> int:
    if element.tag != INTEGER or not element.value:
        raise ParseError(f"expected an INTEGER, found tag {element.tag:X}")
    return int.from_bytes(element.value, "big", signed=True)


def text(element: TLV) -> str:
    """A string value, UTF-8 decoded (Printable/IA5/UTF8 strings are all ASCII-compatible)."""
    try:
        return element.value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"tag {element.tag:X} is not valid UTF-8") from exc


# --- encoders -------------------------------------------------------------------------------------


def der_oid(dotted: str) -> bytes:
    return encode_tlv(OID, encode_oid_value(dotted))


def der_int(value: int) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)
    return encode_tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def der_seq(*parts: bytes) -> bytes:
    return encode_tlv(SEQUENCE, b"".join(parts))


def der_set(*parts: bytes) -> bytes:
    """SET OF in DER order (elements sorted by their encodings)."""
    return encode_tlv(SET, b"".join(sorted(parts)))


def der_octets(value: bytes) -> bytes:
    return encode_tlv(OCTET_STRING, value)


def der_utf8(value: str) -> bytes:
    return encode_tlv(UTF8_STRING, value.encode("utf-8"))


def der_printable(value: str) -> bytes:
    return encode_tlv(PRINTABLE_STRING, value.encode("ascii"))


def der_null() -> bytes:
    return encode_tlv(NULL, b"")
