"""The one CMS SignedData verifier (RFC 5652 §5), for EF.SOD and CSCA master lists, and lenient
X.509 certificates, both parsed with asn1crypto.

`parse_signed_data` reads a ContentInfo; `verify_signer` checks one SignerInfo in the RFC 5652
§5.4–5.6 order: the content-type attribute equals the eContentType (§11.1), the message-digest
attribute equals the content's digest (§11.2), the signature verifies over the signed attributes
with the key of the certificate the SignerIdentifier names (never "the first certificate").
`check_signers` does this for every signer; `issued_by` checks one link of a chain; `chain_to`
finds the trusted CSCA that issued a certificate. What to trust is the caller's policy.

Certificates are parsed leniently (NULL ECDSA parameters, non-DER extensions, negative serials,
explicit-curve keys load), verified strictly (`devices.card.public_keys`).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from devices.card import asn1
from devices.card.errors import CardError, ParseError
from devices.card.lds.sod import (
    HASH_OIDS,
    AlgorithmIdentifier,
    SecurityObject,
    SignerInfo,
)
from devices.card.public_keys import VerifyingKey, certificate_public_key
from devices.card.signatures import digest, verify
from devices.card.tlv import TLV, encode_tlv

ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
ID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
ID_SIGNING_TIME = "1.2.840.113549.1.9.5"
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)


class SignatureInvalid(CardError):
    """The signed data does not verify with the signer's certificate; the message says why."""


# --- certificates -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Certificate:
    """An X.509 certificate as asn1crypto reads it, with what chain checks need."""

    der: bytes = field(repr=False)
    subject: str  # RFC 4514 form, like `cryptography`'s rfc4514_string()
    issuer: str
    serial_number: int
    not_before: datetime
    not_after: datetime
    key_usage: frozenset[str] | None  # asn1crypto names: digital_signature, key_cert_sign, …
    is_ca: bool | None  # BasicConstraints cA, None when the extension is absent
    subject_key_identifier: bytes | None
    authority_key_identifier: bytes | None
    tbs: bytes = field(repr=False)
    signature_algorithm: AlgorithmIdentifier = field(repr=False)
    signature: bytes = field(repr=False)
    _parsed: asn1_x509.Certificate = field(repr=False)

    @property
    def country(self) -> str:
        for rdn in self._parsed.subject.chosen:
            for attribute in rdn:
                if attribute["type"].native == "country_name":
                    return str(attribute["value"].native or "")
        return ""

    def same_subject_as_issuer_of(self, certificate: Certificate) -> bool:
        """Whether this certificate's subject is `certificate`'s issuer (RFC 5280 §7.1 name
        comparison, as asn1crypto implements it)."""
        try:
            return bool(self._parsed.subject == certificate._parsed.issuer)
        except _PARSE_ERRORS:
            return False

    @property
    def subject_public_key_info(self) -> bytes:
        """The SubjectPublicKeyInfo as the certificate encodes it (DER)."""
        return bytes(self._parsed["tbs_certificate"]["subject_public_key_info"].dump())

    def public_key(self) -> VerifyingKey:
        """The subject key; `ParseError` (or its `KeyUnsupported`) when it cannot be used."""
        return _public_key(self.der)

    @property
    def self_signed(self) -> bool:
        return self.same_subject_as_issuer_of(self)


@lru_cache(maxsize=4096)
def _public_key(der: bytes) -> VerifyingKey:
    return certificate_public_key(der)


_SHORT_NAMES = {
    "country_name": "C", "organization_name": "O", "organizational_unit_name": "OU",
    "common_name": "CN", "locality_name": "L", "state_or_province_name": "ST",
    "street_address": "STREET", "domain_component": "DC", "user_id": "UID",
    "serial_number": "serialNumber", "email_address": "emailAddress",
}  # fmt: skip


