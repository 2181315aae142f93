"""The card side of vsmartcard's vpcd: a TCP client that serves a `CardTransport` (the simulated
chip) to pcscd, so the PC/SC transport is tested through the real PC/SC daemon.

vpcd protocol (vsmartcard documentation, "Creating a virtual smart card"): every message is a
2-byte big-endian length and a payload. From vpcd, a 1-byte payload is a control byte: 00 power
off, 01 power on, 02 reset, 04 get ATR (the only one answered, with the ATR); anything longer is a
command APDU, answered with the response APDU.

pcsc-lite is also managed here: `start_pcscd` runs a private pcscd whose only reader is vpcd.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from devices.card.errors import CardNotPresent, CardRemoved
from devices.card.transports.base import CardTransport

VPCD_PORT = 0x8C7B  # 35963: vsmartcard's default, as in Debian's /etc/reader.conf.d/vpcd
VPCD_READER = "Virtual PCD 00 00"  # FRIENDLYNAME + slot of the first vpcd slot
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0x00, 0x01, 0x02, 0x04


def contactless_atr(historical: bytes = b"") -> bytes:
    """The ATR a PC/SC reader builds for an ISO/IEC 14443-4 card (PC/SC part 3 §3.1.3.2.3):
    3B 8n 80 01, the historical bytes, TCK."""
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = 0
    for byte in body:
        tck ^= byte
    return b"\x3b" + body + bytes([tck])


class _CardGone(Exception):
    pass


class VirtualCard:
    """`insert()` puts the card on the vpcd reader, `remove()` takes it away.

    When the chip side raises `CardRemoved` (a slip), the card leaves, and comes back after
    `return_after_s`.
    """

    def __init__(
        self,
        card: CardTransport,
        *,
        port: int = VPCD_PORT,
        atr: bytes = contactless_atr(),
        return_after_s: float = 0.3,
    ) -> None:
        self.card = card
        self.port = port
        self.atr = atr
        self.return_after_s = return_after_s
        self.apdus: list[bytes] = []
        self.controls: list[int] = []
        self._stop = threading.Event()
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def insert(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        self._stop.set()
        sock = self._socket
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=1.0)
            except OSError:
                time.sleep(0.05)  # vpcd not listening yet
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._socket = sock
            try:
                self._serve(sock)
            except (_CardGone, OSError, EOFError):
                pass
            finally:
                self._socket = None
                sock.close()
            if not self._stop.wait(self.return_after_s):
                continue  # the card comes back

    def _serve(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            (length,) = struct.unpack(">H", _recv_exact(sock, 2))
            message = _recv_exact(sock, length)
            if length == 1:
                self._control(sock, message[0])
                continue
            self.apdus.append(message)
            try:
                response = self.card.transmit(message)
            except CardRemoved:
                raise _CardGone() from None
            sock.sendall(struct.pack(">H", len(response)) + response)

    def _control(self, sock: socket.socket, control: int) -> None:
        self.controls.append(control)
        if control == CTRL_ATR:
            sock.sendall(struct.pack(">H", len(self.atr)) + self.atr)
        elif control in (CTRL_ON, CTRL_RESET):
            try:
                self.card.connect()
            except CardNotPresent:
                raise _CardGone() from None
        elif control == CTRL_OFF:
            self.card.disconnect()


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
        if hasattr(socket, "TCP_QUICKACK"):
            # vpcd writes the length and the APDU separately; acknowledge at once, or Nagle on its
            # side waits for our delayed ACK (40 ms per APDU on Linux)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    return data


# --- pcscd --------------------------------------------------------------------------------------


def pcscd_binary() -> str | None:
    return shutil.which("pcscd") or next(
        (p for p in ("/usr/sbin/pcscd", "/sbin/pcscd") if os.access(p, os.X_OK)), None
    )


def pcsc_readers() -> list[str] | None:
    """The readers of the running pcscd; None when no pcscd answers."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, names = scard.SCardListReaders(context, [])
        return list(names) if hresult == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


def wait_for_reader(
    name: str, timeout_s: float, process: subprocess.Popen[str] | None = None
) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if name in (pcsc_readers() or []):
            return True
        if process is not None and process.poll() is not None:
            return False  # pcscd gave up (e.g. no permission to create /run/pcscd)
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def running_pcscd(config_dir: Path) -> Iterator[str]:
    """A pcscd serving vpcd on VPCD_PORT: the one already running if it has the vpcd reader,
    else a private one started here. Yields "" when ready, or the reason it cannot be had."""
    existing = pcsc_readers()
    if existing is not None:
        yield "" if VPCD_READER in existing else "a pcscd without the vpcd reader already runs"
        return
    binary = pcscd_binary()
    if binary is None:
        yield "pcscd is not installed (Debian package pcscd)"
        return
    (config_dir / "vpcd").write_text(
        'FRIENDLYNAME "Virtual PCD"\n'
        f"DEVICENAME /dev/null:0x{VPCD_PORT:04X}\n"
        f"LIBPATH {VPCD_DRIVER}\n"
        f"CHANNELID 0x{VPCD_PORT:04X}\n"
    )
    process = subprocess.Popen(
        [binary, "--foreground", "--auto-exit", "--config", str(config_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if wait_for_reader(VPCD_READER, 5.0, process):
            yield ""
        else:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            _out, err = process.communicate(timeout=5)
            yield f"pcscd did not start: {err.strip()[-200:] or 'no reader appeared'}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
