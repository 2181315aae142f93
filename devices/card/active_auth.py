"""Active Authentication (ICAO 9303-11 §6.1): the chip signs a reader challenge with the private
key whose public half is in DG15. RSA uses ISO/IEC 9796-2 signature scheme 1 (message recovery);
ECDSA uses a plain r‖s signature with the hash named in DG14's ActiveAuthenticationInfo."""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.errors import CardError
from devices.card.exchange import Exchange
from devices.card.lds.sod import AlgorithmIdentifier
from devices.card.signatures import digest, verify

_TRAILER_HASHES = {0x33: "sha256", 0x34: "sha512", 0x36: "sha384", 0x38: "sha224", 0x31: "sha1"}
_HASH_LENGTHS = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}
DEFAULT_ECDSA_AA = "0.4.0.127.0.7.1.1.4.1.3"  # ecdsa-plain-SHA256


@dataclass(frozen=True)
class AuthResult:
    """Outcome of active or chip authentication."""

    status: str  # SUCCEEDED | FAILED | NOT_SUPPORTED | NOT_RUN
    reason: str = ""

    def as_json(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


def internal_authenticate(challenge: bytes) -> bytes:
    return CommandAPDU(0x00, 0x88, 0x00, 0x00, challenge, le=256).encode()


def active_authentication(
    key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
    signature_algorithm: str | None = None,
    random: object = os.urandom,
) -> Exchange[AuthResult]:
    challenge = random(8)  # type: ignore[operator]
    try:
        signature = ResponseAPDU.decode((yield internal_authenticate(challenge))).check().data
    except CardError as exc:
        return AuthResult("FAILED", f"INTERNAL AUTHENTICATE refused: {exc}")
    if isinstance(key, rsa.RSAPublicKey):
        ok, why = verify_iso9796_2(key, signature, challenge)
        return AuthResult("SUCCEEDED" if ok else "FAILED", why)
    identifier = AlgorithmIdentifier(signature_algorithm or DEFAULT_ECDSA_AA, b"")
    if verify(key, identifier, signature, challenge):
        return AuthResult("SUCCEEDED", "ECDSA signature over the challenge verifies")
    return AuthResult("FAILED", "ECDSA signature over the challenge does not verify")


def verify_iso9796_2(key: rsa.RSAPublicKey, signature: bytes, challenge: bytes) -> tuple[bool, str]:
    numbers = key.public_numbers()
    n, e = numbers.n, numbers.e
    s = int.from_bytes(signature, "big")
    if not 0 < s < n:
        return False, "signature out of range"
    j = pow(s, e, n)
    if j % 16 != 12:  # ISO 9796-2 §B: the representative may be n - J
        j = n - j
    size = (n.bit_length() + 7) // 8
    f = j.to_bytes(size, "big")
    if f[0] & 0xC0 != 0x40:
        return False, "ISO 9796-2 header is wrong"
    if f[-1] == 0xBC:
        hash_name, trailer = "sha1", 1
    elif f[-1] == 0xCC and f[-2] in _TRAILER_HASHES:
        hash_name, trailer = _TRAILER_HASHES[f[-2]], 2
    else:
        return False, "ISO 9796-2 trailer is unknown"
    length = _HASH_LENGTHS[hash_name]
    m1 = f[1 : -(length + trailer)]
    digest_value = f[-(length + trailer) : -trailer]
    if hmac.compare_digest(digest(hash_name, m1 + challenge), digest_value):
        return True, f"RSA ISO 9796-2 signature ({hash_name}) over the challenge verifies"
    return False, "RSA ISO 9796-2 digest does not match the challenge"


def sign_iso9796_2(key: rsa.RSAPrivateKey, challenge: bytes, m1: bytes) -> bytes:
    """The chip's side (simulator): partial-recovery signature with SHA-1 and trailer BC."""
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    size = (n.bit_length() + 7) // 8
    m1 = m1[: size - 22]
    m1 = m1.rjust(size - 22, b"\x00")
    f = b"\x6a" + m1 + digest("sha1", m1 + challenge) + b"\xbc"
    return pow(int.from_bytes(f, "big"), numbers.d, n).to_bytes(size, "big")


def sign_ecdsa_plain(key: ec.EllipticCurvePrivateKey, challenge: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(key.sign(challenge, ec.ECDSA(hashes.SHA256())))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")
