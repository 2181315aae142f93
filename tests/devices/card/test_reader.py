"""Reading the simulated chip end to end: PACE and BAC with AES / 3DES secure messaging, adaptive
block sizes, extended length, resume after a slip, chip and active authentication."""

from dataclasses import replace

import pytest

from devices.card.access_key import AccessKeys, CanKey, MrzKey
from devices.card.errors import CardAccessDenied, CardRemoved
from devices.card.qr import parse_qr
from devices.card.reader import AccessMemory, ChipReader
from devices.card.simulator import ChipFaults, SimulatedChip
from devices.card.simulator.profile import AaScheme
from devices.card.transports.simulated import LinkFaults, SimulatedTransport
from tests.devices.card.simulated_cards import CITIZEN, profile, transport

KEYS = parse_qr(CITIZEN.qr_text).access_keys()
ALL = ("COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD")


def _reader(t: SimulatedTransport, **kwargs: object) -> ChipReader:
    return ChipReader(t, sleep=lambda s: None, **kwargs)  # type: ignore[arg-type]


def test_pace_can_is_used_when_card_access_offers_it_and_reads_every_file() -> None:
    card = profile()
    result = _reader(transport(card)).read(KEYS)
    assert result.access_method == "PACE-CAN"
    for name, fid in [("DG1", 0x0101), ("DG2", 0x0102), ("DG13", 0x010D), ("SOD", 0x011D)]:
        assert result.files[name] == card.files[fid]


def test_pace_with_the_mrz_password_when_no_can_is_known() -> None:
    keys = AccessKeys(mrz=KEYS.mrz)
    assert _reader(transport()).read(keys, ("DG1",)).access_method == "PACE-MRZ"


def test_bac_with_3des_secure_messaging_when_the_card_has_no_pace() -> None:
    card = profile(pace=False, ca=False)
    result = _reader(transport(card)).read(KEYS, ("COM", "DG1", "DG2"))
    assert result.access_method == "BAC"
    assert result.files["DG2"] == card.files[0x0102]


def test_the_method_that_worked_is_remembered_for_the_card_type() -> None:
    memory = AccessMemory()
    _reader(transport(), memory=memory).read(AccessKeys(mrz=KEYS.mrz), ("COM",))
    reader = _reader(transport(), memory=memory)
    assert reader.read(KEYS, ("COM",)).access_method == "PACE-MRZ"


@pytest.mark.parametrize("pace", [True, False], ids=["PACE", "BAC"])
def test_a_card_with_other_keys_is_access_denied(pace: bool) -> None:
    card = profile(pace=pace, ca=pace, faults=ChipFaults(wrong_key=True))
    with pytest.raises(CardAccessDenied):
        _reader(transport(card)).read(KEYS, ("DG1",))


