"""Secure messaging: ICAO 9303-11 Appendix D.4 (3DES) and an AES transcript (gmrtd, AES-256)."""

import pytest

from devices.card import SecureMessaging
from devices.card.errors import ResponseMacInvalid
from devices.card.secure_messaging import closes_session
from tests.devices.card.icao_vectors import h, load

SM = load("sm_vectors")
STEPS = SM["steps"]
AES = SM["aes_sm_extra_not_icao"]


def _session() -> SecureMessaging:
    return SecureMessaging(h(SM["ks_enc"]), h(SM["ks_mac"]), h(SM["ssc_initial"]))


def _advance(sm: SecureMessaging, upto: int) -> None:
    for step in STEPS[:upto]:
        sm.protect(h(step["unprotected_apdu"]))
        sm.unprotect(h(step["rapdu"]))


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[s["name"] for s in STEPS])
def test_protect_gives_the_d4_protected_apdu(index: int) -> None:
    sm = _session()
    _advance(sm, index)
    assert sm.protect(h(STEPS[index]["unprotected_apdu"])) == h(STEPS[index]["protected_apdu"])


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[s["name"] for s in STEPS])
def test_unprotect_verifies_and_decrypts_the_d4_response(index: int) -> None:
    sm = _session()
    _advance(sm, index)
    sm.protect(h(STEPS[index]["unprotected_apdu"]))
    assert sm.unprotect(h(STEPS[index]["rapdu"])) == h(STEPS[index]["unprotected_response"])


def test_ssc_counts_every_command_and_response_d4() -> None:
    sm = _session()
    _advance(sm, len(STEPS))
    assert sm.ssc == h(SM["ssc_final"])


def test_a_response_with_a_flipped_mac_bit_is_refused() -> None:
    sm = _session()
    sm.protect(h(STEPS[0]["unprotected_apdu"]))
    forged = bytearray(h(STEPS[0]["rapdu"]))
    forged[-3] ^= 0x01
    with pytest.raises(ResponseMacInvalid):
        sm.unprotect(bytes(forged))


def test_a_response_out_of_ssc_step_is_refused() -> None:
    sm = _session()
    sm.protect(h(STEPS[1]["unprotected_apdu"]))
    sm.protect(h(STEPS[1]["unprotected_apdu"]))  # SSC now two ahead of the recorded response
    with pytest.raises(ResponseMacInvalid):
        sm.unprotect(h(STEPS[1]["rapdu"]))


def test_aes256_transcript_reads_ef_com() -> None:
    sm = SecureMessaging(h(AES["ks_enc"]), h(AES["ks_mac"]), h(AES["ssc_initial"]), "AES256")
    commands = ["00A4020C02011E", "00B0000004", "00B0000416"]
    content = b""
    for plain, (protected, response) in zip(commands, AES["exchanges"], strict=True):
        assert sm.protect(h(plain)) == h(protected)
        content += sm.unprotect(h(response))[:-2]
    assert content == h(AES["ef_com_expected"])
    assert sm.ssc == h(AES["ssc_final"])


@pytest.mark.parametrize("cipher", ["3DES", "AES128"])
def test_chip_side_unwraps_what_the_reader_wraps_and_back(cipher: str) -> None:
    size = 8 if cipher == "3DES" else 16
    reader = SecureMessaging(bytes(range(16)), bytes(range(16, 32)), bytes(size), cipher)
    chip = SecureMessaging(bytes(range(16)), bytes(range(16, 32)), bytes(size), cipher)
    plain = chip.unprotect_command(reader.protect(h("00B0000ADF")))
    assert (plain.ins, plain.p2, plain.le) == (0xB0, 0x0A, 0xDF)
    response = chip.protect_response(b"data" * 50, 0x9000)
    assert reader.unprotect(response) == b"data" * 50 + b"\x90\x00"


def test_extended_length_commands_stay_extended_when_protected() -> None:
    reader = SecureMessaging(bytes(16), bytes(16), bytes(16), "AES128")
    chip = SecureMessaging(bytes(16), bytes(16), bytes(16), "AES128")
    protected = reader.protect(h("00B00000000800"))  # Le = 0x0800, extended
    assert protected[4] == 0x00  # extended Lc marker
    assert chip.unprotect_command(protected).le == 0x0800


@pytest.mark.parametrize("cipher", ["3DES", "AES128"])
def test_odd_ins_data_travel_in_do85_both_ways(cipher: str) -> None:
    """ISO/IEC 7816-4 §10.2: the BER-TLV data of an odd INS are encrypted into DO'85'."""
    size = 8 if cipher == "3DES" else 16
    reader = SecureMessaging(bytes(range(16)), bytes(range(16, 32)), bytes(size), cipher)
    chip = SecureMessaging(bytes(range(16)), bytes(range(16, 32)), bytes(size), cipher)
    protected = reader.protect(h("00B10000045402800012"))
    assert protected[5] == 0x85
    plain = chip.unprotect_command(protected)
    assert (plain.ins, plain.data, plain.le) == (0xB1, h("54028000"), 0x12)
    response = chip.protect_response(h("5310") + bytes(16), 0x9000, odd=True)
    assert response[0] == 0x85
    assert reader.unprotect(response) == h("5310") + bytes(16) + b"\x90\x00"


@pytest.mark.parametrize(("sw", "closes"), [
    (0x6987, True), (0x6988, True), (0x6A82, False), (0x6982, False), (0x6B00, False),
])  # fmt: skip
def test_only_sm_errors_close_the_session(sw: int, closes: bool) -> None:
    assert closes_session(sw) == closes


def test_a_bare_status_word_leaves_the_ssc_where_it_was() -> None:
    reader = SecureMessaging(bytes(16), bytes(16), bytes(16), "AES128")
    reader.protect(h("00A4020C020101"))
    before = reader.ssc
    assert reader.unprotect(h("6A82")) == h("6A82") and reader.ssc == before
