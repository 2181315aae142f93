"""DG15 (ICAO 9303-10 §4.7.15): the Active Authentication public key (SubjectPublicKeyInfo),
loaded with the project's key loader so RSA and EC keys on named or explicit curves all work."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.public_keys import VerifyingKey, load_public_key
from devices.card.tlv import encode_tlv

AaPublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def parse_dg15(data: bytes) -> VerifyingKey:
    outer = outer_template(data, "DG15")
    spki = outer.children()
    if not spki:
        raise ParseError("DG15 is empty")
    try:
        return load_public_key(spki[0].raw)
    except ParseError as exc:
        raise ParseError(f"DG15 public key does not load: {exc}") from exc


def encode_dg15(key: AaPublicKey | bytes) -> bytes:
    """DG15 around a `cryptography` key or a DER SubjectPublicKeyInfo (explicit parameters)."""
    spki = (
        key
        if isinstance(key, bytes)
        else key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return encode_tlv(0x6F, spki)
