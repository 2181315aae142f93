"""Passive authentication and key loading on published test documents (BSI TR-03105-5 reference
data set, ETSI TR 103 200 prototype; see PROVENANCE.md): RSASSA-PSS document signers, expired DS
certificates, explicit-parameter brainpoolP224r1 chip-authentication keys, a DG15 the SOD does not
list."""

from pathlib import Path

import pytest

from devices.card.document import build_document
from devices.card.lds.dg14 import parse_dg14
from devices.card.lds.sod import parse_sod
from devices.card.passive_auth import PaStatus, passive_authentication
from devices.card.public_keys import load_public_key
from devices.card.trust_store import TrustStore
from tests.devices.card.simulated_cards import trust

HERE = Path(__file__).parent


def _file(name: str) -> bytes:
    return bytes.fromhex((HERE / f"{name}.hex").read_text().replace("\n", ""))


def _groups(prefix: str, *names: str) -> dict[str, bytes]:
    return {name.upper(): _file(f"{prefix}_{name}") for name in names}


BSI, ETSI = "bsi_tr03105_5", "etsi_tr103200"


@pytest.mark.parametrize(
    ("prefix", "groups", "expired"),
    [(BSI, ("dg1", "dg14"), "2014-12-11"), (ETSI, ("dg1", "dg14", "dg15"), "2012-06-06")],
)
def test_a_published_rsa_pss_sod_verifies_up_to_the_missing_csca(
    prefix: str, groups: tuple[str, ...], expired: str
) -> None:
    result = passive_authentication(
        _file(f"{prefix}_ef_sod"), _groups(prefix, *groups), TrustStore()
    )
    assert result.status is PaStatus.NO_TRUST_STORE
    assert result.signature_algorithm == "RSA-PSS" and result.signer_key == "RSA 2048"
    assert set(result.data_groups.values()) == {"OK"}
    assert result.notes == (f"the DS certificate expired on {expired}",)


def test_a_published_sod_is_untrusted_under_another_csca() -> None:
    result = passive_authentication(_file(f"{ETSI}_ef_sod"), _groups(ETSI, "dg1"), trust())
    assert result.status is PaStatus.UNTRUSTED_CSCA


def test_a_published_dg1_changed_by_one_byte_is_data_tampered() -> None:
    groups = _groups(BSI, "dg1")
    changed = bytearray(groups["DG1"])
    changed[10] ^= 0x01
    result = passive_authentication(_file(f"{BSI}_ef_sod"), {"DG1": bytes(changed)}, TrustStore())
    assert result.status is PaStatus.DATA_TAMPERED


def test_a_published_sod_with_one_signature_bit_flipped_is_signature_invalid() -> None:
    sod = bytearray(_file(f"{BSI}_ef_sod"))
    sod[-5] ^= 0x01  # inside the SignerInfo signature, the last field of the SOD
    result = passive_authentication(bytes(sod), _groups(BSI, "dg1"), TrustStore())
    assert result.status is PaStatus.SIGNATURE_INVALID


def test_a_dg15_the_published_sod_does_not_list_is_not_in_sod_and_not_used() -> None:
    files = {"SOD": _file(f"{BSI}_ef_sod"), **_groups(BSI, "dg1", "dg15")}
    document = build_document(files, TrustStore())
    assert document.passive.status is PaStatus.NOT_IN_SOD
    assert document.passive.data_groups == {"DG1": "OK", "DG15": "NOT_IN_SOD"}
    assert document.excluded == {"DG15": "not listed in EF.SOD"} and document.mrz is not None


@pytest.mark.parametrize("prefix", [BSI, ETSI])
def test_a_published_explicit_brainpool_p224r1_chip_authentication_key_is_recognised(
    prefix: str,
) -> None:
    infos = parse_dg14(_file(f"{prefix}_dg14"))
    key = load_public_key(infos.chip_authentication_keys[0].subject_public_key_info)
    assert key.describe() == "EC brainpoolP224r1 (explicit parameters)"
    assert key.native is None  # a curve `cryptography` does not have


def test_the_published_sods_list_what_their_standards_say() -> None:
    assert sorted(parse_sod(_file(f"{BSI}_ef_sod")).data_group_hashes) == [1, 2, 3, 4, 14]
    assert sorted(parse_sod(_file(f"{ETSI}_ef_sod")).data_group_hashes) == [1, 2, 3, 4, 14, 15]
