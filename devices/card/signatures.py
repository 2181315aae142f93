"""Signature verification for the SOD, certificates and Active Authentication: RSA PKCS#1 v1.5,
RSASSA-PSS (RFC 4055 parameters), ECDSA in DER or plain r‖s form (BSI TR-03111 §5.2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.lds.sod import HASH_OIDS, AlgorithmIdentifier, algorithm
from devices.card.tlv import iter_tlv, parse_prefix

if TYPE_CHECKING:
    from devices.card.public_keys import VerifyingKey

_RSA_PKCS1 = {
    "1.2.840.113549.1.1.5": "sha1",
    "1.2.840.113549.1.1.14": "sha224",
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.3.14.3.2.29": "sha1",  # sha1WithRSASignature (OIW), still in old certificates
}
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSA_PSS = "1.2.840.113549.1.1.10"
MGF1 = "1.2.840.113549.1.1.8"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
_ECDSA = {
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}
_ECDSA_PLAIN = {f"0.4.0.127.0.7.1.1.4.1.{i}": h for i, h in enumerate(
    ("sha1", "sha224", "sha256", "sha384", "sha512"), start=1)}  # fmt: skip

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def hash_algorithm(name: str) -> hashes.HashAlgorithm:
    table: dict[str, hashes.HashAlgorithm] = {
        "sha1": hashes.SHA1(),
        "sha224": hashes.SHA224(),
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
    }
    if name not in table:
        raise ParseError(f"unsupported hash {name!r}")
    return table[name]


def digest(name: str, data: bytes) -> bytes:
    h = hashes.Hash(hash_algorithm(name))
    h.update(data)
    return h.finalize()


def describe(identifier: AlgorithmIdentifier) -> str:
    if identifier.oid in _RSA_PKCS1 or identifier.oid == RSA_ENCRYPTION:
        return "RSA"
    if identifier.oid == RSA_PSS:
        return "RSA-PSS"
    if (
        identifier.oid in _ECDSA
        or identifier.oid in _ECDSA_PLAIN
        or identifier.oid == EC_PUBLIC_KEY
    ):
        return "ECDSA"
    return identifier.oid


def pss_parameters(parameters: bytes) -> tuple[str, str, int]:
    """(hash, MGF1 hash, salt length) of RSASSA-PSS-params, with the RFC 4055 defaults."""
    hash_name, mgf_hash, salt = "sha1", "sha1", 20
    if not parameters:
        return hash_name, mgf_hash, salt
    outer = list(iter_tlv(parameters))
    if not outer or outer[0].tag != asn1.SEQUENCE:
        raise ParseError("RSASSA-PSS parameters must be a SEQUENCE")
    for element in outer[0].children():
        inner = element.children()
        if not inner:
            continue
        if element.tag == 0xA0:
            hash_name = HASH_OIDS.get(algorithm(inner[0]).oid, "")
        elif element.tag == 0xA1:
            mgf = algorithm(inner[0])
            if mgf.oid != MGF1:
                raise ParseError("only MGF1 is supported for RSASSA-PSS")
            mgf_hash = HASH_OIDS.get(algorithm(parse_prefix(mgf.parameters)).oid, "")
        elif element.tag == 0xA2:
            salt = asn1.integer(inner[0])
            if not 0 <= salt <= 1024:
                raise ParseError(f"RSASSA-PSS salt length {salt} is out of range")
    if not hash_name or not mgf_hash:
        raise ParseError("RSASSA-PSS parameters name an unknown hash")
    return hash_name, mgf_hash, salt


@dataclass(frozen=True)
class Scheme:
    """What a signature AlgorithmIdentifier asks for."""

    family: str  # RSA | RSA-PSS | ECDSA
    hash: str
    mgf_hash: str = ""
    salt: int = 0
    plain: bool = False  # ECDSA r‖s (BSI TR-03111 §5.2.1) rather than DER


def scheme(identifier: AlgorithmIdentifier, default_hash: str = "sha256") -> Scheme | None:
    """The scheme an AlgorithmIdentifier names (None for one this package does not know).
    `default_hash` is used for bare rsaEncryption / id-ecPublicKey (CMS puts the hash in the
    digest algorithm)."""
    oid = identifier.oid
    if oid == RSA_PSS:
        hash_name, mgf_hash, salt = pss_parameters(identifier.parameters)
        return Scheme("RSA-PSS", hash_name, mgf_hash, salt)
    if oid in _RSA_PKCS1 or oid == RSA_ENCRYPTION:
        return Scheme("RSA", _RSA_PKCS1.get(oid, default_hash))
    if oid in _ECDSA_PLAIN:
        return Scheme("ECDSA", _ECDSA_PLAIN[oid], plain=True)
    if oid in _ECDSA or oid == EC_PUBLIC_KEY:
        return Scheme("ECDSA", _ECDSA.get(oid, default_hash))
    return None


def verify(
    key: PublicKey | VerifyingKey,
    identifier: AlgorithmIdentifier,
    signature: bytes,
    message: bytes,
    default_hash: str = "sha256",
) -> bool:
    """True if `signature` over `message` verifies with `key` under the named algorithm."""
    from devices.card.public_keys import VerifyingKey, from_native

    verifying = key if isinstance(key, VerifyingKey) else from_native(key)
    return verifying.verify(identifier, signature, message, default_hash)


def plain_to_der(signature: bytes) -> bytes:
    if not signature or len(signature) % 2:
        raise ParseError("plain ECDSA signature has an odd length")
    half = len(signature) // 2
    return encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
