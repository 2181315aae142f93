"""`PcscTransport`: pure helpers always; the transport itself through the real PC/SC daemon
(Debian's pcscd with vsmartcard-vpcd), whose virtual card is the simulated chip."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from devices.card.access_key import AccessKeys, CanKey
from devices.card.errors import CardNotPresent, CardRemoved, ReaderNotFound, TransportError
from devices.card.reader import ChipReader
from devices.card.simulator import demo_card, demo_citizens
from devices.card.transports import pcsc
from devices.card.transports.base import CardTransport
from devices.card.transports.pcsc import CardEvent, PcscMonitor, PcscTransport
from devices.card.transports.simulated import LinkFaults, SimulatedTransport
from tests.devices.card.echo_chip import SW_OK, EchoChip
from tests.devices.card.vpcd_card import (
    VPCD_DRIVER,
    VPCD_READER,
    VirtualCard,
    contactless_atr,
    running_pcscd,
)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


# --- without a PC/SC stack ---


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (None, "ACS ACR1252 1S CL Reader PICC 00 00"),
        ("Virtual PCD 00 01", "Virtual PCD 00 01"),
        ("acr1252", "ACS ACR1252 1S CL Reader PICC 00 00"),
        ("virtual pcd", "Virtual PCD 00 00"),
    ],
)
def test_reader_is_chosen_by_exact_name_then_by_part_of_it(
    wanted: str | None, expected: str
) -> None:
    available = ["ACS ACR1252 1S CL Reader PICC 00 00", "Virtual PCD 00 00", "Virtual PCD 00 01"]
    assert pcsc.resolve_reader(wanted, available) == expected


def test_unknown_reader_name_lists_the_connected_ones() -> None:
    with pytest.raises(ReaderNotFound, match="Virtual PCD 00 00"):
        pcsc.resolve_reader("OMNIKEY", ["Virtual PCD 00 00"])


def test_no_reader_at_all_is_reader_not_found() -> None:
    with pytest.raises(ReaderNotFound, match="no PC/SC reader"):
        pcsc.resolve_reader(None, [])


# (ATR, historical bytes, extended Lc/Le per card capabilities) — ISO/IEC 7816-3 §8.2, 7816-4 §8.1.1
ATR_ROWS = [
    ("3BF81300008131FE454A434F5076323431B7", "4A434F5076323431", None),  # contact: TA1-TD2 TA3 TB3
    (contactless_atr().hex(), "", None),  # PC/SC part 3 ATR without historical bytes
    (contactless_atr(bytes.fromhex("8073C82140")).hex(), "8073C82140", True),
    (contactless_atr(bytes.fromhex("8073C82100")).hex(), "8073C82100", False),
]


@pytest.mark.parametrize(("atr", "historical", "extended"), ATR_ROWS)
def test_atr_historical_bytes_and_card_capabilities(
    atr: str, historical: str, extended: bool | None
) -> None:
    raw = bytes.fromhex(atr)
    assert pcsc.atr_historical_bytes(raw).hex().upper() == historical
    assert pcsc.atr_extended_length(raw) is extended


def test_part10_feature_list_is_read_as_tag_to_control_code() -> None:
    features = bytes.fromhex("12 04 42 33 00 1213 04 42 33 00 13")  # big-endian control codes
    assert pcsc._tlv(features, value_order="big") == {0x12: 0x42330012, 0x13: 0x42330013}


def test_transport_imports_without_pyscard_and_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "smartcard", None)
    transport = PcscTransport()
    assert isinstance(transport, CardTransport)
    with pytest.raises(ReaderNotFound, match="pcsc"):
        transport.connect()
    with pytest.raises(ReaderNotFound, match="not installed"):
        pcsc.list_readers()


# --- through pcscd + vpcd ---


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    pytest.importorskip("smartcard.scard", reason="pyscard (the `pcsc` extra) is not installed")
    if not VPCD_DRIVER.exists():
        pytest.skip(f"vsmartcard-vpcd is not installed ({VPCD_DRIVER} missing)")
    with running_pcscd(tmp_path_factory.mktemp("pcscd")) as reason:
        if reason:
            pytest.skip(reason)
        yield


@pytest.fixture
def chip() -> EchoChip:
    return EchoChip()


@pytest.fixture
def virtual_card(pcscd: None, chip: EchoChip) -> Iterator[VirtualCard]:
    card = VirtualCard(SimulatedTransport(chip, max_apdu_len=70000))
    yield card
    card.remove()
    assert wait_until(lambda: not PcscTransport(VPCD_READER).card_present())


@pytest.fixture
def reader(pcscd: None) -> Iterator[PcscTransport]:
    transport = PcscTransport(VPCD_READER)
    yield transport
    transport.close()


def test_vpcd_reader_is_listed(pcscd: None) -> None:
    assert VPCD_READER in pcsc.list_readers()


def test_apdu_reaches_the_simulated_chip_through_pcscd(
    reader: PcscTransport, virtual_card: VirtualCard, chip: EchoChip
) -> None:
    virtual_card.insert()
    assert reader.wait_for_card(5.0)
    reader.connect()
    select = bytes.fromhex("00A4020C02011E")
    assert reader.transmit(select) == select + SW_OK
    assert reader.transmit(bytes.fromhex("00B00000DF")) == bytes(range(0xDF)) + SW_OK
    assert chip.received == [select, bytes.fromhex("00B00000DF")]
    assert reader.atr == contactless_atr()
    assert reader.counters.exchanges == 2


def test_reader_that_does_not_state_extended_length_keeps_short_apdus(
    reader: PcscTransport, virtual_card: VirtualCard
) -> None:
    virtual_card.insert()
    assert reader.wait_for_card(5.0)
    reader.connect()
    assert reader.reader_max_apdu_data is None  # vpcd answers no PC/SC part 10 features
    assert reader.max_apdu_len == 261
    with pytest.raises(TransportError, match="exceeds"):
        reader.transmit(bytes(300))


def test_extended_apdu_passes_when_extended_length_is_declared(
    pcscd: None, virtual_card: VirtualCard, chip: EchoChip
) -> None:
    virtual_card.insert()
    with PcscTransport(VPCD_READER, extended_length=True) as reader:
        assert reader.wait_for_card(5.0)
        reader.connect()
        apdu = bytes.fromhex("00D60000") + b"\x00\x01\x2c" + bytes(300)
        assert reader.transmit(apdu) == apdu + SW_OK
    assert chip.received == [apdu]


def test_connect_without_a_card_raises_card_not_present(reader: PcscTransport) -> None:
    assert not reader.card_present()
    with pytest.raises(CardNotPresent):
        reader.connect()


def test_wait_for_card_times_out_when_none_comes(reader: PcscTransport) -> None:
    started = time.monotonic()
    assert not reader.wait_for_card(0.3)
    assert time.monotonic() - started >= 0.25


def test_unknown_reader_is_reader_not_found(pcscd: None) -> None:
    with PcscTransport("No Such Reader") as reader, pytest.raises(ReaderNotFound):
        reader.connect()


def test_monitor_reports_the_card_inserted_then_removed(
    pcscd: None, virtual_card: VirtualCard
) -> None:
    events: list[CardEvent] = []
    seen = threading.Condition()

    def record(event: CardEvent) -> None:
        with seen:
            events.append(event)
            seen.notify_all()

    def kinds() -> list[str]:
        return [e.kind for e in events if e.reader == VPCD_READER]

    with PcscMonitor(record, reader_name=VPCD_READER, poll_s=0.2):
        assert wait_until(lambda: "reader_added" in kinds())
        virtual_card.insert()
        assert wait_until(lambda: "inserted" in kinds())
        virtual_card.remove()
        assert wait_until(lambda: "removed" in kinds())
    assert kinds() == ["reader_added", "inserted", "removed"]
    inserted = next(e for e in events if e.kind == "inserted")
    assert inserted.atr == contactless_atr()


def test_card_slip_raises_card_removed_and_the_read_resumes_when_it_returns(
    pcscd: None, chip: EchoChip
) -> None:
    card = VirtualCard(
        SimulatedTransport(chip, faults=LinkFaults(remove_at_byte=60, absent_connects=0)),
        return_after_s=1.0,  # longer than pcscd's 0.4 s presence polling: it sees the card leave
    )
    card.insert()
    try:
        with PcscTransport(VPCD_READER) as reader:
            assert reader.wait_for_card(5.0)
            reader.connect()
            assert reader.transmit(bytes.fromhex("00B0000010")) == bytes(range(16)) + SW_OK
            with pytest.raises(CardRemoved):
                reader.transmit(bytes.fromhex("00B0000020"))
            assert wait_until(lambda: not reader.card_present(), 5.0)
            assert reader.wait_for_card(5.0)
            reader.connect()
            assert reader.transmit(bytes.fromhex("00B0000020")) == bytes(range(32)) + SW_OK
    finally:
        card.remove()


def test_full_read_of_a_simulated_card_through_pcscd(pcscd: None) -> None:
    chip = demo_card(1)
    card = VirtualCard(SimulatedTransport(chip, max_apdu_len=70000))
    card.insert()
    try:
        with PcscTransport(VPCD_READER) as reader:
            assert reader.wait_for_card(5.0)
            result = ChipReader(reader).read(AccessKeys(can=CanKey(demo_citizens()[1].can)))
    finally:
        card.remove()
    assert result.files["DG1"] == chip.profile.files[0x0101]
    assert result.files["DG2"] == chip.profile.files[0x0102]
    assert result.active_authentication.status == "SUCCEEDED"


def test_read_resumes_after_the_card_slips_mid_dg2_through_pcscd(pcscd: None) -> None:
    chip = demo_card(1)
    faults = LinkFaults(remove_at_byte=9000, absent_connects=0)
    card = VirtualCard(SimulatedTransport(chip, max_apdu_len=70000, faults=faults))
    card.insert()
    try:
        with PcscTransport(VPCD_READER) as reader:
            assert reader.wait_for_card(5.0)
            result = ChipReader(reader, poll_s=0.05).read(
                AccessKeys(can=CanKey(demo_citizens()[1].can))
            )
    finally:
        card.remove()
    assert result.stats.resumes >= 1
    assert result.files["DG2"] == chip.profile.files[0x0102]
