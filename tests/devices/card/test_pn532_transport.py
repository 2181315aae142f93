"""`Pn532Transport` through a real pseudo-terminal to the PN532 emulator (test code)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from devices.card.access_key import AccessKeys, CanKey
from devices.card.errors import (
    CardNotPresent,
    CardRemoved,
    ReaderBufferOverflow,
    ReaderNotFound,
    TransportError,
)
from devices.card.reader import ChipReader
from devices.card.simulator import demo_card, demo_citizens
from devices.card.transports.base import CardTransport
from devices.card.transports.pn532 import Pn532Transport
from devices.card.transports.pn532_frames import MI_BIT, Command, Modulation
from devices.card.transports.simulated import LinkFaults, SimulatedTransport
from tests.devices.card.echo_chip import SW_OK, EchoChip
from tests.devices.card.pn532_emulator import EmulatedCard, Pn532Emulator


def wait_until(condition: Callable[[], bool], timeout_s: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


@pytest.fixture
def chip() -> EchoChip:
    return EchoChip()


@pytest.fixture
def card(chip: EchoChip) -> SimulatedTransport:
    return SimulatedTransport(chip, max_apdu_len=70000)


@pytest.fixture
def emulator(card: SimulatedTransport) -> Iterator[Pn532Emulator]:
    with Pn532Emulator(EmulatedCard(card)) as running:
        yield running


@pytest.fixture
def reader(emulator: Pn532Emulator) -> Iterator[Pn532Transport]:
    transport = Pn532Transport(emulator.port, ack_timeout_s=0.2)
    yield transport
    transport.close()


def test_transport_satisfies_the_card_transport_contract(reader: Pn532Transport) -> None:
    assert isinstance(reader, CardTransport)


def test_connect_wakes_the_pn532_then_configures_sam_before_anything_else(
    reader: Pn532Transport, emulator: Pn532Emulator
) -> None:
    reader.connect()
    assert emulator.log.woken == 1
    assert emulator.log.codes()[:4] == [
        Command.SAM_CONFIGURATION,
        Command.GET_FIRMWARE_VERSION,
        Command.RF_CONFIGURATION,
        Command.IN_LIST_PASSIVE_TARGET,
    ]
    assert reader.firmware is not None and str(reader.firmware) == "PN532 v1.6"


def test_apdu_round_trip_reaches_the_chip_and_returns_its_answer(
    reader: Pn532Transport, chip: EchoChip
) -> None:
    reader.connect()
    select = bytes.fromhex("00A4020C02011E")
    assert reader.transmit(select) == select + SW_OK
    assert chip.received == [select]
    assert reader.counters.exchanges == 1


def test_long_apdu_goes_out_in_parts_chained_with_the_mi_bit(
    emulator: Pn532Emulator, chip: EchoChip
) -> None:
    reader = Pn532Transport(emulator.port, ack_timeout_s=0.2, max_apdu_len=70000)
    apdu = bytes.fromhex("00DA0000") + b"\x00\x02\x54" + bytes(i & 0xFF for i in range(596))
    try:
        reader.connect()
        answer = reader.transmit(apdu)
    finally:
        reader.close()
    assert chip.received == [apdu]
    assert answer == apdu + SW_OK
    tgs = [frame.params[0] for frame in emulator.log.data_exchanges()]
    assert tgs[:3] == [1 | MI_BIT, 1 | MI_BIT, 1]


def test_long_answer_is_fetched_while_the_pn532_sets_mi_in_status(
    emulator: Pn532Emulator, reader: Pn532Transport
) -> None:
    emulator.answer_chunk = 64
    reader.connect()
    answer = reader.transmit(bytes.fromhex("00B00000DF"))
    assert answer == bytes(range(0xDF)) + SW_OK
    exchanges = emulator.log.data_exchanges()
    assert len(exchanges) == 4  # 225 bytes in parts of 64: one command, three fetches
    assert all(frame.params == b"\x01" for frame in exchanges[1:])


def test_answer_of_256_bytes_arrives_in_an_extended_frame(reader: Pn532Transport) -> None:
    reader.connect()
    assert reader.transmit(bytes.fromhex("00B0000000")) == bytes(range(256)) + SW_OK


def test_no_card_on_the_reader_raises_card_not_present() -> None:
    with Pn532Emulator(None) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        with pytest.raises(CardNotPresent):
            reader.connect()
        reader.close()


def test_type_b_card_is_found_after_type_a_polling_finds_nothing(card: SimulatedTransport) -> None:
    with Pn532Emulator(EmulatedCard(card, modulation=Modulation.ISO14443B_106)) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        reader.connect()
        assert reader.target is not None
        assert reader.target.modulation is Modulation.ISO14443B_106
        assert reader.transmit(b"\x00\x84\x00\x00\x08") == b"\x00\x84\x00\x00\x08" + SW_OK
        reader.close()


def test_command_lost_on_the_line_is_sent_again(
    reader: Pn532Transport, emulator: Pn532Emulator, chip: EchoChip
) -> None:
    reader.connect()
    emulator.faults.ignore_commands = 1
    assert reader.transmit(b"\x00\x84\x00\x00\x08") == b"\x00\x84\x00\x00\x08" + SW_OK
    assert len(chip.received) == 1  # the chip saw the command once


def test_corrupted_answer_is_asked_again_with_nack(
    reader: Pn532Transport, emulator: Pn532Emulator, chip: EchoChip
) -> None:
    reader.connect()
    emulator.faults.corrupt_answers = 1
    assert reader.transmit(b"\x00\x84\x00\x00\x08") == b"\x00\x84\x00\x00\x08" + SW_OK
    assert emulator.log.nacks == 1
    assert len(chip.received) == 1


def test_line_noise_and_answers_arriving_in_pieces_are_tolerated(
    reader: Pn532Transport, emulator: Pn532Emulator
) -> None:
    emulator.faults.garbage_before_ack = b"\xff\x13\x00\xff\x07"
    emulator.faults.trickle = True
    reader.connect()
    assert reader.transmit(bytes.fromhex("00B0000040")) == bytes(range(0x40)) + SW_OK


def test_silent_pn532_times_out_aborts_with_ack_and_is_woken_again_on_reconnect(
    emulator: Pn532Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pn532Transport, "MIN_EXCHANGE_TIMEOUT_S", 0.3)
    reader = Pn532Transport(emulator.port, ack_timeout_s=0.2, exchange_timeout_s=0.3)
    reader.connect()
    emulator.faults.silent = True
    with pytest.raises(TransportError, match="did not answer"):
        reader.transmit(b"\x00\x84\x00\x00\x08")
    assert wait_until(lambda: emulator.log.aborts == 1)  # the emulator reads on its own thread
    emulator.faults.silent = False
    emulator.power_cycle()  # the PN532 reset meanwhile: it sleeps until woken up
    reader.connect()
    assert emulator.log.woken == 2
    assert reader.transmit(b"\x00\x84\x00\x00\x08") == b"\x00\x84\x00\x00\x08" + SW_OK
    reader.close()


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (0x01, CardRemoved),  # time out: the target has not answered (UM0701-02 §7.1)
        (0x2B, CardRemoved),  # the card previously activated has disappeared
        (0x0E, ReaderBufferOverflow),  # internal buffer overflow
        (0x07, ReaderBufferOverflow),  # communication buffer size insufficient
        (0x10, TransportError),  # invalid parameter
    ],
)
def test_in_data_exchange_error_status_becomes_a_typed_error(
    reader: Pn532Transport, emulator: Pn532Emulator, status: int, error: type[Exception]
) -> None:
    reader.connect()
    emulator.faults.exchange_status = status
    with pytest.raises(error):
        reader.transmit(b"\x00\x84\x00\x00\x08")
    assert reader.link_bytes != (0, 0)  # the PN532 answered: the serial link stays open


def test_card_exchange_timeout_is_never_below_five_seconds(emulator: Pn532Emulator) -> None:
    assert Pn532Transport(emulator.port, exchange_timeout_s=1.0).exchange_timeout_s == 5.0


def test_card_slipping_away_raises_card_removed_and_the_read_resumes_when_it_returns(
    chip: EchoChip,
) -> None:
    card = SimulatedTransport(chip, faults=LinkFaults(remove_at_byte=30, absent_connects=1))
    with Pn532Emulator(EmulatedCard(card)) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        reader.connect()
        with pytest.raises(CardRemoved):
            reader.transmit(bytes.fromhex("00B0000020"))
        with pytest.raises(CardRemoved):
            reader.transmit(bytes.fromhex("00B0000020"))
        with pytest.raises(CardNotPresent):
            reader.connect()  # not back yet
        reader.connect()
        assert reader.transmit(bytes.fromhex("00B0000020")) == bytes(range(0x20)) + SW_OK
        assert chip.power_ons == 2  # the card came back with fresh power
        reader.close()


def test_card_present_asks_the_pn532_without_sending_an_apdu(
    reader: Pn532Transport, emulator: Pn532Emulator, chip: EchoChip
) -> None:
    assert reader.card_present()
    reader.connect()
    assert reader.card_present()
    assert Command.DIAGNOSE in emulator.log.codes()
    assert chip.received == []


def test_card_present_is_false_when_the_field_is_empty() -> None:
    with Pn532Emulator(None) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        assert not reader.card_present()
        reader.close()


def test_connect_again_power_cycles_the_field_so_the_card_starts_fresh(
    reader: Pn532Transport, emulator: Pn532Emulator, chip: EchoChip
) -> None:
    reader.connect()
    reader.connect()
    assert chip.power_ons == 2
    assert emulator.log.codes().count(Command.RF_CONFIGURATION) == 2  # retries, then field off


def test_connect_after_disconnect_wakes_the_released_card_with_a_field_reset(
    reader: Pn532Transport, emulator: Pn532Emulator, chip: EchoChip
) -> None:
    reader.connect()
    reader.disconnect()  # InRelease: the card is HALTed and ignores polling
    reader.connect()
    assert reader.transmit(b"\x00\x84\x00\x00\x08") == b"\x00\x84\x00\x00\x08" + SW_OK
    assert chip.power_ons == 2


def test_disconnect_releases_the_target_and_transmit_then_fails(
    reader: Pn532Transport, emulator: Pn532Emulator
) -> None:
    reader.connect()
    reader.disconnect()
    reader.disconnect()  # idempotent
    assert emulator.log.codes().count(Command.IN_RELEASE) == 1
    with pytest.raises(TransportError, match="before connect"):
        reader.transmit(b"\x00\x84\x00\x00\x08")


def test_missing_serial_port_raises_reader_not_found(tmp_path: object) -> None:
    reader = Pn532Transport(f"{tmp_path}/ttyUSB-nowhere")
    with pytest.raises(ReaderNotFound):
        reader.connect()


def test_a_device_that_is_not_a_pn532_is_refused(card: SimulatedTransport) -> None:
    with Pn532Emulator(EmulatedCard(card), firmware=bytes([0x31, 1, 6, 7])) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        with pytest.raises(TransportError, match="not as a PN532"):
            reader.connect()
        reader.close()


def test_apdu_longer_than_the_reader_allows_is_refused_before_the_link(
    reader: Pn532Transport, emulator: Pn532Emulator
) -> None:
    reader.connect()
    with pytest.raises(TransportError, match="exceeds"):
        reader.transmit(bytes(300))
    assert emulator.log.data_exchanges() == []


# --- a whole card read: the protocol code over the serial link to the simulated chip ---

DG1_FID, DG2_FID = 0x0101, 0x0102


def test_full_read_of_a_simulated_card_through_the_serial_link() -> None:
    chip = demo_card(0)
    card = SimulatedTransport(chip, max_apdu_len=70000)
    with Pn532Emulator(EmulatedCard(card)) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        try:
            result = ChipReader(reader).read(AccessKeys(can=CanKey(demo_citizens()[0].can)))
        finally:
            reader.close()
    assert result.files["DG1"] == chip.profile.files[DG1_FID]
    assert result.files["DG2"] == chip.profile.files[DG2_FID]
    assert result.chip_authentication.status == "SUCCEEDED"
    assert reader.counters.exchanges == result.stats.apdus


def test_read_resumes_after_the_card_slips_mid_dg2_on_the_serial_link() -> None:
    chip = demo_card(0)
    card = SimulatedTransport(chip, faults=LinkFaults(remove_at_byte=9000, absent_connects=2))
    with Pn532Emulator(EmulatedCard(card)) as emulator:
        reader = Pn532Transport(emulator.port, ack_timeout_s=0.2)
        try:
            chip_reader = ChipReader(reader, poll_s=0.01)
            result = chip_reader.read(AccessKeys(can=CanKey(demo_citizens()[0].can)))
        finally:
            reader.close()
    assert result.stats.resumes == 1
    assert result.files["DG2"] == chip.profile.files[DG2_FID]
