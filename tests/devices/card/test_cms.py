"""The one CMS SignedData verifier that passive authentication and master-list import share."""

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives import serialization

from devices.card import asn1
from devices.card.cms import (
    SignatureInvalid,
    carried_certificates,
    issued_by,
    signer_certificate,
    verify_signer,
)
from devices.card.lds.sod import encode_sod, parse_sod
from devices.card.passive_auth import PaStatus, passive_authentication
from devices.card.simulator.pki import TestPki, make_pki
from devices.card.trust_store import TrustStore

GROUPS = {1: b"\x61\x03DG1", 2: b"\x75\x03DG2"}
SIGNER = make_pki("ecdsa", label="cms-signer")
OTHER = make_pki("ecdsa", label="cms-other")


def _der(pki: TestPki) -> bytes:
    return pki.ds_certificate.public_bytes(serialization.Encoding.DER)


def _sod_carrying_another_certificate_first() -> bytes:
    """SIGNER's SOD whose certificate set starts with OTHER's DS certificate."""
    parsed = parse_sod(SIGNER.sign_sod(GROUPS))
    info = parsed.signers[0]
    assert info.signed_attributes is not None and info.issuer_and_serial is not None
    return encode_sod(
        content=parsed.encapsulated_content,
        content_type=parsed.content_type,
        digest_algorithm="sha256",
        signed_attributes=info.signed_attributes,
        signature_algorithm=asn1.der_seq(
            asn1.der_oid(info.signature_algorithm.oid), info.signature_algorithm.parameters
        ),
        signature=info.signature,
        certificate=_der(OTHER) + _der(SIGNER),
        issuer_and_serial=info.issuer_and_serial,
    )


def test_the_signer_certificate_is_the_one_the_signer_identifier_names_not_the_first() -> None:
    signed = parse_sod(_sod_carrying_another_certificate_first())
    certificates = carried_certificates(signed)
    assert certificates[0] == OTHER.ds_certificate
    assert signer_certificate(certificates, signed.signers[0]) == SIGNER.ds_certificate


def test_passive_authentication_checks_the_named_certificate_among_several() -> None:
    sod = _sod_carrying_another_certificate_first()
    groups = {f"DG{n}": content for n, content in GROUPS.items()}
    result = passive_authentication(sod, groups, TrustStore([SIGNER.csca_certificate]))
    assert result.status is PaStatus.VALID


def test_a_signature_checked_with_another_key_does_not_verify() -> None:
    signed = parse_sod(SIGNER.sign_sod(GROUPS))
    with pytest.raises(SignatureInvalid, match="signature does not verify"):
        verify_signer(signed, signed.signers[0], OTHER.ds_certificate)


def test_content_changed_after_signing_fails_the_message_digest() -> None:
    signed = parse_sod(SIGNER.sign_sod(GROUPS))
    changed = replace(signed, encapsulated_content=signed.encapsulated_content + b"\x00")
    with pytest.raises(SignatureInvalid, match="message digest"):
        verify_signer(changed, signed.signers[0], SIGNER.ds_certificate)


def test_the_genuine_signer_verifies() -> None:
    signed = parse_sod(SIGNER.sign_sod(GROUPS))
    verify_signer(signed, signed.signers[0], SIGNER.ds_certificate)


def test_a_certificate_is_issued_by_its_csca_and_not_by_another() -> None:
    assert issued_by(SIGNER.ds_certificate, SIGNER.csca_certificate)
    assert not issued_by(SIGNER.ds_certificate, OTHER.csca_certificate)
