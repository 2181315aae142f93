"""EF.SOD (ICAO 9303-10 §4.6.2): a CMS SignedData (RFC 5652) whose content is the
LDSSecurityObject (ICAO 9303-10 §4.6.2.2):

    LDSSecurityObject ::= SEQUENCE { version INTEGER, hashAlgorithm AlgorithmIdentifier,
                                     dataGroupHashValues SEQUENCE OF DataGroupHash, ... }
    DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING }

The CMS around it is read by `devices.card.cms` (asn1crypto); the LDSSecurityObject is read
here. Its eContentType is id-icao-ldsSecurityObject or, as some states issue, id-data: both are
parsed, and a SOD whose security object cannot be read is refused as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.tlv import TLV, encode_tlv, parse_one

ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
ID_DATA = "1.2.840.113549.1.7.1"
ID_LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
MAX_SOD_SIZE = 1 << 20  # refused before parsing: a real EF.SOD is a few kilobytes
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
_DIGEST_SIZES = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}


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
    signing_time: datetime | None = None


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
    """EF.SOD: the CMS SignedData and its LDS security object (eContentType
    id-icao-ldsSecurityObject or id-data). `ParseError` when either cannot be read."""
    if len(data) > MAX_SOD_SIZE:
        raise ParseError(f"EF.SOD is {len(data)} bytes, over the {MAX_SOD_SIZE}-byte limit")
    outer = outer_template(data, "SOD")
    content_info = outer.children()
    if not content_info or content_info[0].tag != asn1.SEQUENCE:
        raise ParseError("EF.SOD does not hold a CMS ContentInfo")
    signed = parse_signed_data(content_info[0])
    if signed.content_type not in (ID_LDS_SECURITY_OBJECT, ID_DATA):
        raise ParseError(f"EF.SOD content type {signed.content_type} is not an LDS security object")
    hash_algorithm, hashes, lds_version = parse_lds_security_object(signed.encapsulated_content)
    return replace(
        signed,
        hash_algorithm=hash_algorithm,
        data_group_hashes=hashes,
        lds_version=lds_version,
    )


def parse_signed_data(content_info: TLV | bytes) -> SecurityObject:
    """A CMS ContentInfo with SignedData (see `devices.card.cms.parse_signed_data`)."""
    from devices.card.cms import parse_signed_data as parse_cms  # cms builds on this module

    return parse_cms(content_info)


def parse_lds_security_object(content: bytes) -> tuple[str, dict[int, bytes], str]:
    root = parse_one(content)
    if root.tag != asn1.SEQUENCE:
        raise ParseError("LDSSecurityObject must be a SEQUENCE")
    children = root.children()
    if len(children) < 3:
        raise ParseError("LDSSecurityObject is missing fields")
    version = asn1.integer(children[0])
    if version not in (0, 1):
        raise ParseError(f"LDSSecurityObject version {version} is unknown")
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
        if number in hashes:
            raise ParseError(f"DG{number} is listed twice in the LDS security object")
        value = _octets(pair[1])
        if len(value) != _DIGEST_SIZES[HASH_OIDS[hash_oid]]:
            raise ParseError(f"the DG{number} hash is not a {HASH_OIDS[hash_oid]} digest")
        hashes[number] = value
    lds_version = ""
    if version == 1 and len(children) > 3:
        info = children[3].children()
        if info:
            lds_version = asn1.text(info[0])
    return HASH_OIDS[hash_oid], hashes, lds_version


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
