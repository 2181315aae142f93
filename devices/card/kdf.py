"""Key derivation of ICAO 9303-11 §9.7: the BAC key seed from the MRZ information and the KDF that
turns a shared secret into 3DES or AES keys."""

from __future__ import annotations

import hashlib

from devices.card.errors import InvalidAccessKey

ENC = 1
MAC = 2
PACE_PASSWORD = 3

_KEY_LENGTHS = {"3DES": 16, "AES128": 16, "AES192": 24, "AES256": 32}


def compute_key_seed(mrz_information: str) -> bytes:
    """K_seed = the 16 most significant bytes of SHA-1(MRZ information) (§9.7.2).

    MRZ information is document number + check digit + date of birth + check digit + date of
    expiry + check digit, as ASCII (e.g. `L898902C<369080619406236`).
    """
    if not mrz_information or not mrz_information.isascii():
        raise InvalidAccessKey("MRZ information must be non-empty ASCII")
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def derive_key(key_seed: bytes, counter: int, cipher: str = "3DES") -> bytes:
    """KDF(K, c) of §9.7.1: hash(K || c as 32-bit big-endian), cut to the cipher's key.

    "3DES" gives a 16-byte two-key 3DES key with DES parity bits adjusted; "AES128" uses SHA-1,
    "AES192" and "AES256" use SHA-256.
    """
    if cipher not in _KEY_LENGTHS:
        raise InvalidAccessKey(f"unknown cipher {cipher!r} (3DES, AES128, AES192, AES256)")
    data = key_seed + counter.to_bytes(4, "big")
    if cipher in ("3DES", "AES128"):
        digest = hashlib.sha1(data).digest()
    else:
        digest = hashlib.sha256(data).digest()
    key = digest[: _KEY_LENGTHS[cipher]]
    return adjust_parity(key) if cipher == "3DES" else key


def adjust_parity(key: bytes) -> bytes:
    """Set each byte's least significant bit so the byte has odd parity (DES keys)."""
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) & 1) for b in key)
