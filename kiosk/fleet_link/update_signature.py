"""The fleet's signature on a catalogue or trust update (docs/fleet_link.md §3).

Ed25519 over `b"kiosk-fleet-update-v1\n" + kind + b"\n" + sha256 + b"\n" + payload`, by the key
whose raw 32 bytes hash (SHA-256, hex) to `key_id`. The kiosk trusts one pinned key only.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.fleet_link.errors import UpdateRefused

DOMAIN = b"kiosk-fleet-update-v1\n"
KINDS = ("catalogue", "trust")


def signed_bytes(kind: str, sha256: str, payload: bytes) -> bytes:
    return DOMAIN + kind.encode("ascii") + b"\n" + sha256.encode("ascii") + b"\n" + payload


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()


def verify_update(
    kind: str, sha256: str, payload: bytes, signature: bytes, key_id_hex: str, public_key: bytes
) -> None:
    """Return quietly when `payload` is the `kind` update `sha256` signed by `public_key` (the
    pinned key, raw 32 bytes); else raise `UpdateRefused` saying which check failed."""
    if kind not in KINDS:
        raise UpdateRefused(f"unknown update kind {kind!r}")
    if not hmac.compare_digest(key_id(public_key), key_id_hex.lower()):
        raise UpdateRefused(f"signed by key {key_id_hex[:16]}…, not by the pinned update key")
    actual = hashlib.sha256(payload).hexdigest()
    if not hmac.compare_digest(actual, sha256.lower()):
        raise UpdateRefused(f"payload hash {actual[:16]}… is not the announced {sha256[:16]}…")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, signed_bytes(kind, sha256.lower(), payload)
        )
    except (InvalidSignature, ValueError):
        raise UpdateRefused("the update's signature does not verify") from None
