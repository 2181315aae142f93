"""The one CMS SignedData verifier that passive authentication and master-list import share."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from asn1crypto import cms as asn1_cms
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card import asn1
from devices.card.cms import (
    ID_CONTENT_TYPE,
    ID_MESSAGE_DIGEST,
    SignatureInvalid,
    carried_certificates,
    check_signers,
    issued_by,
    load_certificate,
    signer_certificate,
    verify_signer,
)
from devices.card.errors import ParseError
from devices.card.lds.sod import (
    ID_DATA,
    ID_LDS_SECURITY_OBJECT,
    encode_signed_attributes,
    encode_sod,
    parse_sod,
)
from devices.card.passive_auth import PaStatus, passive_authentication
from devices.card.signatures import digest
from devices.card.simulator.pki import TestPki, build_certificate, make_pki
from devices.card.tlv import encode_tlv
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


# --- RFC 5652 order, every signer, lenient certificates ------------------------------------------


def _resigned(*, attribute_type: str, content_type: str = ID_LDS_SECURITY_OBJECT) -> bytes:
    """SIGNER's content with a genuine signature over attributes naming `attribute_type`."""
    content = parse_sod(SIGNER.sign_sod(GROUPS)).encapsulated_content
    attributes = encode_signed_attributes(
        attribute_type, digest("sha256", content), "240701000000Z"
    )
    assert isinstance(SIGNER.ds_key, ec.EllipticCurvePrivateKey)
    return encode_sod(
        content=content, content_type=content_type, digest_algorithm="sha256",
        signed_attributes=attributes,
        signature_algorithm=asn1.der_seq(asn1.der_oid("1.2.840.10045.4.3.2")),
        signature=SIGNER.ds_key.sign(attributes, ec.ECDSA(hashes.SHA256())),
        certificate=_der(SIGNER),
        issuer_and_serial=asn1.der_seq(SIGNER.ds_certificate.issuer.public_bytes(),
                                       asn1.der_int(SIGNER.ds_certificate.serial_number)),
    )  # fmt: skip


def test_a_content_type_attribute_other_than_the_encapsulated_type_fails() -> None:
    # RFC 5652 §11.1: the content-type attribute must equal the eContentType.
    signed = parse_sod(_resigned(attribute_type=ID_DATA))
    with pytest.raises(SignatureInvalid, match="content-type attribute"):
        verify_signer(signed, signed.signers[0], SIGNER.ds_certificate)


def test_the_same_attributes_with_matching_content_type_verify() -> None:
    signed = parse_sod(_resigned(attribute_type=ID_DATA, content_type=ID_DATA))
    verify_signer(signed, signed.signers[0], SIGNER.ds_certificate)


def test_a_signer_named_by_subject_key_identifier_is_found() -> None:
    signed = parse_sod(SIGNER.sign_sod(GROUPS, signer_identifier="ski"))
    assert signed.signers[0].subject_key_identifier is not None
    assert [c.ok for c in check_signers(signed)] == [True]


def test_a_signer_identifier_naming_no_carried_certificate_has_no_first_certificate_fallback() -> (
    None
):
    parsed = parse_sod(SIGNER.sign_sod(GROUPS))
    info = parsed.signers[0]
    assert info.signed_attributes is not None
    sod = encode_sod(
        content=parsed.encapsulated_content, content_type=parsed.content_type,
        digest_algorithm="sha256", signed_attributes=info.signed_attributes,
        signature_algorithm=asn1.der_seq(asn1.der_oid(info.signature_algorithm.oid)),
        signature=info.signature, certificate=_der(SIGNER),
        issuer_and_serial=asn1.der_seq(SIGNER.ds_certificate.issuer.public_bytes(),
                                       asn1.der_int(12345)),
    )  # fmt: skip
    checks = check_signers(parse_sod(sod))
    assert checks[0].certificate is None
    assert checks[0].error == "no certificate matches the signer identifier"


