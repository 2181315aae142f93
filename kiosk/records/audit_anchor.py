"""The audit anchor: the newest audit entry (id and hash), kept outside the database in a small
MAC-protected file, so removing entries from the end of the log — or rewriting the whole chain —
is detected by `kiosk audit verify`.

The MAC key lives in the keyring (wrapped by the machine key): whoever edits the database and
the anchor file without the machine key cannot make them agree again. Deleting the anchor file
while the log has entries is reported too. Not covered: deleting the database *and* the anchor
together (a fresh kiosk looks the same); sending the anchor to the portal would close that.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from pathlib import Path

from kiosk.crypto import Sealer
from kiosk.crypto.keyring import write_atomically
from kiosk.records.audit import AuditLog
from kiosk.store import Store

Mac = Callable[[bytes], str]


class AnchorInvalid(Exception):
    """The anchor file was edited or does not belong to this kiosk's keys."""


class AuditAnchor:
    def __init__(self, path: Path, mac: Mac) -> None:
        self.path = path
        self.mac = mac

    def record(self, entry_id: int, entry_hash: str) -> None:
        body = {"id": entry_id, "hash": entry_hash}
        message = json.dumps(body, sort_keys=True).encode("utf-8")
        document = {**body, "mac": self.mac(message)}
        write_atomically(self.path, json.dumps(document).encode("utf-8"), mode=0o600)

    def read(self) -> tuple[int, str] | None:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            entry_id, entry_hash = int(document["id"]), str(document["hash"])
            mac = str(document["mac"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            raise AnchorInvalid(f"audit anchor {self.path} is malformed") from None
        body = {"id": entry_id, "hash": entry_hash}
        message = json.dumps(body, sort_keys=True).encode("utf-8")
        if not hmac.compare_digest(self.mac(message), mac):
            raise AnchorInvalid(f"audit anchor {self.path} was changed (MAC does not match)")
        return entry_id, entry_hash


def anchor_path(data_dir: Path) -> Path:
    return Path(data_dir) / "audit.anchor"


def open_audit_log(data_dir: Path, store: Store, sealer: Sealer) -> AuditLog:
    """The kiosk's audit log with its anchor in the data folder, MAC'd with the sealer's key (use
    this wherever an AuditLog is made)."""
    return AuditLog(store, AuditAnchor(anchor_path(data_dir), sealer.anchor_mac))
