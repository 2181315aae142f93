"""Command/response APDUs (ISO/IEC 7816-4 §5.1) and status words mapped to typed errors."""

import pytest

from devices.card.apdu import CommandAPDU, ResponseAPDU, raise_for_status, status_error
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
