"""One check of a CMS SignedData signature (RFC 5652 §5.4–5.6), for EF.SOD and CSCA master lists.

Parse with `devices.card.lds.sod.parse_signed_data` (or `parse_sod`), load what the CMS carries
with `carried_certificates`, pick the signer's with `signer_certificate`, then `verify_signer`;
`issued_by` checks one link of a certificate chain. What to trust (which content type, which
CSCA, what to do when no certificate matches the signer) is the caller's policy.
"""

from __future__ import annotations

import hmac

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card import asn1
from devices.card.errors import CardError, ParseError
from devices.card.lds.sod import HASH_OIDS, SecurityObject, SignerInfo
from devices.card.signatures import digest, verify
from devices.card.tlv import parse_one


class SignatureInvalid(CardError):
    """The signed data does not verify with the signer's certificate; the message says why."""


def carried_certificates(signed: SecurityObject) -> list[x509.Certificate]:
    """The certificates the SignedData carries, in order."""
    certificates = []
    for raw in signed.certificates:
        try:
            certificates.append(x509.load_der_x509_certificate(raw))
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise ParseError(f"a certificate in the CMS does not load: {exc}") from exc
    return certificates


def signer_certificate(
    certificates: list[x509.Certificate], signer: SignerInfo
) -> x509.Certificate | None:
    """The certificate the signer identifier names (subject key identifier, or issuer and
    serial number), or None."""
    for certificate in certificates:
        if signer.subject_key_identifier is not None:
            try:
                ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == signer.subject_key_identifier:
                return certificate
        elif (
            signer.issuer_and_serial is not None
            and _issuer_and_serial(certificate) == signer.issuer_and_serial
        ):
            return certificate
    return None


def _issuer_and_serial(certificate: x509.Certificate) -> bytes | None:
    """IssuerAndSerialNumber as the certificate encodes it (its own bytes, not re-encoded, so a
    name that `cryptography` cannot parse still matches)."""
    try:
        fields = parse_one(certificate.tbs_certificate_bytes).children()
        if fields and fields[0].tag == 0xA0:  # explicit version
            fields = fields[1:]
        return asn1.der_seq(fields[2].raw, fields[0].raw)
    except (CardError, IndexError):
        return None


def digest_name(signer: SignerInfo) -> str:
    name = HASH_OIDS.get(signer.digest_algorithm.oid)
    if name is None:
        raise ParseError(f"unknown digest algorithm {signer.digest_algorithm.oid}")
    return name


def verify_signer(
    signed: SecurityObject, signer: SignerInfo, certificate: x509.Certificate
) -> None:
    """Raise `SignatureInvalid` unless `signer` signed `signed`'s content with `certificate`'s
    key: the message-digest attribute matches the content and the signature verifies over the
    signed attributes (or over the content when there are none). A malformed part raises
    `ParseError`."""
    hash_name = digest_name(signer)
    message = signed.encapsulated_content
    if signer.signed_attributes is not None:
        if signer.message_digest is None:
            raise SignatureInvalid("the signed attributes lack the message digest")
        if not hmac.compare_digest(digest(hash_name, message), signer.message_digest):
            raise SignatureInvalid("the message digest attribute does not match the content")
        message = signer.signed_attributes
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise SignatureInvalid("the signer's key is neither RSA nor EC")
    if not verify(key, signer.signature_algorithm, signer.signature, message, hash_name):
        raise SignatureInvalid("the signature does not verify with the signer's certificate")


def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer` (an RSA or EC key) signed `certificate` and is named as its issuer
    (RSA PKCS#1 v1.5, RSA-PSS, ECDSA)."""
    try:
        if not isinstance(issuer.public_key(), rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            return False
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True
