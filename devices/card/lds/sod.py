"""EF.SOD (ICAO 9303-10 §4.6.2): a CMS SignedData (RFC 5652) whose content is the
LDSSecurityObject (ICAO 9303-10 §4.6.2.2):

    LDSSecurityObject ::= SEQUENCE { version INTEGER, hashAlgorithm AlgorithmIdentifier,
                                     dataGroupHashValues SEQUENCE OF DataGroupHash, ... }
    DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING }
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.tlv import TLV, encode_tlv, parse_one

ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
ID_LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
ID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
ID_SIGNING_TIME = "1.2.840.113549.1.9.5"

HASH_OIDS = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
HASH_OID_BY_NAME = {name: oid for oid, name in HASH_OIDS.items()}


@dataclass(frozen=True)
class AlgorithmIdentifier:
    oid: str
    parameters: bytes  # DER of the parameters (b"" when absent)


@dataclass(frozen=True)
class SignerInfo:
    digest_algorithm: AlgorithmIdentifier
    signed_attributes: bytes | None  # DER re-tagged as SET (31), as signed; None if absent
    message_digest: bytes | None
    content_type: str | None
    signature_algorithm: AlgorithmIdentifier
    signature: bytes
    issuer_and_serial: bytes | None  # DER of IssuerAndSerialNumber, when that form is used
    subject_key_identifier: bytes | None


@dataclass(frozen=True)
class SecurityObject:
    """The parsed SOD: the data-group hashes and what is needed to check its signature."""

    hash_algorithm: str  # sha256, …
    data_group_hashes: dict[int, bytes]
    content_type: str
    encapsulated_content: bytes  # DER of the LDSSecurityObject (what the signer hashed)
    certificates: list[bytes] = field(default_factory=list)  # DER X.509
    signers: list[SignerInfo] = field(default_factory=list)
    lds_version: str = ""


def algorithm(element: TLV) -> AlgorithmIdentifier:
    if element.tag != asn1.SEQUENCE:
        raise ParseError("AlgorithmIdentifier must be a SEQUENCE")
    children = element.children()
    if not children:
        raise ParseError("empty AlgorithmIdentifier")
    params = b"".join(child.raw for child in children[1:])
    return AlgorithmIdentifier(asn1.oid(children[0]), params)


def _octets(element: TLV) -> bytes:
    """OCTET STRING value; BER constructed octet strings (24) are concatenated."""
    if element.tag == asn1.OCTET_STRING:
        return element.value
    if element.tag == 0x24:
        return b"".join(_octets(child) for child in element.children())
    raise ParseError(f"expected an OCTET STRING, found tag {element.tag:X}")


def parse_sod(data: bytes) -> SecurityObject:
    outer = outer_template(data, "SOD")
    content_info = outer.children()
    if not content_info or content_info[0].tag != asn1.SEQUENCE:
        raise ParseError("EF.SOD does not hold a CMS ContentInfo")
    return parse_signed_data(content_info[0])


def parse_signed_data(content_info: TLV) -> SecurityObject:
    parts = content_info.children()
    if len(parts) < 2 or asn1.oid(parts[0]) != ID_SIGNED_DATA or parts[1].tag != 0xA0:
        raise ParseError("ContentInfo is not a CMS SignedData")
    signed_data = parts[1].children()
    if not signed_data or signed_data[0].tag != asn1.SEQUENCE:
        raise ParseError("SignedData must be a SEQUENCE")
    fields_ = signed_data[0].children()
    if len(fields_) < 4:
        raise ParseError("SignedData is missing fields")
    encap = fields_[2].children()
    if not encap:
        raise ParseError("SignedData has no encapsulated content")
    content_type = asn1.oid(encap[0])
    if len(encap) < 2 or encap[1].tag != 0xA0:
        raise ParseError("SignedData content is detached (EF.SOD must carry it)")
    explicit = encap[1].children()
    if not explicit:
        raise ParseError("empty encapsulated content")
    content = _octets(explicit[0])
    certificates: list[bytes] = []
    signer_set: TLV | None = None
    for element in fields_[3:]:
        if element.tag == 0xA0:
            certificates.extend(child.raw for child in element.children() if child.tag == 0x30)
        elif element.tag == asn1.SET:
            signer_set = element
    if signer_set is None:
        raise ParseError("SignedData has no signerInfos")
    signers = [_signer_info(s) for s in signer_set.children()]
    if not signers:
        raise ParseError("SignedData has no signer")
    security_object = (
        parse_lds_security_object(content) if content_type == ID_LDS_SECURITY_OBJECT else None
    )
    return SecurityObject(
        hash_algorithm=security_object[0] if security_object else "",
        data_group_hashes=security_object[1] if security_object else {},
        content_type=content_type,
        encapsulated_content=content,
        certificates=certificates,
        signers=signers,
        lds_version=security_object[2] if security_object else "",
    )


def parse_lds_security_object(content: bytes) -> tuple[str, dict[int, bytes], str]:
    root = parse_one(content)
    if root.tag != asn1.SEQUENCE:
        raise ParseError("LDSSecurityObject must be a SEQUENCE")
    children = root.children()
    if len(children) < 3:
        raise ParseError("LDSSecurityObject is missing fields")
    version = asn1.integer(children[0])
    hash_oid = algorithm(children[1]).oid
    if hash_oid not in HASH_OIDS:
        raise ParseError(f"unknown hash algorithm {hash_oid}")
    hashes: dict[int, bytes] = {}
    for entry in children[2].children():
        pair = entry.children()
        if len(pair) != 2:
            raise ParseError("DataGroupHash must have a number and a hash")
        number = asn1.integer(pair[0])
        if not 1 <= number <= 16:
            raise ParseError(f"data group number {number} is out of range")
        hashes[number] = _octets(pair[1])
    lds_version = ""
    if version == 1 and len(children) > 3:
        info = children[3].children()
        if info:
            lds_version = asn1.text(info[0])
    return HASH_OIDS[hash_oid], hashes, lds_version


def _signer_info(element: TLV) -> SignerInfo:
    if element.tag != asn1.SEQUENCE:
        raise ParseError("SignerInfo must be a SEQUENCE")
    children = element.children()
    if len(children) < 5:
        raise ParseError("SignerInfo is missing fields")
    sid = children[1]
    issuer_and_serial = sid.raw if sid.tag == asn1.SEQUENCE else None
    ski = sid.value if sid.tag == 0x80 else None
    digest = algorithm(children[2])
    index = 3
    signed_attributes = None
    message_digest = None
    content_type = None
    if children[index].tag == 0xA0:
        attributes = children[index]
        signed_attributes = encode_tlv(asn1.SET, attributes.value)
        for attribute in attributes.children():
            pair = attribute.children()
            if len(pair) < 2 or pair[1].tag != asn1.SET:
                raise ParseError("malformed signed attribute")
            kind = asn1.oid(pair[0])
            values = pair[1].children()
            if not values:
                raise ParseError("signed attribute without value")
            if kind == ID_MESSAGE_DIGEST:
                message_digest = _octets(values[0])
            elif kind == ID_CONTENT_TYPE:
                content_type = asn1.oid(values[0])
        index += 1
    if len(children) < index + 2:
        raise ParseError("SignerInfo has no signature")
    signature_algorithm = algorithm(children[index])
    signature = _octets(children[index + 1])
    return SignerInfo(
        digest, signed_attributes, message_digest, content_type, signature_algorithm,
        signature, issuer_and_serial, ski,
    )  # fmt: skip


# --- encoding (the simulator's cards) ------------------------------------------------------------


def encode_lds_security_object(hash_algorithm: str, hashes: dict[int, bytes]) -> bytes:
    algorithm_der = asn1.der_seq(asn1.der_oid(HASH_OID_BY_NAME[hash_algorithm]))
    groups = asn1.der_seq(
        *(asn1.der_seq(asn1.der_int(n), asn1.der_octets(h)) for n, h in sorted(hashes.items()))
    )
    return asn1.der_seq(asn1.der_int(0), algorithm_der, groups)


def encode_signed_attributes(content_type: str, digest: bytes, signing_time_utc: str) -> bytes:
    """The signed attributes as a DER SET (what is signed); re-tag to A0 to embed."""
    return asn1.der_set(
        asn1.der_seq(asn1.der_oid(ID_CONTENT_TYPE), asn1.der_set(asn1.der_oid(content_type))),
        asn1.der_seq(asn1.der_oid(ID_MESSAGE_DIGEST), asn1.der_set(asn1.der_octets(digest))),
        asn1.der_seq(
            asn1.der_oid(ID_SIGNING_TIME),
            asn1.der_set(encode_tlv(asn1.UTC_TIME, signing_time_utc.encode())),
        ),
    )


def encode_sod(
    *,
    content: bytes,
    content_type: str,
    digest_algorithm: str,
    signed_attributes: bytes,
    signature_algorithm: bytes,  # DER AlgorithmIdentifier
    signature: bytes,
    certificate: bytes,
    issuer_and_serial: bytes,
    wrap_tag: int | None = 0x77,
) -> bytes:
    digest_alg = asn1.der_seq(asn1.der_oid(HASH_OID_BY_NAME[digest_algorithm]))
    signer = asn1.der_seq(
        asn1.der_int(1),
        issuer_and_serial,
        digest_alg,
        encode_tlv(0xA0, parse_one(signed_attributes).value),
        signature_algorithm,
        asn1.der_octets(signature),
    )
    signed_data = asn1.der_seq(
        asn1.der_int(3),
        asn1.der_set(digest_alg),
        asn1.der_seq(asn1.der_oid(content_type), encode_tlv(0xA0, asn1.der_octets(content))),
        encode_tlv(0xA0, certificate),
        asn1.der_set(signer),
    )
    content_info = asn1.der_seq(asn1.der_oid(ID_SIGNED_DATA), encode_tlv(0xA0, signed_data))
    return encode_tlv(wrap_tag, content_info) if wrap_tag is not None else content_info
