"""Sealing personal data (AES-256-GCM, envelope per value) and keyed hashes for ID lookups.

A sealed value:
```
"MCK1" | key id (4) | wrapped value key (12 nonce + 32 key + 16 tag) | nonce (12) | ciphertext+tag
```
The value key is fresh for every value and wrapped by the data key named by the key id (AAD:
magic + key id). The value itself is encrypted with AAD = magic + the caller's AAD, so a value
sealed for one dossier does not open as another's. Rotation replaces only the wrapped value key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.config import FleetConfig, SecurityConfig
from kiosk.crypto.errors import SealedDataCorrupt, SealError, UnknownDataKey
from kiosk.crypto.keyring import KEY_ID_BYTES, Keyring, open_keyring, write_atomically
from kiosk.crypto.machine_key import KEY_BYTES, NONCE_BYTES

MAGIC = b"MCK1"
TAG_BYTES = 16
WRAPPED_KEY_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + WRAPPED_KEY_BYTES
OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES


def is_sealed(value: object) -> bool:
    return isinstance(value, bytes | bytearray | memoryview) and bytes(value[:4]) == MAGIC


def key_id_of(blob: bytes) -> bytes:
    return blob[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]


class Sealer:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def __repr__(self) -> str:
        return f"Sealer({self.keyring!r})"

    # --- values ------------------------------------------------------------------------------

    def seal(self, data: bytes, aad: bytes) -> bytes:
        kid = self.keyring.current
        value_key = secrets.token_bytes(KEY_BYTES)
        head = MAGIC + kid
        wrap_nonce = secrets.token_bytes(NONCE_BYTES)
        wrapped = wrap_nonce + AESGCM(self.keyring.current_key).encrypt(wrap_nonce, value_key, head)
        nonce = secrets.token_bytes(NONCE_BYTES)
        return head + wrapped + nonce + AESGCM(value_key).encrypt(nonce, data, MAGIC + aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        value_key = self._value_key(blob)
        body = blob[HEADER_BYTES:]
        try:
            return AESGCM(value_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], MAGIC + aad)
        except (InvalidTag, ValueError):
            raise SealedDataCorrupt("sealed value was changed or belongs elsewhere") from None

    def rewrap(self, blob: bytes) -> bytes:
        """The same value with its value key wrapped by the current data key (for rotation)."""
        if key_id_of(blob) == self.keyring.current:
            return blob
        value_key = self._value_key(blob)
        head = MAGIC + self.keyring.current
        nonce = secrets.token_bytes(NONCE_BYTES)
        wrapped = nonce + AESGCM(self.keyring.current_key).encrypt(nonce, value_key, head)
        return head + wrapped + blob[HEADER_BYTES:]

    def _value_key(self, blob: bytes) -> bytes:
        if len(blob) < OVERHEAD or not blob.startswith(MAGIC):
            raise SealedDataCorrupt("not a sealed value (too short or wrong format)")
        kid = key_id_of(blob)
        data_key = self.keyring.data_keys.get(kid)
        if data_key is None:
            raise UnknownDataKey(f"sealed with data key {kid.hex()}, which this keyring lacks")
        wrapped = blob[len(MAGIC) + KEY_ID_BYTES : HEADER_BYTES]
        try:
            return AESGCM(data_key).decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], MAGIC + kid
            )
        except InvalidTag:
            raise SealedDataCorrupt("the sealed value's key was changed") from None

    # --- files -------------------------------------------------------------------------------

    def seal_file(self, path: Path, data: bytes, aad: bytes) -> None:
        """Write `data` sealed to `path` (atomically; owner-only permissions)."""
        write_atomically(path, self.seal(data, aad))

    def open_file(self, path: Path, aad: bytes) -> bytes:
        return self.open(path.read_bytes(), aad)

    # --- keyed hashes ------------------------------------------------------------------------

    def lookup_hash(self, id_number: str) -> str:
        """Keyed hash of an ID number for `Dossier.id_lookup`: finds a citizen's dossiers without
        storing the number; useless to anyone without this kiosk's keyring. 64 hex digits."""
        normalized = unicodedata.normalize("NFKC", id_number).strip().replace(" ", "")
        return hmac.new(
            self.keyring.lookup_key, b"id-number:" + normalized.encode("utf-8"), hashlib.sha256
        ).hexdigest()

    def anchor_mac(self, message: bytes) -> str:
        """MAC of audit anchors written before the chain was keyed (read, never written now)."""
        key = self.keyring.anchor_key
        return hmac.new(key, b"audit-anchor:" + message, hashlib.sha256).hexdigest()

    def audit_mac(self, message: bytes) -> str:
        """HMAC-SHA-256 of one audit entry's canonical bytes (64 hex digits): an entry appended
        without the keyring does not verify."""
        key = self.keyring.audit_key
        if not key:
            raise SealError("this keyring has no audit key (open it with open_keyring)")
        return hmac.new(key, b"audit-entry:" + message, hashlib.sha256).hexdigest()

    def anchor_signing_key(self) -> Ed25519PrivateKey:
        """The audit anchor's signing key (Ed25519): not the data key, and its public half lets
        someone off the machine check an exported anchor without being able to forge one."""
        seed = self.keyring.anchor_signing_key
        if not seed:
            raise SealError("this keyring has no anchor signing key (open it with open_keyring)")
        return Ed25519PrivateKey.from_private_bytes(seed)


def keyring_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys" / "keyring.json"


def machine_key_path(security: SecurityConfig, data_dir: Path) -> Path:
    """`[security] machine_key_file`, or when it is empty `<data_dir>/keys/machine.key` (the key
    itself, `file`) or `<data_dir>/keys/machine.tpm2` (the TPM-sealed object, `tpm2`)."""
    if security.machine_key_file:
        return Path(security.machine_key_file).expanduser()
    name = "machine.tpm2" if security.machine_key == "tpm2" else "machine.key"
    return Path(data_dir) / "keys" / name


def open_sealer(
    security: SecurityConfig, data_dir: Path, fleet: FleetConfig | None = None
) -> Sealer:
    """The kiosk's Sealer for `[security]` and the data folder (creates the keys on a fresh
    kiosk; custody `fleet` asks `fleet` for its key and creates nothing: `kiosk keys init`)."""
    if security.machine_key == "fleet":
        from kiosk.crypto.fleet_custody import open_fleet_keyring

        return Sealer(open_fleet_keyring(fleet or FleetConfig(), keyring_path(data_dir)))
    key_file = machine_key_path(security, data_dir)
    return Sealer(open_keyring(security.machine_key, key_file, keyring_path(data_dir)))


def attachment_dir(data_dir: Path) -> Path:
    """Where sealed attachment files live (`Attachment.path` is relative to it)."""
    return Path(data_dir) / "attachments"
