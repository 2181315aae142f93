"""Signed fleet updates (procedure catalogue, CSCA trust list): the one format both ends share.

The fleet service signs, the kiosk verifies (docs/fleet.md §4). The signature is Ed25519 over
`b"kiosk-fleet-update-v1\\n" + kind + b"\\n" + sha256 + b"\\n" + payload`, so a signature can never
be moved to another kind or another payload; `key_id` is the hex SHA-256 of the raw public key.
The kiosk pins the fleet's public key and refuses anything else, whatever the document says.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DOMAIN = b"kiosk-fleet-update-v1\n"
KINDS = ("catalogue", "trust")


class UpdateRefused(Exception):
    """A fleet update whose signature, key, kind or digest does not verify; nothing is applied."""

    code = "fleet_update_refused"


@dataclass(frozen=True)
class VerifiedUpdate:
    kind: str
    sha256: str
    payload: bytes
    key_id: str
    signed_at: str


def signed_bytes(kind: str, sha256: str, payload: bytes) -> bytes:
    return DOMAIN + kind.encode("ascii") + b"\n" + sha256.encode("ascii") + b"\n" + payload


def public_key_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    return raw_key_id(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def raw_key_id(raw: bytes) -> str:
    """The key id of a raw 32-byte public key (as pinned in `[fleet] update_key`)."""
    return hashlib.sha256(raw).hexdigest()


def sign_update(
    key: Ed25519PrivateKey, kind: str, payload: bytes, signed_at: datetime | None = None
) -> dict[str, str]:
    """The update document (`GET /api/v1/updates/<kind>/<sha256>`) for `payload`."""
    if kind not in KINDS:
        raise ValueError(f"unknown update kind {kind!r}")
    digest = hashlib.sha256(payload).hexdigest()
    moment = (signed_at or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "kind": kind,
        "sha256": digest,
        "payload_b64": base64.b64encode(payload).decode("ascii"),
        "signed_at": moment,
        "key_id": key_id(key.public_key()),
        "signature_b64": base64.b64encode(key.sign(signed_bytes(kind, digest, payload))).decode(
            "ascii"
        ),
    }


def verify_update(
    document: Mapping[str, Any], pinned_key_b64: str, expected_kind: str | None = None
) -> VerifiedUpdate:
    """The payload of `document` when it is signed by the pinned key (base64 raw Ed25519) and
    its digest and kind match; raises `UpdateRefused` (a one-line reason, no payload) otherwise."""
    try:
        kind = str(document["kind"])
        digest = str(document["sha256"]).lower()
        payload = base64.b64decode(str(document["payload_b64"]), validate=True)
        signature = base64.b64decode(str(document["signature_b64"]), validate=True)
        claimed_key_id = str(document.get("key_id", ""))
        signed_at = str(document.get("signed_at", ""))
    except (KeyError, TypeError, binascii.Error, ValueError):
        raise UpdateRefused("the update document is malformed") from None
    if kind not in KINDS or (expected_kind is not None and kind != expected_kind):
        raise UpdateRefused(f"the update is of kind {kind!r}, not {expected_kind or KINDS!r}")
    try:
        pinned = Ed25519PublicKey.from_public_bytes(base64.b64decode(pinned_key_b64, validate=True))
    except (binascii.Error, ValueError):
        raise UpdateRefused("the pinned fleet update key is not a base64 Ed25519 key") from None
    if claimed_key_id and not hmac.compare_digest(claimed_key_id, key_id(pinned)):
        raise UpdateRefused("the update is signed with another key than the pinned update key")
    if not hmac.compare_digest(hashlib.sha256(payload).hexdigest(), digest):
        raise UpdateRefused("the update's payload does not match its sha256")
    try:
        pinned.verify(signature, signed_bytes(kind, digest, payload))
    except InvalidSignature:
        raise UpdateRefused("the update's signature does not verify with the fleet key") from None
    return VerifiedUpdate(kind, digest, payload, key_id(pinned), signed_at)
