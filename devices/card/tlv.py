"""BER-TLV (ISO/IEC 8825-1, ISO/IEC 7816-4 §5.2): a real parser and encoder.

Tags are returned as integers of their full encoding (`0x5F1F`, `0x7F61`, `0x30`); lengths may
use the short form, the long forms 81–84, or (BER only) the indefinite form 80 ended by 00 00.
Every malformed input raises `ParseError`, never `IndexError` or `ValueError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from devices.card.errors import ParseError

MAX_DEPTH = 32


@dataclass(frozen=True)
class TLV:
    tag: int
    value: bytes
    raw: bytes  # the whole element (tag, length, value) as encoded

    @property
    def constructed(self) -> bool:
        return bool(_first_tag_byte(self.tag) & 0x20)

    @property
    def tag_class(self) -> int:
        """0 universal, 1 application, 2 context-specific, 3 private."""
        return _first_tag_byte(self.tag) >> 6

    def children(self) -> list[TLV]:
        if not self.constructed:
            raise ParseError(f"tag {self.tag:X} is primitive and has no children")
        return list(iter_tlv(self.value))

    def child(self, tag: int) -> TLV:
        element = self.find(tag)
        if element is None:
            raise ParseError(f"tag {self.tag:X} has no child {tag:X}")
        return element

    def find(self, tag: int) -> TLV | None:
        """The first child with `tag`, walking no further than it (padding after it is not read)."""
        if not self.constructed:
            raise ParseError(f"tag {self.tag:X} is primitive and has no children")
        for element in iter_tlv(self.value):
            if element.tag == tag:
                return element
        return None


def _first_tag_byte(tag: int) -> int:
    while tag > 0xFF:
        tag >>= 8
    return tag


def read_tag(data: bytes, offset: int) -> tuple[int, int]:
    """(tag, offset after the tag)."""
    if offset >= len(data):
        raise ParseError("data ends where a tag should start")
    first = data[offset]
    tag = first
    offset += 1
    if first & 0x1F == 0x1F:
        for count in range(4):
            if offset >= len(data):
                raise ParseError("data ends inside a multi-byte tag")
            byte = data[offset]
            offset += 1
            tag = (tag << 8) | byte
            if not byte & 0x80:
                break
            if count == 3:
                raise ParseError("tag longer than 5 bytes")
    return tag, offset


def read_length(data: bytes, offset: int) -> tuple[int | None, int]:
    """(length or None for indefinite, offset after the length)."""
    if offset >= len(data):
        raise ParseError("data ends where a length should start")
    first = data[offset]
    offset += 1
    if first < 0x80:
        return first, offset
    if first == 0x80:
        return None, offset
    count = first & 0x7F
    if count > 4:
        raise ParseError(f"length field of {count} bytes is not supported")
    if offset + count > len(data):
        raise ParseError("data ends inside a length field")
    return int.from_bytes(data[offset : offset + count], "big"), offset + count


def parse_element(data: bytes, offset: int = 0, depth: int = 0) -> tuple[TLV, int]:
    """Parse one element at `offset`; returns it and the offset after it."""
    if depth > MAX_DEPTH:
        raise ParseError("TLV nesting too deep")
    start = offset
    tag, offset = read_tag(data, offset)
    length, offset = read_length(data, offset)
    if length is None:  # indefinite form: constructed only, children until 00 00
        if not _first_tag_byte(tag) & 0x20:
            raise ParseError("indefinite length on a primitive tag")
        value_start = offset
        while True:
            if data[offset : offset + 2] == b"\x00\x00":
                value = data[value_start:offset]
                offset += 2
                break
            if offset >= len(data):
                raise ParseError("indefinite-length element has no end-of-contents")
            _, offset = parse_element(data, offset, depth + 1)
        return TLV(tag, value, data[start:offset]), offset
    end = offset + length
    if end > len(data):
        raise ParseError(f"tag {tag:X} claims {length} bytes but only {len(data) - offset} remain")
    return TLV(tag, data[offset:end], data[start:end]), end


def iter_tlv(data: bytes) -> Iterator[TLV]:
    """Each element of a concatenation of TLVs (no padding bytes allowed between them)."""
    offset = 0
    while offset < len(data):
        element, offset = parse_element(data, offset)
        yield element


def parse_one(data: bytes) -> TLV:
    """Exactly one element filling `data` (trailing bytes are an error)."""
    element, end = parse_element(data)
    if end != len(data):
        raise ParseError(f"{len(data) - end} unexpected bytes after tag {element.tag:X}")
    return element


def parse_prefix(data: bytes) -> TLV:
    """The first element of `data`, ignoring what follows (files padded by the card)."""
    return parse_element(data)[0]


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")


def encode_tlv(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value


def total_length(header: bytes) -> int | None:
    """From the first bytes of a file, the length of its outer element (None: need more bytes)."""
    try:
        _, offset = read_tag(header, 0)
        length, offset = read_length(header, offset)
    except ParseError:
        return None
    if length is None:
        raise ParseError("indefinite length at file level")
    return offset + length
