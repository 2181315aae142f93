"""AES-256-GCM for personal data at rest (dossier payloads, attachments, drafts).

The 32-byte data key is a constructor argument: the security layer unwraps it with the machine
key (`kiosk.crypto`) and hands it over; tests pass a random one. Every sealed value is bound to
its purpose by the associated data (a dossier's reference, a draft's owner), so a value copied
from one row to another does not open. `lookup_hash` gives a keyed hash of an ID number for
finding a citizen's rows without storing the number.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.services.protocols import ServiceError

VERSION = b"\x01"
NONCE_BYTES = 12


class SealedDataError(ServiceError):
    """A sealed value does not open: wrong key, changed bytes, or sealed for another row."""

    code = "sealed_data_corrupt"


class SealedBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the data key must be 32 bytes (AES-256)")
        self._aead = AESGCM(key)
        self._lookup_key = hmac.new(key, b"kiosk id lookup v1", hashlib.sha256).digest()

    def seal(self, plaintext: bytes, purpose: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, plaintext, purpose.encode("utf-8"))

    def open(self, sealed: bytes, purpose: str) -> bytes:
        if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != VERSION:
            raise SealedDataError("sealed value is truncated or of an unknown version")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, purpose.encode("utf-8"))
        except InvalidTag:
            raise SealedDataError("sealed value changed, or not this row's") from None

    def lookup_hash(self, id_number: str) -> str:
        """Keyed hash of an ID number: equal for the same citizen, useless without the key."""
        return hmac.new(self._lookup_key, id_number.encode("ascii"), hashlib.sha256).hexdigest()
