"""Active Authentication (ICAO 9303-11 §6.1): the chip signs a reader challenge with the private
key whose public half is in DG15.

RSA uses ISO/IEC 9796-2 digital signature scheme 1 with message recovery: the chip's nonce M1 is
recovered from the signature, the challenge is the non-recoverable part M2, and the hash in the
representative must be the hash of M1 ‖ M2. ECDSA uses a plain r‖s signature (BSI TR-03111 §5.2.1)
with the hash named in DG14's ActiveAuthenticationInfo.

Statuses (docs/domain.md §1): SUCCEEDED (the chip proved it holds the DG15 key), FAILED (the chip
answered and the answer does not verify: a possible clone), NOT_SUPPORTED (the card offers it but
it could not be run: refused command, algorithm we do not implement), NOT_PRESENT (the card does
not offer it).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.errors import CardError, SecureMessagingError, StatusWordError
from devices.card.exchange import Exchange
from devices.card.lds.sod import AlgorithmIdentifier
from devices.card.public_keys import VerifyingKey, from_native
from devices.card.signatures import digest

SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
NOT_SUPPORTED = "NOT_SUPPORTED"
NOT_PRESENT = "NOT_PRESENT"

# ISO/IEC 10118-3 hash-function identifiers in the explicit trailer `xx CC` (ISO/IEC 9796-2 §8.1)
TRAILER_HASHES = {
    0x31: "ripemd160",
    0x32: "ripemd128",
    0x33: "sha1",
    0x34: "sha256",
    0x35: "sha512",
    0x36: "sha384",
    0x37: "whirlpool",
    0x38: "sha224",
}
TRAILER_OF_HASH = {name: ident for ident, name in TRAILER_HASHES.items()}
IMPLICIT_TRAILER = 0xBC  # hash is SHA-1 (ICAO 9303-11 §6.1.2)
_HASH_LENGTHS = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}
_HASH_LENGTHS.update({"ripemd160": 20, "ripemd128": 16, "whirlpool": 64})
_UNSUPPORTED_HASHES = {"ripemd128", "whirlpool"}  # not in OpenSSL's default provider
_ECDSA_PLAIN = "0.4.0.127.0.7.1.1.4.1."  # ecdsa-plain-SHA1 … SHA512 = .1 … .5
_PLAIN_BY_HASH = {h: _ECDSA_PLAIN + str(i) for i, h in
                  enumerate(("sha1", "sha224", "sha256", "sha384", "sha512"), start=1)}  # fmt: skip
_X962_TO_HASH = {
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}
CHALLENGE_LENGTH = 8


@dataclass(frozen=True)
class AuthResult:
    """Outcome of active or chip authentication."""

    status: str  # SUCCEEDED | FAILED | NOT_SUPPORTED | NOT_PRESENT
    reason: str = ""
    # PACE-CAM: the chip proved the key and EF.CardSecurity's signature verifies; the status is
    # NOT_SUPPORTED until the document step chains the file to a trusted CSCA (not in the JSON)
    awaits_card_security_chain: bool = False

    def as_json(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


def internal_authenticate(challenge: bytes) -> bytes:
    return CommandAPDU(0x00, 0x88, 0x00, 0x00, challenge, le=256).encode()


def active_authentication(
    key: VerifyingKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
    signature_algorithm: str | None = None,
    random: Callable[[int], bytes] = os.urandom,
) -> Exchange[AuthResult]:
    """INTERNAL AUTHENTICATE with a fresh challenge, then check the chip's signature. `key` is
    DG15's key as `devices.card.lds.dg15.parse_dg15` loads it (RSA, or EC on a named or explicit
    prime curve); a `cryptography` key is accepted too.

    Secure-messaging errors propagate (the reader resumes); any other refusal is NOT_SUPPORTED.
    """
    verifying = key if isinstance(key, VerifyingKey) else from_native(key)
    challenge = random(CHALLENGE_LENGTH)
    try:
        signature = ResponseAPDU.decode((yield internal_authenticate(challenge))).check().data
    except SecureMessagingError:
        raise
    except StatusWordError as exc:
        return AuthResult(
            NOT_SUPPORTED, f"the chip refused INTERNAL AUTHENTICATE (SW {exc.sw:04X})"
        )
    if isinstance(verifying.native, rsa.RSAPublicKey):
        recovery = recover_iso9796_2(verifying.native, signature)
        if isinstance(recovery, str):
            return AuthResult(FAILED, recovery)
        if recovery.hash_name in _UNSUPPORTED_HASHES:
            return AuthResult(
                NOT_SUPPORTED, f"ISO 9796-2 hash {recovery.hash_name} is not available"
            )
        ok, why = recovery.verifies(challenge)
        return AuthResult(SUCCEEDED if ok else FAILED, why)
    return _ecdsa_result(verifying, signature_algorithm, signature, challenge)


# --- RSA: ISO/IEC 9796-2 scheme 1 ---------------------------------------------------------------


@dataclass(frozen=True)
class Recovered:
    """A message representative opened with the public key (ISO/IEC 9796-2 §8 / Annex B)."""

    hash_name: str
    partial: bool  # header bit "more data": M2 is not in the signature
    m1: bytes  # the recovered part of the message
    hash_value: bytes

    def verifies(self, challenge: bytes) -> tuple[bool, str]:
        """Partial recovery: H = hash(M1 ‖ challenge). Total recovery: the message is M1 alone,
        so it must end with the challenge and H = hash(M1)."""
        if self.hash_name in _UNSUPPORTED_HASHES:
            return False, f"ISO 9796-2 hash {self.hash_name} is not available"
        if self.partial:
            ok = self.matches(self.m1 + challenge)
            scheme = "partial recovery"
        else:
            ok = self.m1.endswith(challenge) and self.matches(self.m1)
            scheme = "total recovery"
        verdict = "verifies" if ok else "does not match the challenge"
        return ok, f"RSA ISO 9796-2 {scheme} ({self.hash_name}) {verdict}"

    def matches(self, message: bytes) -> bool:
        """The representative's hash is the hash of `message` (M1 ‖ M2)."""
        if self.hash_name == "ripemd160":
            value = hashlib.new("ripemd160", message).digest()
        else:
            value = digest(self.hash_name, message)
        return hmac.compare_digest(value, self.hash_value)


