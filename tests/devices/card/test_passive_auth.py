"""Passive authentication (ICAO 9303-11 §5.1): every status, every signature family, trust stores
as folders of certificates and as ICAO master lists."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card import asn1
from devices.card.document import build_document, document_json
from devices.card.lds import BY_NAME
from devices.card.lds.sod import (
    ID_DATA,
    ID_LDS_SECURITY_OBJECT,
    encode_signed_attributes,
    encode_sod,
    parse_sod,
)
from devices.card.passive_auth import PaStatus, passive_authentication
from devices.card.signatures import digest
from devices.card.simulator import ChipFaults
from devices.card.simulator.pki import TestPki, build_certificate, make_pki
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


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


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


# --- the world's documents: explicit curves, id-data, strict policy, notes ---------------------

WORLD_GROUPS = {1: b"\x61\x03DG1", 2: b"\x75\x03DG2", 13: b"\x6d\x04DG13"}
NAMED = {f"DG{n}": content for n, content in WORLD_GROUPS.items()}


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("bp256-explicit", "EC brainpoolP256r1 (explicit parameters)"),
        ("bp384-explicit", "EC brainpoolP384r1 (explicit parameters)"),
        ("bp512-explicit", "EC brainpoolP512r1 (explicit parameters)"),
    ],
)
def test_a_chain_of_explicit_parameter_brainpool_keys_is_valid(kind: str, key: str) -> None:
    sod, groups = _files(kind)
    result = passive_authentication(sod, groups, trust(kind))
    assert (result.status, result.signer_key) == (PaStatus.VALID, key)


def test_an_id_data_sod_is_parsed_and_its_hashes_checked() -> None:
    signer = pki("bp512-explicit")
    sod = signer.sign_sod(WORLD_GROUPS, content_type=ID_DATA)
    assert passive_authentication(sod, NAMED, trust("bp512-explicit")).status is PaStatus.VALID
    changed = {**NAMED, "DG1": b"\x61\x03DGX"}
    assert passive_authentication(sod, changed, trust("bp512-explicit")).status is (
        PaStatus.DATA_TAMPERED
    )


def _signed_content(content: bytes, content_type: str = ID_LDS_SECURITY_OBJECT) -> bytes:
    """A SOD whose signature over `content` is genuine, whatever `content` holds."""
    signer = pki()
    attributes = encode_signed_attributes(content_type, digest("sha256", content), "240701000000Z")
    signature = signer.ds_key.sign(attributes, ec.ECDSA(hashes.SHA256()))
    return encode_sod(
        content=content, content_type=content_type, digest_algorithm="sha256",
        signed_attributes=attributes,
        signature_algorithm=asn1.der_seq(asn1.der_oid("1.2.840.10045.4.3.2")),
        signature=signature, certificate=_der(signer.ds_certificate),
        issuer_and_serial=asn1.der_seq(signer.ds_certificate.issuer.public_bytes(),
                                       asn1.der_int(signer.ds_certificate.serial_number)),
    )  # fmt: skip


@pytest.mark.parametrize(
    "content",
    [b"\x30\x03\x02\x01\x00", b"not DER at all", asn1.der_seq(asn1.der_int(0))],
    ids=["too-short", "not-der", "no-hashes"],
)
def test_a_signed_sod_whose_security_object_cannot_be_read_is_never_valid(content: bytes) -> None:
    result = passive_authentication(_signed_content(content), NAMED, trust())
    assert result.status is PaStatus.SIGNATURE_INVALID and "malformed" in result.reason


def test_a_signed_sod_of_another_content_type_is_never_valid() -> None:
    good = parse_sod(pki().sign_sod(WORLD_GROUPS)).encapsulated_content
    sod = _signed_content(good, content_type="2.23.136.1.1.2")  # a master list's type
    assert passive_authentication(sod, NAMED, trust()).status is PaStatus.SIGNATURE_INVALID


def test_a_data_group_the_sod_does_not_list_makes_the_status_not_in_sod() -> None:
    sod = pki().sign_sod({n: c for n, c in WORLD_GROUPS.items() if n != 13})
    result = passive_authentication(sod, NAMED, trust())
    assert result.status is PaStatus.NOT_IN_SOD
    assert result.data_groups == {"DG1": "OK", "DG2": "OK", "DG13": "NOT_IN_SOD"}


def test_a_data_group_the_sod_does_not_list_never_reaches_the_document() -> None:
    card = profile(faults=ChipFaults(unsigned=("DG13",)))
    files = {n: card.files[BY_NAME[n].fid] for n in ("SOD", "DG1", "DG2", "DG13")}
    document = build_document(files, trust())
    assert document.dg13 is None and document.mrz is not None
    assert document.excluded == {"DG13": "not listed in EF.SOD"}
    assert document_json(document)["passive_authentication"]["status"] == "NOT_IN_SOD"


def test_an_sod_over_one_megabyte_is_refused_before_parsing() -> None:
    huge = b"\x77\x83\x10\x00\x00" + b"\x00" * 0x100000
    result = passive_authentication(huge, NAMED, trust())
    assert result.status is PaStatus.SIGNATURE_INVALID and "over" in result.reason


def test_an_expired_document_signer_is_a_note_on_a_valid_result() -> None:
    signer = make_pki("ecdsa", label="expired-ds", expired_ds=True)
    sod = signer.sign_sod(WORLD_GROUPS)
    result = passive_authentication(
        sod, NAMED, TrustStore([signer.csca_certificate]), now=datetime(2026, 6, 1, tzinfo=UTC)
    )
    assert result.status is PaStatus.VALID
    assert result.notes == ("the DS certificate expired on 2025-01-01",)
    assert result.as_json()["notes"] == ["the DS certificate expired on 2025-01-01"]


def test_a_csca_not_yet_valid_at_reading_time_is_a_note() -> None:
    sod = pki().sign_sod(WORLD_GROUPS)
    result = passive_authentication(sod, NAMED, trust(), now=datetime(2023, 6, 1, tzinfo=UTC))
    assert result.status is PaStatus.VALID
    assert "the CSCA certificate is valid only from 2024-01-01" in result.notes
    assert "the DS certificate is valid only from 2024-01-01" in result.notes


def test_a_document_signer_without_the_digital_signature_key_usage_is_a_note() -> None:
    csca = pki()
    ds_key = ec.generate_private_key(ec.BrainpoolP256R1())
    ds_der = build_certificate(
        subject=x509.Name.from_rfc4514_string("CN=DS no usage,C=VN"),
        issuer=csca.csca_certificate.subject, serial=77,
        not_before=datetime(2024, 1, 1, tzinfo=UTC), not_after=datetime(2030, 1, 1, tzinfo=UTC),
        spki=ds_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        signer=csca.csca_key, hash_name="sha256", ca=False, key_usage=("key_cert_sign",),
    )  # fmt: skip
    signer = TestPki("ecdsa", csca.csca_key, csca.csca_certificate, ds_key,
                     x509.load_der_x509_certificate(ds_der))  # fmt: skip
    result = passive_authentication(signer.sign_sod(WORLD_GROUPS), NAMED, trust())
    assert result.status is PaStatus.VALID
    assert "the DS certificate's key usage lacks digitalSignature" in result.notes