def _rfc4514(name: asn1_x509.Name) -> str:
    parts = []
    for rdn in reversed(list(name.chosen)):
        values = []
        for attribute in rdn:
            kind = attribute["type"].native
            key = _SHORT_NAMES.get(kind, attribute["type"].dotted)
            try:
                value = attribute["value"].native
            except _PARSE_ERRORS:
                value = None
            text = value if isinstance(value, str) else "#" + attribute["value"].dump().hex()
            values.append(f"{key}={_escape(text) if isinstance(value, str) else text}")
        parts.append("+".join(values))
    return ",".join(parts)


def _escape(value: str) -> str:
    out = "".join("\\" + c if c in ',+"\\<>;' else c for c in value)
    if out.startswith((" ", "#")):
        out = "\\" + out
    if out.endswith(" ") and len(out) > 1:
        out = out[:-1] + "\\ "
    return out


def load_certificate(der: bytes) -> Certificate:
    """A DER certificate, parsed leniently. `ParseError` when its structure cannot be read."""
    try:
        parsed = asn1_x509.Certificate.load(der)
        tbs = parsed["tbs_certificate"]
        validity = tbs["validity"]
        algorithm = parsed["signature_algorithm"]
        signature_bits = parsed["signature_value"].contents
        return Certificate(
            der=der,
            subject=_rfc4514(tbs["subject"]),
            issuer=_rfc4514(tbs["issuer"]),
            serial_number=int(tbs["serial_number"].native),
            not_before=validity["not_before"].native,
            not_after=validity["not_after"].native,
            key_usage=_key_usage(parsed),
            is_ca=_is_ca(parsed),
            subject_key_identifier=_optional(lambda: parsed.key_identifier),
            authority_key_identifier=_optional(lambda: parsed.authority_key_identifier),
            tbs=tbs.dump(),
            signature_algorithm=_algorithm(algorithm),
            signature=bytes(signature_bits[1:]),
            _parsed=parsed,
        )
    except _PARSE_ERRORS as exc:
        raise ParseError(f"malformed certificate: {exc}") from exc


def _optional(read: object) -> bytes | None:
    try:
        value = read()  # type: ignore[operator]
    except _PARSE_ERRORS:
        return None
    return bytes(value) if value is not None else None


def _key_usage(parsed: asn1_x509.Certificate) -> frozenset[str] | None:
    try:
        value = parsed.key_usage_value
    except _PARSE_ERRORS:
        return None
    return frozenset(value.native) if value is not None else None


def _is_ca(parsed: asn1_x509.Certificate) -> bool | None:
    try:
        value = parsed.basic_constraints_value
    except _PARSE_ERRORS:
        return None
    return bool(value["ca"].native) if value is not None else None


def _algorithm(value: asn1_core.Sequence) -> AlgorithmIdentifier:
    parameters = value["parameters"]
    encoded = b"" if isinstance(parameters, asn1_core.Void) else parameters.dump()
    return AlgorithmIdentifier(value["algorithm"].dotted, encoded)


AnyCertificate = TypeVar("AnyCertificate", Certificate, x509.Certificate)


def as_certificate(certificate: Certificate | x509.Certificate) -> Certificate:
    """Ours as is; a `cryptography` certificate re-read leniently from its DER."""
    if isinstance(certificate, Certificate):
        return certificate
    return _from_der(certificate.public_bytes(serialization.Encoding.DER))


@lru_cache(maxsize=4096)
def _from_der(der: bytes) -> Certificate:
    return load_certificate(der)


def issued_by(
    certificate: Certificate | x509.Certificate, issuer: Certificate | x509.Certificate
) -> bool:
    """Whether `issuer` is named as `certificate`'s issuer and its key (RSA, RSA-PSS, ECDSA on
    any prime curve) verifies `certificate`'s signature."""
    try:
        child, parent = as_certificate(certificate), as_certificate(issuer)
        if not parent.same_subject_as_issuer_of(child):
            return False
        return verify(parent.public_key(), child.signature_algorithm, child.signature, child.tbs)
    except CardError:
        return False


def chain_to(
    certificate: Certificate | x509.Certificate,
    trusted: Iterable[AnyCertificate],
) -> AnyCertificate | None:
    """The first trusted certificate that issued `certificate`, or None."""
    for candidate in trusted:
        if issued_by(certificate, candidate):
            return candidate
    return None


