"""Signature verification for the SOD, certificates and Active Authentication: RSA PKCS#1 v1.5,
RSASSA-PSS (RFC 4055 parameters), ECDSA in DER or plain r‖s form (BSI TR-03111 §5.2.1)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.lds.sod import HASH_OIDS, AlgorithmIdentifier, algorithm
from devices.card.tlv import iter_tlv, parse_prefix

_RSA_PKCS1 = {
    "1.2.840.113549.1.1.5": "sha1",
    "1.2.840.113549.1.1.14": "sha224",
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
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
    if not hash_name or not mgf_hash:
        raise ParseError("RSASSA-PSS parameters name an unknown hash")
    return hash_name, mgf_hash, salt


def verify(
    key: PublicKey,
    identifier: AlgorithmIdentifier,
    signature: bytes,
    message: bytes,
    default_hash: str = "sha256",
) -> bool:
    """True if `signature` over `message` verifies with `key` under the named algorithm."""
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if identifier.oid == RSA_PSS:
                hash_name, mgf_hash, salt = pss_parameters(identifier.parameters)
                pad: padding.AsymmetricPadding = padding.PSS(
                    padding.MGF1(hash_algorithm(mgf_hash)), salt
                )
            elif identifier.oid in _RSA_PKCS1 or identifier.oid == RSA_ENCRYPTION:
                hash_name = _RSA_PKCS1.get(identifier.oid, default_hash)
                pad = padding.PKCS1v15()
            else:
                return False
            key.verify(signature, message, pad, hash_algorithm(hash_name))
            return True
        if identifier.oid in _ECDSA_PLAIN:
            hash_name = _ECDSA_PLAIN[identifier.oid]
            signature = plain_to_der(signature)
        elif identifier.oid in _ECDSA or identifier.oid == EC_PUBLIC_KEY:
            hash_name = _ECDSA.get(identifier.oid, default_hash)
            if not signature.startswith(b"\x30"):  # some signers use plain r‖s here too
                signature = plain_to_der(signature)
        else:
            return False
        key.verify(signature, message, ec.ECDSA(hash_algorithm(hash_name)))
        return True
    except InvalidSignature:
        return False


def plain_to_der(signature: bytes) -> bytes:
    if not signature or len(signature) % 2:
        raise ParseError("plain ECDSA signature has an odd length")
    half = len(signature) // 2
    return encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
