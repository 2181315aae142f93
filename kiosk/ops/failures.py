"""One line for a failure of the kiosk's surroundings: storage, files, keys, network.

`describe_failure` says what failed, where, and what to do, without a traceback; it answers None
for anything else (a bug, which should stay loud). The `kiosk` command and `kiosk doctor` share it.
"""

from __future__ import annotations

import errno

from kiosk.crypto.errors import CryptoError
from kiosk.portal.errors import PortalError
from kiosk.store.db import StoreError

_REMEDY_BY_ERRNO = {
    errno.ENOSPC: "free disk space on that drive",
    errno.EFBIG: "free disk space on that drive (a file may not grow any more)",
    errno.EDQUOT: "free disk space or raise the kiosk user's disk quota",
    errno.EACCES: "let the kiosk's user write there, or choose another folder in kiosk.toml",
    errno.EPERM: "let the kiosk's user write there, or choose another folder in kiosk.toml",
    errno.EROFS: "the drive is read-only: remount it writable or choose another folder",
    errno.ENOTDIR: "a file stands where a folder is expected: move it or fix the path in "
    "kiosk.toml ([storage] data_dir)",
    errno.EEXIST: "a file stands where a folder is expected: move it or fix the path in "
    "kiosk.toml ([storage] data_dir)",
    errno.EISDIR: "a folder stands where a file is expected: fix the path",
    errno.ENOENT: "check that the path exists",
    errno.EIO: "the disk is failing: check it and restore from the backup",
}

_KEY_REMEDY = "restore the keys folder from the backup; kiosk doctor checks the keys"


def _file_failure(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or type(exc).__name__
    remedy = _REMEDY_BY_ERRNO.get(exc.errno or 0, "check the disk and the paths in kiosk.toml")
    return f"file access failed ({where}): {reason}; {remedy}"


def _database_failure(exc: BaseException) -> str | None:
    """A database error raised outside an engine the store made (its `handle_error` hook types
    the rest), when SQLAlchemy is loaded at all."""
    import sys

    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return None  # constraint violations and SQL mistakes are bugs: stay loud
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (
        f"database failed: {reason[0] if reason else type(exc).__name__}; check the disk and "
        "[storage] database_url (kiosk doctor checks the store)"
    )


def describe_failure(exc: BaseException) -> str | None:
    """The one-line message for a storage, I/O, key or network failure, else None."""
    if isinstance(exc, StoreError):
        return f"database: {exc}"
    if isinstance(exc, CryptoError):
        text = str(exc)
        return f"keys: {text}" if ";" in text else f"keys: {text}; {_KEY_REMEDY}"
    if isinstance(exc, PortalError):
        return (
            f"portal: {exc.staff_text}; dossiers wait in the outbox: check the network and "
            "[portal] in kiosk.toml"
        )
    if isinstance(exc, OSError):
        return _file_failure(exc)
    return _database_failure(exc)