# --- SignedData ---------------------------------------------------------------------------------


def parse_signed_data(content_info: bytes | TLV) -> SecurityObject:
    """A CMS ContentInfo holding SignedData with encapsulated content (not detached). The LDS
    security object is not read here (see `devices.card.lds.sod.parse_sod`)."""
    data = content_info.raw if isinstance(content_info, TLV) else content_info
    try:
        info = asn1_cms.ContentInfo.load(data)
        if info["content_type"].dotted != ID_SIGNED_DATA:
            raise ParseError("ContentInfo is not a CMS SignedData")
        signed = info["content"]
        encapsulated = signed["encap_content_info"]
        content_type = encapsulated["content_type"].dotted
        content = _content_bytes(encapsulated["content"])
        certificates = [
            choice.chosen.dump()
            for choice in (signed["certificates"] or [])
            if choice.name == "certificate"
        ]
        signers = [_signer_info(s) for s in signed["signer_infos"]]
    except _PARSE_ERRORS as exc:
        raise ParseError(f"malformed CMS SignedData: {exc}") from exc
    if not signers:
        raise ParseError("SignedData has no signer")
    return SecurityObject(
        hash_algorithm="",
        data_group_hashes={},
        content_type=content_type,
        encapsulated_content=content,
        certificates=certificates,
        signers=signers,
    )


def _content_bytes(value: asn1_core.Asn1Value) -> bytes:
    if isinstance(value, asn1_core.Void):
        raise ParseError("SignedData content is detached (it must be carried)")
    if isinstance(value, asn1_core.OctetString | asn1_core.ParsableOctetString):
        native = value.native
        if isinstance(native, bytes):
            return native
        return bytes(value.contents or b"")
    raise ParseError("the encapsulated content is not an OCTET STRING")


def _signer_info(value: asn1_cms.SignerInfo) -> SignerInfo:
    sid = value["sid"]
    issuer_and_serial = sid.chosen.dump() if sid.name == "issuer_and_serial_number" else None
    ski = bytes(sid.chosen.native) if sid.name == "subject_key_identifier" else None
    attributes = value["signed_attrs"]
    signed_attributes = None
    message_digest = None
    content_type = None
    signing_time = None
    if not isinstance(attributes, asn1_core.Void):
        signed_attributes = encode_tlv(asn1.SET, attributes.contents)
        seen: set[str] = set()
        for attribute in attributes:
            kind = attribute["type"].dotted
            values = attribute["values"]
            if kind in (ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNING_TIME):
                if kind in seen or len(values) != 1:  # RFC 5652 §11.1–11.3: one value, once
                    raise ParseError(f"signed attribute {kind} must occur once with one value")
                seen.add(kind)
            if kind == ID_MESSAGE_DIGEST:
                message_digest = bytes(values[0].native)
            elif kind == ID_CONTENT_TYPE:
                content_type = values[0].dotted
            elif kind == ID_SIGNING_TIME:
                signing_time = values[0].native
    return SignerInfo(
        digest_algorithm=_algorithm(value["digest_algorithm"]),
        signed_attributes=signed_attributes,
        message_digest=message_digest,
        content_type=content_type,
        signature_algorithm=_algorithm(value["signature_algorithm"]),
        signature=bytes(value["signature"].native),
        issuer_and_serial=issuer_and_serial,
        subject_key_identifier=ski,
        signing_time=signing_time,
    )


def signed_certificates(signed: SecurityObject) -> tuple[list[Certificate], list[str]]:
    """The certificates the SignedData carries that can be read, and why the others cannot."""
    found: list[Certificate] = []
    problems: list[str] = []
    for der in signed.certificates:
        try:
            found.append(_from_der(der))
        except ParseError as exc:
            problems.append(str(exc))
    return found, problems


def carried_certificates(signed: SecurityObject) -> list[x509.Certificate]:
    """The carried certificates as `cryptography` objects (strict; for callers that need them)."""
    certificates = []
    for raw in signed.certificates:
        try:
            certificates.append(x509.load_der_x509_certificate(raw))
        except ValueError as exc:
            raise ParseError(f"a certificate in the CMS does not load: {exc}") from exc
    return certificates


