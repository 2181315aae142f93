"""PN532 frames and commands, byte-exact against NXP UM0701-02 (§6.2.1 frames, §7 commands)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.card.errors import CardError, ProtocolError, TransportError
from devices.card.transports import pn532_frames as f

# (what, frame built by the code, expected bytes, where the format is defined)
FRAME_ROWS = [
    ("ACK", f.ACK_FRAME, "00 00 FF 00 FF 00", "§6.2.1.3"),
    ("NACK", f.NACK_FRAME, "00 00 FF FF 00 00", "§6.2.1.4"),
    ("syntax error frame", f.ERROR_FRAME, "00 00 FF 01 FF 7F 81 00", "§6.2.1.5"),
    (
        "GetFirmwareVersion command",
        f.get_firmware_version(),
        "00 00 FF 02 FE D4 02 2A 00",
        "§6.2.1.1, §7.2.2",
    ),
    (
        "GetFirmwareVersion answer of a PN532 v1.6",
        f.encode_response(f.Command.GET_FIRMWARE_VERSION, bytes([0x32, 0x01, 0x06, 0x07])),
        "00 00 FF 06 FA D5 03 32 01 06 07 E8 00",
        "§6.2.1.1, §7.2.2",
    ),
    (
        "SAMConfiguration normal mode, timeout 1 s, IRQ",
        f.sam_configuration(),
        "00 00 FF 05 FB D4 14 01 14 01 02 00",
        "§7.2.10",
    ),
    (
        "RFConfiguration MaxRetries ATR FF, PSL 01, passive activation 02",
        f.rf_max_retries(),
        "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00",
        "§7.3.1",
    ),
    (
        "RFConfiguration RF field off",
        f.rf_field(on=False),
        "00 00 FF 04 FC D4 32 01 00 F9 00",
        "§7.3.1",
    ),
    (
        "InListPassiveTarget one target, 106 kbps type A",
        f.in_list_passive_target(f.Modulation.ISO14443A_106),
        "00 00 FF 04 FC D4 4A 01 00 E1 00",
        "§7.3.5",
    ),
    (
        "InListPassiveTarget one target, 106 kbps type B, AFI 00",
        f.in_list_passive_target(f.Modulation.ISO14443B_106),
        "00 00 FF 05 FB D4 4A 01 03 00 DE 00",
        "§7.3.5",
    ),
    (
        "InDataExchange Tg 1 SELECT MF",
        f.in_data_exchange(1, bytes.fromhex("00A4000C023F00")),
        "00 00 FF 0A F6 D4 40 01 00 A4 00 0C 02 3F 00 FA 00",
        "§7.3.8",
    ),
    (
        "InDataExchange Tg 1 with MI: more data follows",
        f.in_data_exchange(1, b"\x00", more=True),
        "00 00 FF 04 FC D4 40 41 00 AB 00",
        "§7.3.8",
    ),
    (
        "InRelease Tg 1",
        f.in_release(1),
        "00 00 FF 03 FD D4 52 01 D9 00",
        "§7.3.11",
    ),
    (
        "Diagnose card presence",
        f.diagnose_card_presence(),
        "00 00 FF 03 FD D4 00 06 26 00",
        "§7.2.1",
    ),
    (
        "GetFirmwareVersion in an extended frame (allowed for short data)",
        f.encode_command(f.Command.GET_FIRMWARE_VERSION, extended=True),
        "00 00 FF FF FF 00 02 FE D4 02 2A 00",
        "§6.2.1.2",
    ),
]


@pytest.mark.parametrize(("what", "built", "expected", "section"), FRAME_ROWS)
def test_frame_is_byte_exact(what: str, built: bytes, expected: str, section: str) -> None:
    assert built.hex(" ").upper() == expected, f"{what} ({section})"


def test_frame_longer_than_255_bytes_uses_the_extended_format_with_lenm_lenl() -> None:
    data = bytes(range(256)) + bytes(7)  # TFI + 263 = 264 = 0x0108 bytes
    frame = f.encode_information_frame(f.TFI_HOST, data)
    assert frame[:9] == bytes.fromhex("0000FFFFFF0108F7D4")  # LCS: 01 + 08 + F7 = 0x100 (§6.2.1.2)
    assert len(frame) == 3 + 2 + 3 + 264 + 2
    assert sum(frame[8:-1]) & 0xFF == 0  # DCS over TFI and data


def test_frame_of_255_bytes_still_uses_the_normal_format() -> None:
    frame = f.encode_information_frame(f.TFI_HOST, bytes(254))
    assert frame[3:5] == bytes([0xFF, 0x01])


def test_frame_beyond_the_firmware_limit_of_265_bytes_is_refused() -> None:
    with pytest.raises(f.Pn532FrameError):
        f.encode_information_frame(f.TFI_HOST, bytes(265))


# --- the streaming decoder ---


def decode_all(data: bytes) -> list[f.Frame]:
    decoder = f.FrameDecoder()
    decoder.feed(data)
    frames = []
    while (frame := decoder.next_frame()) is not None:
        frames.append(frame)
    return frames


def test_decoder_tells_ack_nack_error_and_information_frames_apart() -> None:
    answer = f.encode_response(f.Command.GET_FIRMWARE_VERSION, bytes([0x32, 1, 6, 7]))
    frames = decode_all(f.ACK_FRAME + f.NACK_FRAME + f.ERROR_FRAME + answer)
    assert frames == [
        f.Ack(),
        f.Nack(),
        f.ErrorFrame(),
        f.InformationFrame(f.TFI_PN532, bytes([0x03, 0x32, 1, 6, 7])),
    ]


def test_decoder_assembles_a_frame_fed_one_byte_at_a_time() -> None:
    decoder = f.FrameDecoder()
    frame = f.in_data_exchange(1, bytes(range(40)))
    for byte in frame[:-2]:
        decoder.feed(bytes([byte]))
        assert decoder.next_frame() is None
    decoder.feed(frame[-2:])
    assert decoder.next_frame() == f.InformationFrame(
        f.TFI_HOST, bytes([0x40, 0x01]) + bytes(range(40))
    )


def test_decoder_skips_the_hsu_wake_up_and_line_noise_before_a_frame() -> None:
    decoder = f.FrameDecoder()
    decoder.feed(f.HSU_WAKEUP + b"\x13\x37\xfe" + f.sam_configuration())
    frame = decoder.next_frame()
    assert isinstance(frame, f.InformationFrame) and frame.code == f.Command.SAM_CONFIGURATION
    assert decoder.skipped > 0


def test_decoder_reads_an_extended_frame() -> None:
    payload = bytes([0x41, 0x00]) + bytes(range(256)) + b"\x90\x00"
    frames = decode_all(f.encode_information_frame(f.TFI_PN532, payload))
    assert frames == [f.InformationFrame(f.TFI_PN532, payload, extended=True)]


def test_wrong_length_checksum_raises_and_decoding_resumes_at_the_next_frame() -> None:
    broken = bytearray(f.get_firmware_version())
    broken[4] ^= 0x01  # LCS
    decoder = f.FrameDecoder()
    decoder.feed(bytes(broken) + f.ACK_FRAME)
    with pytest.raises(f.Pn532FrameError):
        decoder.next_frame()
    assert decoder.next_frame() == f.Ack()


def test_wrong_data_checksum_raises_checksum_error_and_consumes_that_frame() -> None:
    broken = bytearray(f.get_firmware_version())
    broken[-2] ^= 0xFF  # DCS
    decoder = f.FrameDecoder()
    decoder.feed(bytes(broken) + f.ACK_FRAME)
    with pytest.raises(f.Pn532ChecksumError):
        decoder.next_frame()
    assert decoder.next_frame() == f.Ack()


def test_decoder_refuses_an_extended_length_beyond_the_firmware_limit() -> None:
    with pytest.raises(f.Pn532FrameError, match="outside"):
        decode_all(bytes.fromhex("0000FFFFFF0200FE") + bytes(600))


@given(st.binary(max_size=600))
def test_decoder_raises_only_typed_errors_on_random_bytes(data: bytes) -> None:
    decoder = f.FrameDecoder()
    decoder.feed(data)
    for _ in range(len(data) + 1):
        try:
            frame = decoder.next_frame()
        except f.Pn532FrameError:
            continue
        if frame is None:
            break
    assert decoder.pending <= len(data)


@given(
    st.binary(min_size=1, max_size=300),
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6),
)
def test_decoder_raises_only_typed_errors_on_mutated_frames(
    data: bytes, mutations: list[tuple[int, int]]
) -> None:
    frame = bytearray(f.encode_information_frame(f.TFI_PN532, data[:264]))
    for position, value in mutations:
        frame[position % len(frame)] = value
    try:
        frames = decode_all(bytes(frame))
    except CardError as exc:
        assert isinstance(exc, f.Pn532FrameError)
        return
    for decoded in frames:
        if isinstance(decoded, f.InformationFrame):
            assert len(decoded.data) <= 264


# --- command answers ---


def test_type_a_target_with_ats_is_parsed() -> None:
    params = bytes.fromhex("01010004200408A1B2C30578807002")
    (target,) = f.parse_in_list_passive_target(params, f.Modulation.ISO14443A_106)
    assert (target.tg, target.uid, target.sens_res, target.sel_res) == (
        1,
        bytes.fromhex("08A1B2C3"),
        b"\x00\x04",
        0x20,
    )
    assert target.ats == bytes.fromhex("0578807002")
    assert target.iso14443_4


def test_type_a_tag_without_iso14443_4_is_flagged() -> None:
    params = bytes.fromhex("01010044000704112233445566")
    (target,) = f.parse_in_list_passive_target(params, f.Modulation.ISO14443A_106)
    assert not target.iso14443_4 and target.ats == b""


def test_type_b_target_gives_pupi_and_attrib_res() -> None:
    params = bytes.fromhex("010150A1B2C3D4000000000081710100")
    (target,) = f.parse_in_list_passive_target(params, f.Modulation.ISO14443B_106)
    assert target.uid == bytes.fromhex("A1B2C3D4")
    assert target.attrib_res == b"\x00"
    assert target.iso14443_4


def test_no_target_is_an_empty_list() -> None:
    assert f.parse_in_list_passive_target(b"\x00", f.Modulation.ISO14443A_106) == []


@pytest.mark.parametrize(
    "params",
    [b"", bytes.fromhex("01 01 0004 20 07 0102"), bytes.fromhex("01 01 4F" + "00" * 13)],
    ids=["empty", "truncated uid", "atqb without 0x50"],
)
def test_malformed_target_data_raises_protocol_error(params: bytes) -> None:
    modulation = f.Modulation.ISO14443B_106 if len(params) == 16 else f.Modulation.ISO14443A_106
    with pytest.raises(ProtocolError):
        f.parse_in_list_passive_target(params, modulation)


@given(st.binary(max_size=80), st.sampled_from(list(f.Modulation)))
def test_target_parser_raises_only_protocol_errors(params: bytes, modulation: f.Modulation) -> None:
    try:
        targets = f.parse_in_list_passive_target(params, modulation)
    except ProtocolError:
        return
    assert len(targets) == params[0]


def test_firmware_version_is_parsed() -> None:
    version = f.parse_firmware_version(bytes([0x32, 0x01, 0x06, 0x07]))
    assert version.is_pn532 and version.supports_type_b and str(version) == "PN532 v1.6"


def test_in_data_exchange_status_carries_mi_and_error_bits() -> None:
    answer = f.parse_in_data_exchange(bytes([0x40, 0x90, 0x00]))
    assert answer.more and answer.error == 0 and answer.data == b"\x90\x00"
    assert f.parse_in_data_exchange(b"\x01").error == f.STATUS_TIMEOUT


def test_response_to_another_command_is_a_protocol_error() -> None:
    frame = f.InformationFrame(f.TFI_PN532, bytes([0x15]))
    with pytest.raises(ProtocolError, match="0x03"):
        f.expect_response(frame, f.Command.GET_FIRMWARE_VERSION)


def test_error_frame_answer_is_a_transport_error() -> None:
    with pytest.raises(TransportError, match="syntax error"):
        f.expect_response(f.ErrorFrame(), f.Command.IN_DATA_EXCHANGE)


def test_apdu_is_chunked_in_252_byte_parts_with_more_flags() -> None:
    parts = f.chunk_apdu(bytes(600))
    assert [(len(p), more) for p, more in parts] == [(252, True), (252, True), (96, False)]


def test_wire_bytes_count_frames_acks_and_chained_answers() -> None:
    # READ BINARY (5 bytes) answered with 223 bytes of data + SW: one frame each way + ACK.
    host, pn532 = f.exchange_wire_bytes(5, 225)
    assert host == 5 + 3 + 5 + 2  # 00 00 FF LEN LCS, D4 40 Tg, APDU, DCS 00
    assert pn532 == 6 + (5 + 3 + 225 + 2)  # ACK, then 00 00 FF LEN LCS, D5 41 Status, data, DCS 00
    # a 600-byte answer needs three InDataExchange answers (262 data bytes each at most)
    host_long, pn532_long = f.exchange_wire_bytes(5, 600)
    assert host_long == host + 2 * len(f.in_data_exchange(1, b""))
    assert pn532_long > 600 + 3 * 6
