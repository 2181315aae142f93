"""PACE mappings, the parameter-ID retry, PACE-CAM and the BAC fallback, end to end on the
simulated chip (the card side is independent code answering real APDUs)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pytest

from devices.card import asn1
from devices.card.access_key import AccessKeys
from devices.card.document import build_document, settled_chip_authentication
from devices.card.errors import StatusWordError
from devices.card.qr import parse_qr
from devices.card.reader import AccessMemory, ChipReader
from devices.card.security_infos import ID_PACE, parse_card_security
from devices.card.simulator import CardProfile, build_profile
from devices.card.simulator.profile import pace_info
from tests.devices.card.simulated_cards import CITIZEN, pki, transport, trust

KEYS = parse_qr(CITIZEN.qr_text).access_keys()


@lru_cache(maxsize=16)
def _card(
    mapping: str = "ECDH-GM",
    *,
    pace_needs_parameter_id: bool = False,
    pace_refused: bool = False,
) -> CardProfile:
    return build_profile(
        CITIZEN,
        pki(),
        pace_mapping=mapping,
        pace_needs_parameter_id=pace_needs_parameter_id,
        pace_refused=pace_refused,
        label=f"pace/{mapping}/{pace_needs_parameter_id}/{pace_refused}",
    )


def _read(card: CardProfile, keys: AccessKeys = KEYS, memory: AccessMemory | None = None):  # type: ignore[no-untyped-def]
    reader = ChipReader(transport(card), sleep=lambda s: None, memory=memory)
    return reader.read(keys, ("DG1", "DG14"))


@pytest.mark.parametrize("mapping", ["ECDH-GM", "ECDH-IM", "DH-GM", "DH-IM", "ECDH-CAM"])
def test_each_pace_mapping_opens_the_simulated_chip(mapping: str) -> None:
    card = _card(mapping)
    result = _read(card)
    assert result.access_method == "PACE-CAN"
    assert result.files["DG1"] == card.files[0x0101]


@pytest.mark.parametrize(
    ("protocol", "parameter_id"),
    [
        (ID_PACE + ".3.1", 0),  # DH-IM, 3DES
        (ID_PACE + ".4.4", 16),  # ECDH-IM, AES-256 on brainpoolP384r1
        (ID_PACE + ".1.3", 2),  # DH-GM, AES-192 on the 2048-bit group with 256-bit subgroup
    ],
    ids=["DH-IM 3DES", "ECDH-IM AES256 bp384", "DH-GM AES192 2048"],
)
def test_integrated_and_dh_mappings_work_with_other_ciphers(
    protocol: str, parameter_id: int
) -> None:
    info = asn1.der_seq(asn1.der_oid(protocol), asn1.der_int(2), asn1.der_int(parameter_id))
    base = _card()
    card = replace(base, files={**base.files, 0x011C: asn1.der_set(info)})
    reader = ChipReader(transport(card, extended=True), sleep=lambda s: None)  # 2048-bit DH keys
    assert reader.read(KEYS, ("DG1",)).files["DG1"] == card.files[0x0101]


def test_pace_cam_authenticates_the_chip_with_the_card_security_key() -> None:
    """The reader proves the key; SUCCEEDED once EF.CardSecurity chains to the trusted CSCA."""
    result = _read(_card("ECDH-CAM"))
    assert result.chip_authentication.awaits_card_security_chain
    document = build_document(result.files, trust(), card_security=result.card_security)
    settled = settled_chip_authentication(document, result.chip_authentication)
    assert settled.status == "SUCCEEDED" and "PACE-CAM" in settled.reason


def test_pace_cam_with_a_card_security_naming_another_key_fails_chip_authentication() -> None:
    genuine = _card("ECDH-CAM")
    other = _card("ECDH-CAM", pace_refused=False, pace_needs_parameter_id=True)
    assert other.card_security is not None and other.card_security != genuine.card_security
    clone = replace(genuine, card_security=other.card_security)
    assert _read(clone).chip_authentication.status == "FAILED"


def test_card_security_of_the_simulator_names_the_chip_key() -> None:
    card = _card("ECDH-CAM")
    assert card.card_security is not None
    infos = parse_card_security(card.card_security)
    assert infos.pace[0].mapping == "ECDH-CAM" and len(infos.chip_authentication_keys) == 1


def test_a_chip_that_needs_the_parameter_id_is_opened_on_the_retry_and_remembered() -> None:
    memory = AccessMemory()
    card = _card(pace_needs_parameter_id=True)
    assert _read(card, memory=memory).access_method == "PACE-CAN"
    assert list(memory.parameter_id.values()) == [True]
    t = transport(card)
    sent: list[bytes] = []
    transmit = t.transmit

    def recording(apdu: bytes) -> bytes:
        sent.append(apdu)
        return transmit(apdu)

    t.transmit = recording  # type: ignore[method-assign]
    ChipReader(t, sleep=lambda s: None, memory=memory).read(KEYS, ("DG1",))
    set_at = [apdu for apdu in sent if apdu[1:4] == b"\x22\xc1\xa4"]
    assert len(set_at) == 1 and b"\x84\x01\x0d" in set_at[0]  # `84` sent straight away


def test_a_chip_that_refuses_pace_is_read_with_bac_when_the_mrz_is_known() -> None:
    result = _read(_card(pace_refused=True))
    assert result.access_method == "BAC"


def test_a_chip_that_refuses_pace_stays_closed_when_only_the_can_is_known() -> None:
    assert KEYS.can is not None
    with pytest.raises(StatusWordError):  # the chip's 6A80, not a silent downgrade
        _read(_card(pace_refused=True), AccessKeys(can=KEYS.can))


def test_pace_info_of_a_dh_chip_uses_the_1024_bit_group() -> None:
    assert pace_info("DH-GM") == asn1.der_seq(
        asn1.der_oid(ID_PACE + ".1.2"), asn1.der_int(2), asn1.der_int(0)
    )
