"""The keyring: data keys (current and not yet retired), the lookup key, the audit keys (the
chain's HMAC key, the anchor's Ed25519 signing key, and the older anchor MAC key that still reads
anchors written before the chain was keyed), each wrapped by the machine key, in one JSON file
written atomically.

```
{"format": 1, "machine_key": "tpm2", "current": "9f3a01c2",
 "data_keys": {"9f3a01c2": "<base64 wrapped>"}, "lookup_key": "...", "anchor_key": "...",
 "audit_key": "...", "anchor_signing_key": "..."}
```
A keyring written before the audit keys existed gets them when the kiosk next opens it.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.crypto.errors import KeyringError, MachineKeyMissing
from kiosk.crypto.machine_key import (
    KEY_BYTES,
    DpapiMachineKey,
    FileMachineKey,
    MachineKey,
    Tpm2MachineKey,
)

FORMAT = 1
KEY_ID_BYTES = 4


@dataclass
class Keyring:
    machine_key: MachineKey
    path: Path
    current: bytes  # key id of the data key that seals new values
    data_keys: dict[bytes, bytes] = field(repr=False)
    lookup_key: bytes = field(repr=False, default=b"")
    anchor_key: bytes = field(repr=False, default=b"")  # MAC of anchors written before keying
    audit_key: bytes = field(repr=False, default=b"")  # HMAC of each audit entry
    anchor_signing_key: bytes = field(repr=False, default=b"")  # Ed25519 seed for the anchor

    def __repr__(self) -> str:  # never show key material
        return f"Keyring({self.path}, current={self.current.hex()}, keys={len(self.data_keys)})"

    @property
    def current_key(self) -> bytes:
        return self.data_keys[self.current]

    @classmethod
    def create(cls, machine_key: MachineKey, path: Path) -> Keyring:
        kid = secrets.token_bytes(KEY_ID_BYTES)
        ring = cls(
            machine_key,
            path,
            kid,
            {kid: secrets.token_bytes(KEY_BYTES)},
            secrets.token_bytes(KEY_BYTES),
            secrets.token_bytes(KEY_BYTES),
            secrets.token_bytes(KEY_BYTES),
            secrets.token_bytes(KEY_BYTES),
        )
        ring.save()
        return ring

    def add_missing_audit_keys(self) -> bool:
        """Give a keyring from before the keyed audit chain its audit keys; True if it changed."""
        if self.audit_key and self.anchor_signing_key:
            return False
        self.audit_key = self.audit_key or secrets.token_bytes(KEY_BYTES)
        self.anchor_signing_key = self.anchor_signing_key or secrets.token_bytes(KEY_BYTES)
        self.save()
        return True

    def rewrap_with(self, machine_key: MachineKey) -> None:
        """Wrap every key with another machine key (moving the keyring to another custody)."""
        self.machine_key = machine_key
        self.save()

    @classmethod
    def load(cls, machine_key: MachineKey, path: Path) -> Keyring:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("format") != FORMAT:
                raise KeyringError(f"keyring {path} has unknown format {document.get('format')!r}")
            if document.get("machine_key") != machine_key.kind:
                raise KeyringError(
                    f"keyring {path} is wrapped by machine key {document.get('machine_key')!r}, "
                    f"but the configuration says {machine_key.kind!r}"
                )
            current = bytes.fromhex(document["current"])
            data_keys = {
                bytes.fromhex(kid): machine_key.unwrap(_b64(wrapped), f"data:{kid}")
                for kid, wrapped in document["data_keys"].items()
            }
            lookup = machine_key.unwrap(_b64(document["lookup_key"]), "lookup")
            anchor = machine_key.unwrap(_b64(document["anchor_key"]), "anchor")
            optional = {
                name: machine_key.unwrap(_b64(document[name]), name)
                for name in ("audit_key", "anchor_signing_key")
                if document.get(name)
            }
        except FileNotFoundError:
            raise KeyringError(f"keyring {path} is missing") from None
        except OSError as exc:
            raise KeyringError(
                f"cannot read keyring {path}: {exc.strerror}; let the kiosk's user read it"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyringError(f"keyring {path} is malformed ({type(exc).__name__})") from None
        if current not in data_keys:
            raise KeyringError(f"keyring {path} names a current key it does not hold")
        return cls(machine_key, path, current, data_keys, lookup, anchor, **optional)

    def save(self) -> None:
        mk = self.machine_key
        document = {
            "format": FORMAT,
            "machine_key": mk.kind,
            "current": self.current.hex(),
            "data_keys": {
                kid.hex(): _text(mk.wrap(key, f"data:{kid.hex()}"))
                for kid, key in self.data_keys.items()
            },
            "lookup_key": _text(mk.wrap(self.lookup_key, "lookup")),
            "anchor_key": _text(mk.wrap(self.anchor_key, "anchor")),
        }
        for name in ("audit_key", "anchor_signing_key"):
            key = getattr(self, name)
            if key:
                document[name] = _text(mk.wrap(key, name))
        write_atomically(self.path, json.dumps(document, indent=1).encode("utf-8"))

    def add_data_key(self) -> bytes:
        """A new data key becomes current; older ones stay until `retire_others`."""
        kid = secrets.token_bytes(KEY_ID_BYTES)
        while kid in self.data_keys:
            kid = secrets.token_bytes(KEY_ID_BYTES)
        self.data_keys[kid] = secrets.token_bytes(KEY_BYTES)
        self.current = kid
        self.save()
        return kid

    def retire_others(self) -> list[bytes]:
        retired = [kid for kid in self.data_keys if kid != self.current]
        for kid in retired:
            del self.data_keys[kid]
        self.save()
        return retired


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write to a temporary file next to `path`, fsync, then rename over it (a failed write
    leaves the old file and no temporary behind)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        try:
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(temporary))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def machine_key_for(kind: str, key_file: Path, create: bool) -> MachineKey:
    """The machine key of custody `kind`; `key_file` is the key itself (`file`) or the sealed
    object (`tpm2`), unused by `dpapi`."""
    if kind == "dpapi":
        return DpapiMachineKey()
    kinds: dict[str, type[FileMachineKey] | type[Tpm2MachineKey]] = {
        "file": FileMachineKey,
        "tpm2": Tpm2MachineKey,
    }
    if kind not in kinds:
        raise KeyringError(f"unknown machine key custody {kind!r} (file, tpm2 or dpapi)")
    if not key_file.exists() and create:
        return kinds[kind].create(key_file)
    return kinds[kind].load(key_file)


def open_keyring(kind: str, key_file: Path, keyring_file: Path) -> Keyring:
    """Open the keyring; on a fresh kiosk (neither key file nor keyring) create both.

    A keyring without its machine key is an error, never a reason to start over: the data it
    protects would be lost without anyone deciding so.
    """
    if keyring_file.exists():
        if kind != "dpapi" and not key_file.exists():
            raise MachineKeyMissing(
                f"machine key file {key_file} is missing but keyring {keyring_file} exists: "
                "restore the key file (sealed data cannot be opened without it)"
            )
        ring = Keyring.load(machine_key_for(kind, key_file, create=False), keyring_file)
        ring.add_missing_audit_keys()
        return ring
    return Keyring.create(machine_key_for(kind, key_file, create=True), keyring_file)


def _b64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