def _with_second_signer(sod: bytes, *, broken: bool) -> bytes:
    info = asn1_cms.ContentInfo.load(sod[4:])  # 77 82 LL LL
    signers = info["content"]["signer_infos"]
    second = asn1_cms.SignerInfo.load(signers[0].dump())
    if broken:
        signature = bytearray(second["signature"].native)
        signature[-1] ^= 1
        second["signature"] = bytes(signature)
    info["content"]["signer_infos"] = [signers[0], second]
    return encode_tlv(0x77, info.dump(force=True))


def test_every_signer_is_checked_not_only_the_first() -> None:
    sod = _with_second_signer(SIGNER.sign_sod(GROUPS), broken=True)
    checks = check_signers(parse_sod(sod))
    assert sorted(c.ok for c in checks) == [False, True]  # DER sorts the SET OF SignerInfo
    groups = {f"DG{n}": content for n, content in GROUPS.items()}
    result = passive_authentication(sod, groups, TrustStore([SIGNER.csca_certificate]))
    assert result.status is PaStatus.SIGNATURE_INVALID
    assert re.match(r"signer [12] of 2: the signature does not verify", result.reason)


def test_two_good_signers_are_valid() -> None:
    sod = _with_second_signer(SIGNER.sign_sod(GROUPS), broken=False)
    groups = {f"DG{n}": content for n, content in GROUPS.items()}
    result = passive_authentication(sod, groups, TrustStore([SIGNER.csca_certificate]))
    assert result.status is PaStatus.VALID


def test_a_repeated_message_digest_attribute_is_malformed() -> None:
    # RFC 5652 §11.2: the message-digest attribute occurs once, with one value.
    content = parse_sod(SIGNER.sign_sod(GROUPS)).encapsulated_content
    twice = asn1.der_seq(
        asn1.der_oid(ID_MESSAGE_DIGEST),
        asn1.der_set(asn1.der_octets(digest("sha256", content)), asn1.der_octets(b"\x00" * 32)),
    )
    attributes = asn1.der_set(
        asn1.der_seq(
            asn1.der_oid(ID_CONTENT_TYPE), asn1.der_set(asn1.der_oid(ID_LDS_SECURITY_OBJECT))
        ),
        twice,
    )
    sod = encode_sod(
        content=content, content_type=ID_LDS_SECURITY_OBJECT, digest_algorithm="sha256",
        signed_attributes=attributes,
        signature_algorithm=asn1.der_seq(asn1.der_oid("1.2.840.10045.4.3.2")), signature=b"\x00",
        certificate=_der(SIGNER), issuer_and_serial=asn1.der_seq(asn1.der_int(1)),
    )  # fmt: skip
    with pytest.raises(ParseError, match="once with one value"):
        parse_sod(sod)


def test_an_explicit_parameter_csca_issues_what_cryptography_cannot_check() -> None:
    explicit = make_pki("bp512-explicit", label="cms-explicit")
    with pytest.raises(UnsupportedAlgorithm):
        explicit.csca_certificate.public_key()
    assert issued_by(explicit.ds_certificate, explicit.csca_certificate)
    assert not issued_by(explicit.ds_certificate, SIGNER.csca_certificate)


def test_a_certificate_with_a_negative_serial_is_read_leniently() -> None:
    explicit = make_pki("bp256-explicit", label="cms-negative")
    der = build_certificate(
        subject=explicit.ds_certificate.subject, issuer=explicit.csca_certificate.subject,
        serial=-5, not_before=datetime(2024, 1, 1, tzinfo=UTC),
        not_after=datetime(2030, 1, 1, tzinfo=UTC),
        spki=load_certificate(_der(explicit)).subject_public_key_info,
        signer=explicit.csca_key, hash_name="sha256", ca=False,
    )  # fmt: skip
    certificate = load_certificate(der)
    assert certificate.serial_number == -5
    assert issued_by(certificate, explicit.csca_certificate)
