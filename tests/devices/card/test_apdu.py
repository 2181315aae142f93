"""Command/response APDUs (ISO/IEC 7816-4 §5.1) and status words mapped to typed errors."""

import pytest

from devices.card.apdu import (
    CommandAPDU,
    ResponseAPDU,
    odd_read_capacity,
    offset_of,
    raise_for_status,
    read_binary,
    read_binary_data,
    status_error,
)
from devices.card.errors import (
    CardAccessDenied,
    FileNotFound,
    ParseError,
    SecureMessagingError,
    StatusWordError,
    UnsupportedCommand,
    WrongLength,
    WrongOffset,
)


@pytest.mark.parametrize(
    ("apdu", "encoded"),
    [
        (CommandAPDU(0x00, 0x84, 0x00, 0x00, le=8), "0084000008"),  # case 2 short
        (CommandAPDU(0x00, 0xA4, 0x02, 0x0C, bytes.fromhex("011E")), "00A4020C02011E"),  # case 3
        (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=256), "00B0000000"),  # Le 256 → 00
        (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=0x800), "00B00000000800"),  # extended case 2
        (CommandAPDU(0x00, 0x86, 0, 0, b"\x01" * 300, le=65536),
         "0086000000012C" + "01" * 300 + "0000"),  # extended case 4
    ],
)  # fmt: skip
def test_commands_encode_per_iso7816_4_cases(apdu: CommandAPDU, encoded: str) -> None:
    assert apdu.encode().hex().upper() == encoded.upper()
    assert CommandAPDU.decode(apdu.encode()) == apdu


def test_a_command_with_inconsistent_lengths_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        CommandAPDU.decode(bytes.fromhex("00A4020C05011E"))


@pytest.mark.parametrize(
    ("sw", "error"),
    [
        (0x6300, CardAccessDenied),
        (0x63C2, CardAccessDenied),
        (0x6982, CardAccessDenied),
        (0x6A82, FileNotFound),
        (0x6700, WrongLength),
        (0x6C10, WrongLength),
        (0x6B00, WrongOffset),
        (0x6D00, UnsupportedCommand),
        (0x6E00, UnsupportedCommand),
        (0x6987, SecureMessagingError),
        (0x6988, SecureMessagingError),
        (0x6F00, StatusWordError),
    ],
)
def test_status_words_map_to_typed_errors(sw: int, error: type[StatusWordError]) -> None:
    with pytest.raises(error) as raised:
        raise_for_status(sw)
    assert raised.value.sw == sw


def test_6cxx_carries_the_exact_length_the_card_wants() -> None:
    error = status_error(0x6C10)
    assert isinstance(error, WrongLength) and error.exact_length == 0x10


@pytest.mark.parametrize("sw", [0x9000, 0x6282, 0x6110])
def test_success_and_warnings_do_not_raise(sw: int) -> None:
    assert raise_for_status(sw) is None


def test_response_splits_data_and_status_word() -> None:
    response = ResponseAPDU.decode(bytes.fromhex("0102039000"))
    assert (response.data, response.sw) == (b"\x01\x02\x03", 0x9000)


# --- READ BINARY with even and odd INS (ISO/IEC 7816-4 §11.2.3) ---------------------------------


@pytest.mark.parametrize(
    ("offset", "want", "extended", "encoded"),
    [
        (0x0000, 0xDF, False, "00B00000DF"),
        (0x7FFF, 0xDF, False, "00B07FFFDF"),  # the last offset P1-P2 can carry
        (0x8000, 0xDC, False, "00B1000004" "5402" "8000" "DF"),  # DO'54', Le covers 53 81 DC
        (0x11170, 0x10, False, "00B1000005" "5403" "011170" "12"),  # 53 10 + 16 bytes
        (0x8000, 0x6FFC, True, "00B1000000" "0004" "5402" "8000" "7000"),  # extended case 4
    ],
)  # fmt: skip
def test_read_binary_uses_b1_with_an_offset_object_beyond_32767(
    offset: int, want: int, extended: bool, encoded: str
) -> None:
    assert read_binary(offset, want, extended=extended).encode().hex().upper() == encoded.upper()


def test_the_b1_answer_is_unwrapped_from_do53() -> None:
    command = read_binary(0x8000, 3)
    assert read_binary_data(command, bytes.fromhex("5303AABBCC")) == bytes.fromhex("AABBCC")


def test_a_b1_answer_that_is_not_do53_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        read_binary_data(read_binary(0x8000, 3), bytes.fromhex("5403AABBCC"))


@pytest.mark.parametrize(("le", "capacity"), [(0xDF, 0xDC), (0x82, 0x7F), (0x7000, 0x6FFC), (2, 0)])
def test_the_odd_read_capacity_leaves_room_for_the_do53_header(le: int, capacity: int) -> None:
    assert odd_read_capacity(le) == capacity


def test_the_chip_reads_the_offset_from_do54() -> None:
    assert offset_of(read_binary(0x12345, 16)) == 0x12345
    assert offset_of(CommandAPDU(0x00, 0xB0, 0x81, 0x20, le=4)) == 0x20  # SFI form: P2 only
