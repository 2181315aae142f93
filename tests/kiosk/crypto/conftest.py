from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.sealer import Sealer


@pytest.fixture
def key_paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "secret" / "machine.key", tmp_path / "data" / "keys" / "keyring.json"


@pytest.fixture
def sealer(key_paths: tuple[Path, Path]) -> Sealer:
    return Sealer(open_keyring("file", *key_paths))


# --- a real software TPM 2.0 (swtpm) for the tpm2 custody ------------------------------------

SWTPM_TOOLS = ("swtpm", "tpm2_createprimary", "tpm2_create", "tpm2_load", "tpm2_unseal")


class SoftwareTpm:
    """`swtpm socket --tpm2` on two free local ports, its state in its own folder."""

    def __init__(self, state: Path) -> None:
        state.mkdir(parents=True, exist_ok=True)
        self.state = state
        self.port = _free_port_pair()
        self.process = subprocess.Popen(
            [
                "swtpm", "socket", "--tpm2",
                "--server", f"type=tcp,port={self.port}",
                "--ctrl", f"type=tcp,port={self.port + 1}",
                "--flags", "not-need-init,startup-clear",
                "--tpmstate", f"dir={state}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"swtpm ended: {self.process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("swtpm did not start listening within 10 s")

    @property
    def tcti(self) -> str:
        return f"swtpm:port={self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port < 65535:
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return int(port)
    raise RuntimeError("no two adjacent free ports")


def require_tpm_tools() -> None:
    missing = [tool for tool in SWTPM_TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"software TPM tests need swtpm and tpm2-tools ({', '.join(missing)} missing)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI runs scripts/setup.sh, which installs them")
    pytest.skip(f"{reason}: run scripts/setup.sh")


@pytest.fixture
def software_tpm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoftwareTpm]:
    """A fresh software TPM that the tpm2 tools talk to (TPM2TOOLS_TCTI)."""
    require_tpm_tools()
    tpm = SoftwareTpm(tmp_path / "swtpm-state")
    monkeypatch.setenv("TPM2TOOLS_TCTI", tpm.tcti)
    yield tpm
    tpm.stop()