def signer_certificate(
    certificates: Sequence[AnyCertificate], signer: SignerInfo
) -> AnyCertificate | None:
    """The certificate the SignerIdentifier names (issuer and serial number, or subject key
    identifier), or None: there is no "first certificate" fallback."""
    wanted = _issuer_and_serial(signer)
    for certificate in certificates:
        try:
            ours = as_certificate(certificate)
        except ParseError:
            continue
        if signer.subject_key_identifier is not None:
            if ours.subject_key_identifier == signer.subject_key_identifier:
                return certificate
        elif wanted is not None:
            issuer, serial = wanted
            if ours.serial_number == serial and _name_equal(ours._parsed.issuer, issuer):
                return certificate
    return None


def _issuer_and_serial(signer: SignerInfo) -> tuple[asn1_x509.Name, int] | None:
    if signer.issuer_and_serial is None:
        return None
    try:
        parsed = asn1_cms.IssuerAndSerialNumber.load(signer.issuer_and_serial)
        return parsed["issuer"], int(parsed["serial_number"].native)
    except _PARSE_ERRORS:
        return None


def _name_equal(first: asn1_x509.Name, second: asn1_x509.Name) -> bool:
    try:
        return bool(first == second) or first.dump() == second.dump()
    except _PARSE_ERRORS:
        return first.dump() == second.dump()


def digest_name(signer: SignerInfo) -> str:
    name = HASH_OIDS.get(signer.digest_algorithm.oid)
    if name is None:
        raise ParseError(f"unknown digest algorithm {signer.digest_algorithm.oid}")
    return name


def verify_signer(
    signed: SecurityObject, signer: SignerInfo, certificate: Certificate | x509.Certificate
) -> None:
    """Raise `SignatureInvalid` unless `signer` signed `signed`'s content with `certificate`'s
    key: with signed attributes, the content-type attribute is the eContentType and the
    message-digest attribute is the content's digest, and the signature verifies over the
    attributes; without them, over the content. A malformed part raises `ParseError`."""
    hash_name = digest_name(signer)
    message = signed.encapsulated_content
    if signer.signed_attributes is not None:
        if signer.content_type is None:
            raise SignatureInvalid("the signed attributes lack the content type")
        if signer.content_type != signed.content_type:
            raise SignatureInvalid(
                f"the content-type attribute ({signer.content_type}) is not the "
                f"encapsulated content type ({signed.content_type})"
            )
        if signer.message_digest is None:
            raise SignatureInvalid("the signed attributes lack the message digest")
        if not hmac.compare_digest(digest(hash_name, message), signer.message_digest):
            raise SignatureInvalid("the message digest attribute does not match the content")
        message = signer.signed_attributes
    key = as_certificate(certificate).public_key()
    if not verify(key, signer.signature_algorithm, signer.signature, message, hash_name):
        raise SignatureInvalid("the signature does not verify with the signer's certificate")


@dataclass(frozen=True)
class SignerCheck:
    """One signer's outcome: its certificate (when the SignerIdentifier names a carried or
    given one) and why it failed ("" when the signature verifies)."""

    signer: SignerInfo
    certificate: Certificate | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def check_signers(
    signed: SecurityObject, extra_certificates: Iterable[Certificate] = ()
) -> list[SignerCheck]:
    """Every SignerInfo checked with the certificate its SignerIdentifier names, looked up among
    the carried certificates and then `extra_certificates`."""
    carried, _ = signed_certificates(signed)
    pool = carried + list(extra_certificates)
    checks = []
    for signer in signed.signers:
        certificate = signer_certificate(pool, signer)
        if certificate is None:
            checks.append(SignerCheck(signer, None, "no certificate matches the signer identifier"))
            continue
        try:
            verify_signer(signed, signer, certificate)
        except SignatureInvalid as exc:
            checks.append(SignerCheck(signer, certificate, str(exc)))
        except ParseError as exc:
            checks.append(SignerCheck(signer, certificate, f"unusable: {exc}"))
        else:
            checks.append(SignerCheck(signer, certificate))
    return checks
