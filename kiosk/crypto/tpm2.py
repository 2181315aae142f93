"""Sealing a secret to this PC's TPM 2.0 with `tpm2-tools` (Linux).

The secret becomes a TPM sealed-data object under the owner hierarchy's primary key (ECC P-256,
SHA-256, the default template, so the TPM re-derives the same primary from its seed each time and
nothing about it is stored). What lands on disk is the object's public and private parts; the
private part is encrypted by the primary key, which never leaves the TPM, so the file is useless
on another machine or without this TPM. The secret goes to `tpm2_create` on standard input and
comes back from `tpm2_unseal` on standard output: it is never written to disk.

Which TPM: the tools' own choice (`/dev/tpmrm0`, …) unless `TPM2TOOLS_TCTI` names one (the tests
point it at a software TPM, `swtpm:port=P`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from kiosk.crypto.errors import Tpm2Error

TOOLS = ("tpm2_createprimary", "tpm2_create", "tpm2_load", "tpm2_unseal", "tpm2_flushcontext")
TIMEOUT_S = 30.0
BLOB_FORMAT = 1
PRIMARY = ["-C", "o", "-g", "sha256", "-G", "ecc"]


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def seal(secret: bytes) -> bytes:
    """The sealed object for `secret`, as a small JSON document to keep in a file."""
    with _workspace() as work:
        _run(["tpm2_createprimary", "-Q", *PRIMARY, "-c", str(work / "primary.ctx")])
        _run(
            [
                "tpm2_create", "-Q", "-C", str(work / "primary.ctx"), "-i", "-",
                "-u", str(work / "sealed.pub"), "-r", str(work / "sealed.priv"),
            ],
            stdin=secret,
        )  # fmt: skip
        document = {
            "format": BLOB_FORMAT,
            "primary": "owner/ecc/sha256",
            "public": _b64(work / "sealed.pub"),
            "private": _b64(work / "sealed.priv"),
        }
    return json.dumps(document, indent=1).encode("utf-8")


def unseal(blob: bytes) -> bytes:
    """The secret inside a sealed object made by `seal` on this TPM."""
    try:
        document = json.loads(blob)
        if document.get("format") != BLOB_FORMAT:
            raise Tpm2Error(f"unknown sealed-key format {document.get('format')!r}")
        public = base64.b64decode(document["public"], validate=True)
        private = base64.b64decode(document["private"], validate=True)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Tpm2Error("the TPM-sealed key file is malformed") from None
    with _workspace() as work:
        (work / "sealed.pub").write_bytes(public)
        (work / "sealed.priv").write_bytes(private)
        _run(["tpm2_createprimary", "-Q", *PRIMARY, "-c", str(work / "primary.ctx")])
        _run(
            [
                "tpm2_load", "-Q", "-C", str(work / "primary.ctx"),
                "-u", str(work / "sealed.pub"), "-r", str(work / "sealed.priv"),
                "-c", str(work / "sealed.ctx"),
            ]
        )  # fmt: skip
        return _run(["tpm2_unseal", "-c", str(work / "sealed.ctx")])


class _workspace:  # noqa: N801 - used as a context manager like tempfile's
    """A private temporary folder for the tools' context files (never the secret)."""

    def __enter__(self) -> Path:
        self._dir = tempfile.TemporaryDirectory(prefix="kiosk-tpm2-")
        return Path(self._dir.name)

    def __exit__(self, *_: object) -> None:
        self._dir.cleanup()


def _run(command: list[str], stdin: bytes | None = None) -> bytes:
    missing = missing_tools()
    if missing:
        raise Tpm2Error(
            f"machine_key = tpm2 needs tpm2-tools ({', '.join(missing)} not found): "
            "apt install tpm2-tools"
        )
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise Tpm2Error(f"the TPM did not answer {command[0]} within {TIMEOUT_S:.0f} s") from None
    _flush_transient()
    if done.returncode != 0:
        raise Tpm2Error(f"the TPM refused {command[0]}: {_last_error(done.stderr)}")
    return done.stdout


def _flush_transient() -> None:
    """Without a resource manager (a bare /dev/tpm0 or a software TPM) every tool leaves its
    objects loaded, and the next one reloads them from the context files: free the TPM's few
    slots after each step, best effort."""
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(
            ["tpm2_flushcontext", "-t"], capture_output=True, timeout=TIMEOUT_S, check=False
        )


def _last_error(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    useful = (
        [line for line in lines if line.startswith("ERROR: ")]
        or [line for line in lines if line.startswith("ERROR")]
        or [line for line in lines if line]
    )
    return (useful[0] if useful else "no reason given")[:200]


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")