def test_short_reads_start_at_0xdf_under_secure_messaging() -> None:
    t = transport()
    _reader(t).read(KEYS, ("DG2",))
    dg2 = len(profile().files[0x0102])
    assert t.counters.exchanges <= 8 + 2 + -(-dg2 // 0xDF)  # access + select + reads


def test_extended_length_is_used_when_reader_and_card_support_it() -> None:
    t = transport(extended=True)
    result = _reader(t).read(KEYS, ("DG2",))
    assert result.files["DG2"] == profile().files[0x0102]
    assert t.counters.exchanges <= 8 + 3


def test_a_card_refusing_extended_length_falls_back_to_short_reads() -> None:
    card = replace(profile(), extended_length=False)
    memory = AccessMemory()
    result = _reader(transport(card, extended=True), memory=memory).read(KEYS, ("DG2",))
    assert result.files["DG2"] == card.files[0x0102]
    assert memory.extended and not any(memory.extended.values())


def test_a_small_card_buffer_makes_the_reader_step_down() -> None:
    card = replace(profile(), max_response_data=0x80)
    result = _reader(transport(card)).read(KEYS, ("DG13",))
    assert result.files["DG13"] == card.files[0x010D]


def test_read_resumes_after_card_slips_mid_dg2() -> None:
    t = transport(link=LinkFaults(remove_at_byte=9000, absent_connects=3))
    result = _reader(t).read(KEYS, ("DG1", "DG2", "DG13"))
    assert result.stats.resumes == 1
    assert result.files["DG2"] == profile().files[0x0102]
    dg2 = len(profile().files[0x0102])
    assert t.counters.bytes_received < dg2 * 1.5  # continued from the offset, not restarted


def test_a_card_that_does_not_come_back_in_time_is_reported_removed() -> None:
    t = transport(link=LinkFaults(remove_at_byte=3000, absent_connects=10**6))
    clock = iter(range(0, 10**6, 5))
    reader = ChipReader(t, sleep=lambda s: None, clock=lambda: next(clock), resume_timeout_s=30)
    with pytest.raises(CardRemoved):
        reader.read(KEYS, ("DG2",))


def test_a_reader_whose_buffer_overflows_recovers_with_smaller_reads() -> None:
    t = transport(link=LinkFaults(max_response_len=200))
    result = _reader(t).read(KEYS, ("DG13",))
    assert result.files["DG13"] == profile().files[0x010D]


def test_chip_authentication_switches_to_new_keys_and_succeeds() -> None:
    result = _reader(transport()).read(KEYS, ("DG14", "DG1"))
    assert result.chip_authentication.status == "SUCCEEDED"
    assert result.files["DG1"] == profile().files[0x0101]


@pytest.mark.parametrize("aa", ["ecdsa", "rsa"])
def test_active_authentication_verifies_the_chip_signature(aa: str) -> None:
    result = _reader(transport(profile(aa=aa))).read(KEYS, ("DG14", "DG15"))
    assert result.active_authentication.status == "SUCCEEDED", result.active_authentication


def test_active_authentication_fails_when_dg15_holds_another_key() -> None:
    card = profile()
    other = profile(citizen_index=1)
    swapped = replace(card, aa_key=other.aa_key)
    result = _reader(transport(swapped)).read(KEYS, ("DG14", "DG15"))
    assert result.active_authentication.status == "FAILED"


def test_dg3_is_refused_and_reported_absent() -> None:
    result = _reader(transport()).read(KEYS, ("DG3", "DG1"))
    assert result.absent == ["DG3"] and "DG1" in result.files


def test_the_simulated_card_refuses_select_mf_like_the_cccd() -> None:
    chip = SimulatedChip(profile())
    assert chip.process(bytes.fromhex("00A4000C023F00"))[-2:] == b"\x6d\x00"


def test_access_keys_need_a_can_or_an_mrz_key() -> None:
    with pytest.raises(Exception, match="neither"):
        AccessKeys()
    assert MrzKey("095012345", "950317", "350317").information.endswith("7")
    assert CanKey("012345").can == "012345"


@pytest.mark.parametrize(
    ("protocol", "parameter_id"),
    [
        ("0.4.0.127.0.7.2.2.4.2.1", 13),  # ECDH-GM, 3DES secure messaging
        ("0.4.0.127.0.7.2.2.4.2.4", 16),  # ECDH-GM, AES-256 on brainpoolP384r1
        ("0.4.0.127.0.7.2.2.4.2.2", 12),  # ECDH-GM, AES-128 on NIST P-256
    ],
    ids=["3DES bp256", "AES256 bp384", "AES128 P-256"],
)
def test_pace_works_with_other_standardized_parameters(protocol: str, parameter_id: int) -> None:
    from devices.card import asn1

    info = asn1.der_seq(asn1.der_oid(protocol), asn1.der_int(2), asn1.der_int(parameter_id))
    card = replace(profile(ca=False), files={**profile(ca=False).files, 0x011C: asn1.der_set(info)})
    result = _reader(transport(card)).read(KEYS, ("DG1",))
    assert result.access_method == "PACE-CAN"
    assert result.files["DG1"] == card.files[0x0101]


def test_a_card_without_sfi_reads_is_read_after_select() -> None:
    card = replace(profile(), sfi_reads=False)
    memory = AccessMemory()
    result = _reader(transport(card), memory=memory).read(KEYS, ("COM", "DG1"))
    assert result.files["DG1"] == card.files[0x0101]
    assert memory.sfi and not any(memory.sfi.values())


def test_a_slow_card_is_waited_for() -> None:
    t = transport(link=LinkFaults(delay_s=0.01))
    result = _reader(t).read(KEYS, ("DG1",))
    assert result.files["DG1"] == profile().files[0x0101] and result.stats.link_s >= 0.01 * 8


# --- status words without secure messaging (ICAO 9303-11 §9.8.6.3, ISO/IEC 7816-4 §10.2) -------


@pytest.mark.parametrize(("name", "sw", "code"), [
    ("DG11", 0x6A82, "card_file_not_found"),
    ("DG3", 0x6982, "card_access_denied"),
])  # fmt: skip
def test_a_bare_status_word_ends_that_file_and_later_files_are_still_read(
    name: str, sw: int, code: str
) -> None:
    from tests.devices.card.world_cards import card, read

    profile = card(faults=ChipFaults(bare_sw=((name, sw),)))
    result = read(profile, ("DG1", name, "DG13", "SOD"))
    assert result.absent == [name] and result.file_errors == {name: code}
    assert result.files["DG13"] == profile.files[0x010D] and "SOD" in result.files
    assert result.stats.resumes == 0  # the session was kept


# --- files over 32 KB: READ BINARY B1 with an offset DO'54' -------------------------------------


@pytest.mark.parametrize(
    ("size", "extended", "needs_b1"),
    [
        (40_000, False, True),
        (70_000, False, True),
        (40_000, True, False),  # 28,672 + the rest: the second offset is still below 32,768
        (70_000, True, True),
    ],
)
def test_a_large_dg2_is_read_past_32767_with_read_binary_b1(
    size: int, extended: bool, needs_b1: bool
) -> None:
    from tests.devices.card.world_cards import card, read

    profile = card(dg2_bytes=size)
    log: list[bytes] = []
    result = read(profile, ("DG2", "DG1"), extended=extended, log=log)
    assert len(profile.files[0x0102]) > size
    assert result.files["DG2"] == profile.files[0x0102]
    assert any(apdu[1] == 0xB1 for apdu in log) == needs_b1


def test_a_card_without_read_binary_b1_loses_only_the_large_file() -> None:
    from dataclasses import replace

    from tests.devices.card.world_cards import card, read

    profile = replace(card(dg2_bytes=40_000), odd_read_binary=False)
    result = read(profile, ("DG2", "DG13"))
    assert result.file_errors == {"DG2": "card_unsupported"}
    assert result.files["DG13"] == profile.files[0x010D]


# --- active authentication as other issuers' chips answer ---------------------------------------


@pytest.mark.parametrize(
    "scheme",
    [
        AaScheme("sha1"),
        AaScheme("sha1", explicit_trailer=True),
        AaScheme("sha224", explicit_trailer=True),
        AaScheme("sha256", explicit_trailer=True),
        AaScheme("sha384", explicit_trailer=True),
        AaScheme("sha512", explicit_trailer=True),
        AaScheme("sha256", explicit_trailer=True, total_recovery=True),
    ],
    ids=lambda s: (
        f"{s.hash_name}-{'explicit' if s.explicit_trailer else 'BC'}"
        + ("-total" if s.total_recovery else "")
    ),
)
def test_rsa_active_authentication_succeeds_with_every_trailer(scheme: AaScheme) -> None:
    from tests.devices.card.world_cards import card, read

    result = read(card(aa="rsa", aa_scheme=scheme), ("DG14", "DG15"))
    assert result.active_authentication.status == "SUCCEEDED", result.active_authentication


@pytest.mark.parametrize(
    "scheme",
    [AaScheme("sha1"), AaScheme("sha384"), AaScheme("sha512"), AaScheme("sha256", der=True)],
)
def test_ecdsa_active_authentication_succeeds_with_the_hash_dg14_names(scheme: AaScheme) -> None:
    from tests.devices.card.world_cards import card, read

    result = read(card(aa="ecdsa", aa_scheme=scheme), ("DG14", "DG15"))
    assert result.active_authentication.status == "SUCCEEDED", result.active_authentication


def test_a_clone_signing_with_another_key_fails_active_authentication() -> None:
    from tests.devices.card.world_cards import card, read

    result = read(card(aa="rsa", faults=ChipFaults(clone="aa_key")))
    assert result.active_authentication.status == "FAILED"
    assert "DG13" in result.files


def test_a_clone_hiding_dg15_has_no_active_authentication_but_is_listed() -> None:
    from tests.devices.card.world_cards import card, read

    result = read(card(faults=ChipFaults(clone="hide_dg15")))
    assert result.active_authentication.status == "NOT_PRESENT"
    assert result.absent == ["DG15"]


def test_a_file_claiming_more_than_a_megabyte_is_refused_before_it_is_read() -> None:
    card = profile()
    files = dict(card.files)
    files[0x0102] = bytes.fromhex("75 84 01 00 00 00") + bytes(200)  # DG2 claiming 16 MiB
    t = transport(replace(card, files=files))
    result = _reader(t).read(KEYS)
    assert result.file_errors == {"DG2": "card_file_too_large"}
    assert result.files["DG13"] == card.files[0x010D] and "SOD" in result.files
    assert result.stats.apdus < 40  # it stopped after the first block of DG2 (16 MiB: 75,000+)
