"""DG15 (ICAO 9303-10 §4.7.15): the Active Authentication public key (SubjectPublicKeyInfo)."""

from __future__ import annotations

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.tlv import encode_tlv

AaPublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def parse_dg15(data: bytes) -> AaPublicKey:
    outer = outer_template(data, "DG15")
    spki = outer.children()
    if not spki:
        raise ParseError("DG15 is empty")
    try:
        key = serialization.load_der_public_key(spki[0].raw)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ParseError(f"DG15 public key does not load: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise ParseError("DG15 key is neither RSA nor EC")
    return key


def encode_dg15(key: AaPublicKey) -> bytes:
    spki = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return encode_tlv(0x6F, spki)
