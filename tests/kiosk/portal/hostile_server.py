"""A hostile portal on loopback: a raw TCP server that speaks just enough HTTP/1.1 to hurt.

Per request, `choose(path, body)` names a behaviour:
- `ok`: a proper `submitDossier` receipt (201), or `{"status": "ok"}` elsewhere;
- `endless`: 200 with no length, then body bytes as fast as the socket takes them;
- `trickle`: 200 with no length, then one byte every `trickle_interval_s`;
- `huge_headers`: a status line, then header lines without end;
- `trickle_headers`: a status line, then a header line one byte every `trickle_interval_s`;
- `declared_huge`: `Content-Length` of 10 GB, then body bytes without end;
- `gzip_bomb`: a 250 kB gzip body that inflates to 256 MiB.
Also `stalled_port()`: a listener whose accept queue is full, so a connect hangs (a slow connect).

Used by tests/kiosk/portal, tests/kiosk/dossiers and bench/portal_hostile.py.
"""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

CHUNK = b"[" * 65536
Chooser = Callable[[str, bytes], str]


def _always(behaviour: str) -> Chooser:
    return lambda _path, _body: behaviour


@functools.cache
def gzip_bomb() -> bytes:
    """256 MiB of zeros, gzipped (about 250 kB), compressed piece by piece."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(squeeze.compress(zeros) for _ in range(256)) + squeeze.flush()


@dataclass
class Served:
    path: str
    kiosk_reference: str
    behaviour: str
    started: float
    ended: float = 0.0
    bytes_sent: int = 0


@dataclass
class HostileServer:
    choose: Chooser
    trickle_interval_s: float = 0.5
    body_limit: int | None = None  # endless behaviours stop after this many bytes (None: never)
    served: list[Served] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        self._thread.join(timeout=5)

    def accepted(self) -> list[str]:
        """The kiosk references answered with a receipt."""
        with self._lock:
            return [s.kiosk_reference for s in self.served if s.behaviour == "ok" and s.ended]

    # --- serving -------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            while not self._stop.is_set():
                request = _read_request(connection)
                if request is None:
                    return
                path, body = request
                reference = _reference(body)
                record = Served(path, reference, self.choose(path, body), time.monotonic())
                with self._lock:
                    self.served.append(record)
                try:
                    keep_open = self._answer(connection, record, body)
                except OSError:  # the client hung up: what a bounded client does
                    keep_open = False
                record.ended = time.monotonic()
                if not keep_open:
                    return

    def _answer(self, connection: socket.socket, record: Served, body: bytes) -> bool:
        behaviour = record.behaviour
        if behaviour == "ok":
            payload = json.dumps(_receipt(record, len(self.served))).encode()
            status = "201 Created" if record.path == "/v1/dossiers" else "200 OK"
            connection.sendall(
                f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            return True
        if behaviour == "huge_headers":
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            line = b"X-Padding: " + b"a" * 1000 + b"\r\n"
            self._pour(connection, record, line)
            return False
        if behaviour == "trickle_headers":
            connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._drip(connection, record)
            return False
        if behaviour == "gzip_bomb":
            bomb = gzip_bomb()
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                + f"Content-Length: {len(bomb)}\r\n\r\n".encode()
            )
            connection.sendall(bomb)
            record.bytes_sent = len(bomb)
            return False
        length = "Content-Length: 10000000000\r\n" if behaviour == "declared_huge" else ""
        connection.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}"
            "Connection: close\r\n\r\n".encode()
        )
        if behaviour == "trickle":
            self._drip(connection, record)
        else:  # endless, declared_huge
            self._pour(connection, record, CHUNK)
        return False

    def _drip(self, connection: socket.socket, record: Served) -> None:
        while not self._stop.is_set():
            connection.sendall(b"a")
            record.bytes_sent += 1
            time.sleep(self.trickle_interval_s)

    def _pour(self, connection: socket.socket, record: Served, piece: bytes) -> None:
        while not self._stop.is_set():
            if self.body_limit is not None and record.bytes_sent >= self.body_limit:
                return
            connection.sendall(piece)
            record.bytes_sent += len(piece)


def _read_request(connection: socket.socket) -> tuple[str, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = connection.recv(65536)
        if not piece:
            return None
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1]
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        piece = connection.recv(65536)
        if not piece:
            return None
        body += piece
    return path, body


def _reference(body: bytes) -> str:
    try:
        return str(json.loads(body).get("kiosk_reference", ""))
    except (ValueError, AttributeError):
        return ""


def _receipt(record: Served, number: int) -> dict[str, object]:
    if record.path != "/v1/dossiers":
        return {"status": "ok"}
    return {
        "portal_code": f"000.00.12.H56-260105-{number:04d}",
        "status": "received",
        "received_at": "2026-01-05T02:00:00+00:00",
    }


@contextmanager
def hostile_portal(
    choose: Chooser | str, *, trickle_interval_s: float = 0.5, body_limit: int | None = None
) -> Iterator[HostileServer]:
    if choose == "gzip_bomb":
        gzip_bomb()  # built before the client starts its clock
    server = HostileServer(
        _always(choose) if isinstance(choose, str) else choose,
        trickle_interval_s=trickle_interval_s,
        body_limit=body_limit,
    )
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def stalled_port() -> Iterator[int]:
    """A loopback port where a TCP connect hangs: the listener never accepts, and its accept
    queue (backlog 0) is already full with one connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        yield port
    finally:
        filler.close()
        listener.close()
