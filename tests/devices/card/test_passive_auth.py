"""Passive authentication (ICAO 9303-11 §5.1): every status, every signature family, trust stores
as folders of certificates and as ICAO master lists."""

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from devices.card import asn1
from devices.card.lds import BY_NAME
from devices.card.lds.sod import encode_sod
from devices.card.passive_auth import PaStatus, passive_authentication
from devices.card.simulator import ChipFaults
from devices.card.trust_store import ID_CSCA_MASTER_LIST, TrustStore, load_trust_store
from tests.devices.card.simulated_cards import pki, profile, trust


def _files(kind: str = "ecdsa", faults: ChipFaults | None = None) -> tuple[bytes, dict[str, bytes]]:
    card = profile(kind, faults=faults)
    groups = {n: card.files[BY_NAME[n].fid] for n in ("DG1", "DG2", "DG13", "DG14", "DG15")}
    return card.files[BY_NAME["SOD"].fid], groups


@pytest.mark.parametrize(
    ("kind", "algorithm"), [("ecdsa", "ECDSA"), ("rsa", "RSA"), ("rsa-pss", "RSA-PSS")]
)
def test_a_genuine_card_is_valid_with_each_signature_family(kind: str, algorithm: str) -> None:
    sod, groups = _files(kind)
    result = passive_authentication(sod, groups, trust(kind))
    assert (result.status, result.signature_algorithm) == (PaStatus.VALID, algorithm)
    assert set(result.data_groups.values()) == {"OK"}


def test_a_changed_data_group_is_data_tampered_and_named() -> None:
    sod, groups = _files(faults=ChipFaults(corrupt=("DG13",)))
    result = passive_authentication(sod, groups, trust())
    assert result.status == PaStatus.DATA_TAMPERED
    assert result.data_groups["DG13"] == "MISMATCH" and result.data_groups["DG1"] == "OK"
    assert "DG13" in result.reason


def test_a_broken_sod_signature_is_signature_invalid() -> None:
    sod, groups = _files(faults=ChipFaults(forged_sod="bad_signature"))
    result = passive_authentication(sod, groups, trust())
    assert result.status == PaStatus.SIGNATURE_INVALID


def test_a_sod_signed_outside_the_trusted_csca_is_untrusted() -> None:
    sod, groups = _files(faults=ChipFaults(forged_sod="untrusted"))
    result = passive_authentication(sod, groups, trust())
    assert result.status == PaStatus.UNTRUSTED_CSCA


def test_without_certificates_the_status_is_no_trust_store() -> None:
    sod, groups = _files()
    assert passive_authentication(sod, groups, TrustStore()).status == PaStatus.NO_TRUST_STORE


def test_a_data_group_absent_from_the_sod_is_reported() -> None:
    sod, groups = _files()
    groups["DG11"] = b"\x6b\x00"
    result = passive_authentication(sod, groups, trust())
    assert result.data_groups["DG11"] == "NOT_IN_SOD" and "DG11" in result.reason


def test_a_malformed_sod_is_signature_invalid_not_a_crash() -> None:
    _, groups = _files()
    result = passive_authentication(b"\x77\x03\x30\x01\x00", groups, trust())
    assert result.status == PaStatus.SIGNATURE_INVALID and "malformed" in result.reason


def test_trust_store_folder_loads_pem_and_der(tmp_path: Path) -> None:
    certificate = pki().csca_certificate
    (tmp_path / "a.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "b.cer").write_bytes(
        pki("rsa").csca_certificate.public_bytes(serialization.Encoding.DER)
    )
    (tmp_path / "notes.txt").write_text("not a certificate")
    store = load_trust_store(tmp_path)
    assert len(store.certificates) == 2 and store.skipped == ["notes.txt"]


def test_trust_store_reads_an_icao_master_list(tmp_path: Path) -> None:
    der = [
        pki(kind).csca_certificate.public_bytes(serialization.Encoding.DER)
        for kind in ("ecdsa", "rsa")
    ]
    content = asn1.der_seq(asn1.der_int(0), asn1.der_set(*der))
    signer = pki()
    master_list = encode_sod(
        content=content, content_type=ID_CSCA_MASTER_LIST, digest_algorithm="sha256",
        signed_attributes=asn1.der_set(),
        signature_algorithm=asn1.der_seq(asn1.der_oid("1.2.840.10045.4.3.2")),
        signature=b"", certificate=der[0],
        issuer_and_serial=asn1.der_seq(signer.csca_certificate.issuer.public_bytes(),
                                       asn1.der_int(1)),
        wrap_tag=None,
    )  # fmt: skip
    (tmp_path / "ICAO_ml.ml").write_bytes(master_list)
    store = load_trust_store(tmp_path)
    assert len(store.certificates) == 2
    sod, groups = _files("rsa")
    assert passive_authentication(sod, groups, store).status == PaStatus.VALID


def test_a_missing_trust_store_folder_is_empty() -> None:
    assert not load_trust_store(Path("/nonexistent/trust"))


def test_a_ds_certificate_with_a_malformed_issuer_name_is_signature_invalid() -> None:
    # Found by hypothesis: a byte of the issuer's UTF8String turned into an invalid sequence.
    # The certificate no longer matches the signer identifier, and there is no "first
    # certificate" fallback to try it with.
    sod, groups = _files("ecdsa")
    organisation = "Một Cửa Kiosk TEST".encode()
    start = sod.index(organisation)  # the DS certificate's issuer comes first in the SOD
    broken = sod[:start] + organisation.replace(b"\xe1\xbb\xad", b"\x00\xbb\xad", 1)
    broken += sod[start + len(organisation) :]
    result = passive_authentication(broken, groups, trust("ecdsa"))
    assert result.status is PaStatus.SIGNATURE_INVALID
    assert "no certificate matches the signer identifier" in result.reason
