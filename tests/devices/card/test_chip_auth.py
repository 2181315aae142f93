"""Chip authentication (ICAO 9303-11 §6.2): MSE:Set KAT for 3DES, MSE:Set AT + GENERAL
AUTHENTICATE for AES, key-ID matching, and statuses that never abort the read."""

from __future__ import annotations

import pytest

from devices.card import asn1
from devices.card.active_auth import FAILED, NOT_PRESENT, NOT_SUPPORTED, SUCCEEDED
from devices.card.chip_auth import (
    ChipAuthUnsupported,
    chip_authentication,
    choose_chip_authentication,
)
from devices.card.document import CHIP_AUTH_INCOMPLETE, build_document, chip_verdict
from devices.card.security_infos import (
    ID_CA,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfos,
)
from devices.card.simulator import ChipFaults
from devices.card.simulator.pki import ec_key_from_label
from devices.card.simulator.profile import PK_ECDH, _spki
from devices.card.tlv import iter_tlv
from tests.devices.card.simulated_cards import trust
from tests.devices.card.world_cards import card, read

CA_3DES = ID_CA + ".2.1"  # id-CA-ECDH-3DES-CBC-CBC
CA_AES128 = ID_CA + ".2.2"


def _key(key_id: int | None, label: str = "k") -> ChipAuthenticationPublicKeyInfo:
    return ChipAuthenticationPublicKeyInfo(
        PK_ECDH, _spki(ec_key_from_label(label).public_key()), key_id
    )


# --- choosing the protocol and key --------------------------------------------------------------


def test_the_key_named_by_the_protocol_key_id_is_chosen_among_several() -> None:
    infos = SecurityInfos(
        chip_authentication=[ChipAuthenticationInfo(CA_AES128, 1, 7)],
        chip_authentication_keys=[_key(3, "a"), _key(7, "b"), _key(9, "c")],
    )
    assert choose_chip_authentication(infos).key.key_id == 7


def test_a_protocol_whose_key_id_matches_no_key_is_not_usable() -> None:
    infos = SecurityInfos(
        chip_authentication=[ChipAuthenticationInfo(CA_AES128, 1, 5)],
        chip_authentication_keys=[_key(3), _key(7)],
    )
    with pytest.raises(ChipAuthUnsupported, match="key ID 5"):
        choose_chip_authentication(infos)


def test_dh_chip_authentication_is_skipped_for_an_ecdh_one() -> None:
    infos = SecurityInfos(
        chip_authentication=[
            ChipAuthenticationInfo(ID_CA + ".1.2", 1, 1),  # id-CA-DH-AES-128
            ChipAuthenticationInfo(CA_AES128, 1, 2),
        ],
        chip_authentication_keys=[_key(1, "dh-stand-in"), _key(2)],
    )
    assert choose_chip_authentication(infos).info.protocol == CA_AES128


def test_without_chip_authentication_info_a_single_key_means_3des() -> None:
    """ICAO 9303-11 §9.2.5: ChipAuthenticationInfo may be absent for CA v1 with 3DES."""
    infos = SecurityInfos(chip_authentication_keys=[_key(None)])
    assert choose_chip_authentication(infos).info.cipher == "3DES"


# --- the commands -------------------------------------------------------------------------------


def test_3des_uses_mse_set_kat_with_the_ephemeral_key_and_key_id() -> None:
    step = chip_authentication(ChipAuthenticationInfo(CA_3DES, 1, 2), _key(2))
    command = next(step)
    assert command[:4] == bytes.fromhex("002241A6")
    objects = {e.tag: e.value for e in iter_tlv(command[5:])}
    assert objects[0x84] == b"\x02" and objects[0x91][0] == 0x04  # uncompressed point


def test_aes_uses_mse_set_at_with_the_protocol_oid_then_general_authenticate() -> None:
    step = chip_authentication(ChipAuthenticationInfo(CA_AES128, 1, None), _key(None))
    command = next(step)
    assert command[:4] == bytes.fromhex("002241A4")
    objects = {e.tag: e.value for e in iter_tlv(command[5:])}
    assert objects == {0x80: asn1.encode_oid_value(CA_AES128)}
    assert step.send(b"\x90\x00")[:4] == bytes.fromhex("00860000")


# --- on the simulated chip ----------------------------------------------------------------------


@pytest.mark.parametrize("cipher", ["3DES", "AES128", "AES256"])
def test_chip_authentication_succeeds_and_later_files_read_under_its_keys(cipher: str) -> None:
    profile = card(ca_cipher=cipher)
    result = read(profile, ("DG14", "DG1", "DG13"))
    assert result.chip_authentication.status == SUCCEEDED, result.chip_authentication
    assert result.files["DG13"] == profile.files[0x010D]


def test_chip_authentication_with_several_dg14_keys_succeeds() -> None:
    result = read(card(ca_keys=3), ("DG14", "DG1"))
    assert result.chip_authentication.status == SUCCEEDED, result.chip_authentication


def test_a_6a80_during_chip_authentication_does_not_abort_the_read() -> None:
    profile = card(faults=ChipFaults(ca_error_sw=0x6A80))
    result = read(profile)
    assert result.chip_authentication.status == NOT_SUPPORTED
    assert "6A80" in result.chip_authentication.reason
    assert result.files["DG2"] == profile.files[0x0102] and "SOD" in result.files


def test_a_chip_without_the_dg14_private_key_fails_and_the_rest_is_still_read() -> None:
    profile = card(faults=ChipFaults(clone="ca_key"))
    result = read(profile)
    assert result.chip_authentication.status == FAILED
    assert result.files["DG13"] == profile.files[0x010D] and not result.absent


def test_a_card_without_dg14_reports_chip_authentication_not_present() -> None:
    result = read(card(ca=False, aa="rsa"), ("DG1", "DG14", "DG15"))
    assert result.chip_authentication.status == NOT_PRESENT


def test_a_document_listing_dg14_whose_ca_was_refused_is_not_authentic() -> None:
    profile = card(faults=ChipFaults(ca_error_sw=0x6A80))
    result = read(profile)
    document = build_document(result.files, trust())
    assert document.passive.status.value == "VALID"
    verdict, reason = chip_verdict(
        document, result.chip_authentication, result.active_authentication
    )
    assert verdict == CHIP_AUTH_INCOMPLETE and "DG14" in reason
