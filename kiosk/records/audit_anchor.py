"""The audit anchor: the newest audit entry (id and hash) and where the chain became keyed, kept
outside the database in a small signed file, so removing entries from the end of the log — or
rewriting the whole chain — is detected by `kiosk audit verify`.

The anchor is signed with the keyring's Ed25519 anchor key (not the data key, not the chain's
HMAC key): whoever edits the database and the anchor file without the keyring cannot make them
agree again, and the public half lets someone off the machine check an exported anchor without
being able to forge one. `export_anchor` gives the signed anchor as JSON bytes to keep elsewhere
(shipping it to the fleet service is not built yet); `kiosk audit verify --anchor FILE` checks the
log against such copies, which also catches a rewrite made with this kiosk's own keys.

Anchors written before the chain was keyed carry an HMAC instead of a signature; they are still
read (with the keyring's old anchor key) until the next entry replaces them. Deleting the anchor
file while the log has entries is reported. Not covered locally: deleting the database *and* the
anchor together (a fresh kiosk looks the same); exported anchors close that.
"""

from __future__ import annotations

import base64
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.crypto import Sealer
from kiosk.crypto.keyring import write_atomically
from kiosk.records.audit import Anchored, AuditLog, Mac
from kiosk.store import Store

FORMAT = 2
SIGNED_PREFIX = b"mot-cua-kiosk audit anchor v2\n"


class AnchorInvalid(Exception):
    """The anchor file was edited or does not belong to this kiosk's keys."""

    code = "audit_anchor_invalid"


class AuditAnchor:
    def __init__(
        self, path: Path, signing_key: Ed25519PrivateKey, legacy_mac: Mac | None = None
    ) -> None:
        self.path = path
        self.signing_key = signing_key
        self.legacy_mac = legacy_mac

    @property
    def public_key(self) -> str:
        """This kiosk's anchor public key (raw Ed25519, base64): what a verifier trusts."""
        return public_key_text(self.signing_key.public_key())

    def record(self, entry_id: int, entry_hash: str, keyed_from: int | None = None) -> None:
        body = {
            "id": entry_id,
            "hash": entry_hash,
            "keyed_from": keyed_from,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "kiosk_key": self.public_key,
        }
        signature = self.signing_key.sign(_signed_bytes(body))
        document = {"format": FORMAT, "body": body, "signature": _b64(signature)}
        write_atomically(self.path, json.dumps(document, indent=1).encode("utf-8"), mode=0o600)

    def read(self) -> Anchored | None:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            raise AnchorInvalid(f"audit anchor {self.path} is malformed") from None
        if isinstance(document, dict) and "mac" in document:
            return self._read_legacy(document)
        return verify_anchor(document, self.public_key, str(self.path))

    def export(self) -> bytes | None:
        """The signed anchor as JSON bytes, to keep off the machine; None before the first
        signed anchor (a kiosk whose log has not been written to since the upgrade)."""
        anchored = self.read()  # refuses an edited or foreign anchor
        if anchored is None or (anchored.keyed_from is None and self._is_legacy()):
            return None
        document = json.loads(self.path.read_text(encoding="utf-8"))
        return json.dumps(document, sort_keys=True).encode("utf-8")

    def _is_legacy(self) -> bool:
        return "mac" in json.loads(self.path.read_text(encoding="utf-8"))

    def _read_legacy(self, document: dict[str, Any]) -> Anchored:
        try:
            entry_id, entry_hash = int(document["id"]), str(document["hash"])
            mac = str(document["mac"])
        except (ValueError, KeyError, TypeError):
            raise AnchorInvalid(f"audit anchor {self.path} is malformed") from None
        message = json.dumps({"id": entry_id, "hash": entry_hash}, sort_keys=True).encode("utf-8")
        if self.legacy_mac is None or not hmac.compare_digest(self.legacy_mac(message), mac):
            raise AnchorInvalid(f"audit anchor {self.path} was changed (MAC does not match)")
        return Anchored(entry_id, entry_hash)


def verify_anchor(document: Any, public_key: str, where: str = "anchor") -> Anchored:
    """The anchor in a signed anchor document, checked against `public_key` (base64 raw
    Ed25519); usable off the kiosk, with the public key only."""
    try:
        if document["format"] != FORMAT:
            raise AnchorInvalid(f"audit anchor {where} has unknown format {document['format']!r}")
        body = document["body"]
        signature = base64.b64decode(document["signature"], validate=True)
        keyed_from = body["keyed_from"]
        anchored = Anchored(
            int(body["id"]), str(body["hash"]), None if keyed_from is None else int(keyed_from)
        )
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
    except (ValueError, KeyError, TypeError):
        raise AnchorInvalid(f"audit anchor {where} is malformed") from None
    if body.get("kiosk_key") != public_key:
        raise AnchorInvalid(f"audit anchor {where} was signed by another kiosk's key")
    try:
        key.verify(signature, _signed_bytes(body))
    except InvalidSignature:
        raise AnchorInvalid(
            f"audit anchor {where} was changed (signature does not match)"
        ) from None
    return anchored


def read_exported_anchor(data: bytes, public_key: str, where: str) -> Anchored:
    try:
        document = json.loads(data)
    except ValueError:
        raise AnchorInvalid(f"exported anchor {where} is not JSON") from None
    return verify_anchor(document, public_key, where)


def public_key_text(key: Ed25519PublicKey) -> str:
    return _b64(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def _signed_bytes(body: dict[str, Any]) -> bytes:
    return SIGNED_PREFIX + json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def anchor_path(data_dir: Path) -> Path:
    return Path(data_dir) / "audit.anchor"


def open_anchor(data_dir: Path, sealer: Sealer) -> AuditAnchor:
    return AuditAnchor(anchor_path(data_dir), sealer.anchor_signing_key(), sealer.anchor_mac)


def open_audit_log(data_dir: Path, store: Store, sealer: Sealer) -> AuditLog:
    """The kiosk's keyed audit log with its signed anchor in the data folder (use this wherever
    an AuditLog is made)."""
    return AuditLog(store, open_anchor(data_dir, sealer), sealer.audit_mac)


def export_anchor(data_dir: Path, sealer: Sealer) -> bytes | None:
    """The newest signed anchor as JSON bytes (for the fleet service, once it exists)."""
    return open_anchor(data_dir, sealer).export()