def recover_iso9796_2(key: rsa.RSAPublicKey, signature: bytes) -> Recovered | str:
    """Open a scheme-1 signature; a string says why it cannot be opened."""
    numbers = key.public_numbers()
    n, e = numbers.n, numbers.e
    s = int.from_bytes(signature, "big")
    if not 0 < s < n:
        return "signature out of range"
    j = pow(s, e, n)
    if j % 16 != 12:  # §B.6: the representative is J or n − J, whichever ends in nibble C
        j = n - j
    if j % 16 != 12:
        return "ISO 9796-2 representative does not end in nibble C"
    f = j.to_bytes((n.bit_length() + 7) // 8, "big")
    if f[0] & 0xC0 != 0x40:
        return "ISO 9796-2 header is wrong"
    if f[-1] == IMPLICIT_TRAILER:
        hash_name, trailer = "sha1", 1
    elif f[-1] == 0xCC and f[-2] in TRAILER_HASHES:
        hash_name, trailer = TRAILER_HASHES[f[-2]], 2
    else:
        return f"ISO 9796-2 trailer {f[-2:].hex()} is unknown"
    # padding: nibbles B…B then A; the first byte carries 01, the more-data bit, then padding
    start = next((i for i, byte in enumerate(f) if byte & 0x0F == 0x0A), None)
    if start is None or any(b != 0xBB for b in f[1:start]) or (start and f[start] != 0xBA):
        return "ISO 9796-2 padding is malformed"
    if f[0] & 0x1F not in (0x0A, 0x0B) or (start == 0) != (f[0] & 0x0F == 0x0A):
        return "ISO 9796-2 padding is malformed"
    length = _HASH_LENGTHS[hash_name]
    end = len(f) - trailer - length
    if end <= start + 1:
        return "ISO 9796-2 representative holds no recoverable message"
    return Recovered(hash_name, bool(f[0] & 0x20), f[start + 1 : end], f[end : end + length])


def verify_iso9796_2(key: rsa.RSAPublicKey, signature: bytes, challenge: bytes) -> tuple[bool, str]:
    recovery = recover_iso9796_2(key, signature)
    if isinstance(recovery, str):
        return False, recovery
    return recovery.verifies(challenge)


def sign_iso9796_2(
    key: rsa.RSAPrivateKey,
    challenge: bytes,
    m1: bytes,
    *,
    hash_name: str = "sha1",
    explicit_trailer: bool = False,
    total: bool = False,
) -> bytes:
    """The chip's side (simulator). Partial recovery signs M1 ‖ challenge with M1 filling the
    representative; total recovery puts M1 ‖ challenge (shortened M1) in the representative."""
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    size = (n.bit_length() + 7) // 8
    trailer = bytes((TRAILER_OF_HASH[hash_name], 0xCC)) if explicit_trailer else b"\xbc"
    if not explicit_trailer and hash_name != "sha1":
        raise ValueError("the implicit trailer BC means SHA-1")
    room = size - 1 - _HASH_LENGTHS[hash_name] - len(trailer)
    if total:
        message = m1[: room - len(challenge)] + challenge
        header = bytes((0x4A,))
        recoverable, hashed = message, message
    else:
        recoverable = m1[:room].rjust(room, b"\x00")
        header = bytes((0x6A,))
        hashed = recoverable + challenge
    padding = b""
    if len(recoverable) < room:  # pad with B…BA (the header nibble then says B)
        padding = b"\xbb" * (room - len(recoverable) - 1) + b"\xba"
        header = bytes((header[0] | 0x01,))
    f = header + padding + recoverable + digest(hash_name, hashed) + trailer
    if len(f) != size:
        raise ValueError("representative does not fit the modulus")
    return pow(int.from_bytes(f, "big"), numbers.d, n).to_bytes(size, "big")


# --- ECDSA: plain signatures (BSI TR-03111) -----------------------------------------------------


def _ecdsa_result(
    key: VerifyingKey, algorithm: str | None, signature: bytes, challenge: bytes
) -> AuthResult:
    if key.algorithm != "EC" or key.curve is None:
        return AuthResult(NOT_SUPPORTED, f"active authentication with a {key.algorithm} key")
    size = key.curve.order_byte_length  # r and s are below the order (BSI TR-03111 §5.2.1)
    plain = signature
    if len(signature) != 2 * size and signature[:1] == b"\x30":  # some chips answer DER
        try:
            r, s = decode_dss_signature(signature)
            plain = r.to_bytes(size, "big") + s.to_bytes(size, "big")
        except (ValueError, OverflowError):
            return AuthResult(FAILED, "ECDSA signature is neither plain nor DER")
    if len(plain) != 2 * size:
        return AuthResult(FAILED, f"ECDSA signature has {len(plain)} bytes, expected {2 * size}")
    hashes = _candidate_hashes(key.curve.n.bit_length(), algorithm)
    if not hashes:
        return AuthResult(NOT_SUPPORTED, f"active authentication algorithm {algorithm} is unknown")
    for hash_name in hashes:
        try:
            identifier = AlgorithmIdentifier(_PLAIN_BY_HASH[hash_name], b"")
            ok = key.verify(identifier, plain, challenge)
        except CardError:
            ok = False
        if ok:
            return AuthResult(
                SUCCEEDED, f"ECDSA ({hash_name}) signature over the challenge verifies"
            )
    return AuthResult(FAILED, "ECDSA signature over the challenge does not verify")


def _candidate_hashes(bits: int, algorithm: str | None) -> list[str]:
    """The hash DG14 names; without an ActiveAuthenticationInfo (the chip should have one) the
    hash matching the key size first, then the others."""
    if algorithm:
        if algorithm.startswith(_ECDSA_PLAIN):
            name = {v: k for k, v in _PLAIN_BY_HASH.items()}.get(algorithm)
            return [name] if name else []
        named = _X962_TO_HASH.get(algorithm)
        return [named] if named else []
    by_size = "sha1" if bits <= 160 else "sha224" if bits <= 224 else "sha256" if bits <= 256 else (
        "sha384" if bits <= 384 else "sha512")  # fmt: skip
    return [by_size] + [h for h in _PLAIN_BY_HASH if h != by_size]


def sign_ecdsa_plain(
    key: ec.EllipticCurvePrivateKey, challenge: bytes, hash_name: str = "sha256"
) -> bytes:
    from devices.card.signatures import hash_algorithm

    r, s = decode_dss_signature(key.sign(challenge, ec.ECDSA(hash_algorithm(hash_name))))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")
