"""The machine key: what wraps the keyring's keys on this PC.

- `FileMachineKey` (Linux, and any POSIX system): 32 random bytes in a file only its owner may
  read (mode 0600, in a 0700 folder), owned by the user the kiosk runs as. A file that others can
  read is refused rather than used.
  A copy of the disk carries the key: demo only (`kiosk doctor` warns in production).
- `Tpm2MachineKey` (Linux with a TPM 2.0): the same 32 random bytes, sealed to this PC's TPM (see
  `kiosk.crypto.tpm2`); the file beside the data holds only the sealed object, which opens in
  this TPM alone, so a copy of the disk decrypts nothing.
- `DpapiMachineKey` (Windows): no key file at all; the Data Protection API (CryptProtectData with
  CRYPTPROTECT_LOCAL_MACHINE) wraps and unwraps, so the keyring opens only on this machine.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.crypto.errors import KeyringError, MachineKeyError, MachineKeyInsecure, MachineKeyMissing

KEY_BYTES = 32
NONCE_BYTES = 12


class MachineKey(Protocol):
    kind: str

    def wrap(self, key: bytes, label: str) -> bytes:
        """Wrap `key` so only this machine can unwrap it; `label` binds it to its purpose."""

    def unwrap(self, wrapped: bytes, label: str) -> bytes: ...


class _SecretMachineKey:
    """A 32-byte secret that wraps keys with AES-256-GCM (the label is the associated data)."""

    kind = ""

    def __init__(self, secret: bytes, path: Path) -> None:
        if len(secret) != KEY_BYTES:
            raise MachineKeyError(
                f"machine key file {path} does not hold a {KEY_BYTES}-byte key; "
                "restore the key file from the backup"
            )
        self._aead = AESGCM(secret)
        self.path = path

    def wrap(self, key: bytes, label: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, key, label.encode("utf-8"))

    def unwrap(self, wrapped: bytes, label: str) -> bytes:
        try:
            return self._aead.decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], label.encode("utf-8")
            )
        except (InvalidTag, ValueError):
            raise KeyringError(
                f"keyring entry {label!r} does not open with the machine key {self.path}"
            ) from None


class FileMachineKey(_SecretMachineKey):
    kind = "file"

    @classmethod
    def create(cls, path: Path) -> FileMachineKey:
        """Write a new random key to `path` (which must not exist), readable by its owner only."""
        secret = secrets.token_bytes(KEY_BYTES)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, flags, 0o600)
        except OSError as exc:
            raise MachineKeyError(
                f"cannot create machine key file {path}: {exc.strerror}; "
                "set [security] machine_key_file to a place the kiosk's user may write"
            ) from None
        try:
            try:
                if os.write(fd, secret) != KEY_BYTES:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            path.unlink(missing_ok=True)  # a partial key must not be taken for a key later
            raise MachineKeyError(
                f"cannot write machine key file {path}: {exc.strerror}; "
                "set [security] machine_key_file to a writable place with free space"
            ) from None
        return cls(secret, path)

    @classmethod
    def load(cls, path: Path) -> FileMachineKey:
        try:
            info = path.stat()
        except FileNotFoundError:
            raise MachineKeyMissing(f"machine key file {path} is missing") from None
        check_owner_only(path, info)
        if not stat.S_ISREG(info.st_mode):
            raise MachineKeyError(
                f"machine key file {path} is not a file; "
                "point [security] machine_key_file at the key file"
            )
        try:
            secret = path.read_bytes()
        except OSError as exc:
            raise MachineKeyError(
                f"cannot read machine key file {path}: {exc.strerror}; "
                "let the kiosk's user read it (mode 0600)"
            ) from None
        return cls(secret, path)


class Tpm2MachineKey(_SecretMachineKey):
    """The machine key sealed to this PC's TPM 2.0; `path` holds the sealed object only."""

    kind = "tpm2"

    @classmethod
    def create(cls, path: Path) -> Tpm2MachineKey:
        from kiosk.crypto import tpm2
        from kiosk.crypto.keyring import write_atomically

        if path.exists():
            raise MachineKeyError(f"TPM-sealed key {path} exists already; it is never replaced")
        secret = secrets.token_bytes(KEY_BYTES)
        write_atomically(path, tpm2.seal(secret))
        return cls(secret, path)

    @classmethod
    def load(cls, path: Path) -> Tpm2MachineKey:
        from kiosk.crypto import tpm2

        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise MachineKeyMissing(f"TPM-sealed machine key {path} is missing") from None
        return cls(tpm2.unseal(blob), path)


def check_owner_only(path: Path, info: os.stat_result) -> None:
    """Refuse a key file that another user could read or that someone else owns (POSIX)."""
    if os.name != "posix":
        return
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MachineKeyInsecure(
            f"machine key file {path} is accessible to other users "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); run: chmod 600 {path}"
        )
    if info.st_uid != os.geteuid():
        raise MachineKeyInsecure(
            f"machine key file {path} belongs to uid {info.st_uid}, not to this user "
            f"(uid {os.geteuid()})"
        )


class _DataBlob(ctypes.Structure):
    _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.POINTER(ctypes.c_char))]


CRYPTPROTECT_UI_FORBIDDEN = 0x1
CRYPTPROTECT_LOCAL_MACHINE = 0x4


class DpapiMachineKey:
    """Windows DPAPI through ctypes (crypt32.dll); the label is the optional entropy."""

    kind = "dpapi"
    _crypt32: Any
    _kernel32: Any

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise MachineKeyError("machine_key = dpapi works on Windows only; use file here")
        windll: Any = getattr(ctypes, "windll")  # noqa: B009 - absent off Windows (for mypy)
        self._crypt32 = windll.crypt32
        self._kernel32 = windll.kernel32

    @staticmethod
    def _blob(data: bytes) -> tuple[_DataBlob, Any]:
        buffer = ctypes.create_string_buffer(data, len(data))
        return _DataBlob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))), buffer

    def _call(self, function: Any, data: bytes, label: str, flags: int) -> bytes:
        # Both functions take (in, description, entropy, reserved, prompt, flags, out).
        blob_in, keep_in = self._blob(data)
        entropy, keep_entropy = self._blob(label.encode("utf-8"))
        blob_out = _DataBlob()
        ok = function(
            ctypes.byref(blob_in),
            None,
            ctypes.byref(entropy),
            None,
            None,
            flags,
            ctypes.byref(blob_out),
        )
        del keep_in, keep_entropy
        if not ok:
            raise KeyringError(f"DPAPI refused keyring entry {label!r} (not this machine?)")
        try:
            return ctypes.string_at(blob_out.pbData, blob_out.cbData)
        finally:
            self._kernel32.LocalFree(blob_out.pbData)

    def wrap(self, key: bytes, label: str) -> bytes:
        flags = CRYPTPROTECT_UI_FORBIDDEN | CRYPTPROTECT_LOCAL_MACHINE
        return self._call(self._crypt32.CryptProtectData, key, label, flags)

    def unwrap(self, wrapped: bytes, label: str) -> bytes:
        return self._call(
            self._crypt32.CryptUnprotectData, wrapped, label, CRYPTPROTECT_UI_FORBIDDEN
        )
