"""BER-TLV parsing (ISO/IEC 8825-1): multi-byte tags, long and indefinite lengths, errors."""

import pytest

from devices.card.errors import ParseError
from devices.card.tlv import encode_tlv, parse_one, total_length


def test_two_byte_tags_and_long_lengths_parse() -> None:
    value = b"x" * 300
    element = parse_one(encode_tlv(0x5F2E, value))
    assert (element.tag, element.value) == (0x5F2E, value)
    assert encode_tlv(0x5F2E, value)[2:5] == b"\x82\x01\x2c"


def test_constructed_children_are_parsed() -> None:
    data = encode_tlv(0x7F61, encode_tlv(0x02, b"\x01") + encode_tlv(0x7F60, encode_tlv(0xA1, b"")))
    element = parse_one(data)
    assert [c.tag for c in element.children()] == [0x02, 0x7F60]
    assert element.child(0x7F60).constructed


def test_indefinite_length_ends_at_end_of_contents() -> None:
    data = bytes.fromhex("30800201010000")
    element = parse_one(data)
    assert element.children()[0].value == b"\x01"


@pytest.mark.parametrize(
    "data",
    ["", "5F", "5FFF", "0285", "0205AA", "0480", "30800201"],
    ids=["empty", "tag cut", "long tag cut", "length field too long", "value cut",
         "indefinite primitive", "indefinite without end"],
)  # fmt: skip
def test_malformed_input_raises_parse_error(data: str) -> None:
    with pytest.raises(ParseError):
        parse_one(bytes.fromhex(data))


def test_trailing_bytes_after_one_element_are_an_error() -> None:
    with pytest.raises(ParseError):
        parse_one(bytes.fromhex("020101FF"))


def test_total_length_needs_only_the_header() -> None:
    assert total_length(bytes.fromhex("75824E20")) == 4 + 0x4E20
    assert total_length(bytes.fromhex("7582")) is None


def test_find_stops_at_the_match_without_walking_what_follows() -> None:
    element = parse_one(encode_tlv(0x61, encode_tlv(0x5F1F, b"MRZ") + b"\xff\xff"))
    assert element.child(0x5F1F).value == b"MRZ"
    with pytest.raises(ParseError):
        element.children()  # the bytes after the match are malformed: only a full walk sees them
