"""An ESC/POS thermal printer on a pseudo-terminal, for tests: it answers DLE EOT status queries
from its state (paper out, near end, cover open, silent) and turns the raster it is sent back into
an image, so a test can check what would come out of the printer."""

from __future__ import annotations

import os
import pty
import select
import threading
import tty
from dataclasses import dataclass, field

from PIL import Image

FIXED = 0x12  # bits 1 and 4 set in every status answer


@dataclass
class PrinterState:
    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    silent: bool = False  # answers nothing (switched off, wrong port)
    paper_out_after_bytes: int | None = None  # the roll ends after this many job bytes


@dataclass
class Printout:
    images: list[Image.Image] = field(default_factory=list)
    qr_payloads: list[bytes] = field(default_factory=list)
    cuts: int = 0
    job_bytes: bytearray = field(default_factory=bytearray)  # everything but status queries
    status_queries: list[int] = field(default_factory=list)


class PrinterEmulator:
    def __init__(self, state: PrinterState | None = None) -> None:
        self.state = state or PrinterState()
        self.printout = Printout()
        self._master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._buffer = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PrinterEmulator:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    # --- the wire ---------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            self._buffer += chunk
            self._parse()

    def _answer(self, n: int) -> None:
        self.printout.status_queries.append(n)
        s = self.state
        if s.silent:
            return
        value = FIXED
        if n == 1 and (s.paper_out or s.cover_open):
            value |= 0x08  # offline
        elif n == 2:
            value |= (0x04 if s.cover_open else 0) | (0x20 if s.paper_out else 0)
        elif n == 4:
            value |= (0x60 if s.paper_out else 0) | (0x0C if s.paper_near_end else 0)
        os.write(self._master, bytes([value]))

    def _consume_job_bytes(self, data: bytes) -> bool:
        """Account `data` as printed; False when the paper is (or runs) out."""
        s = self.state
        if s.paper_out or s.cover_open:
            return False
        self.printout.job_bytes += data
        if s.paper_out_after_bytes is not None and len(self.printout.job_bytes) >= (
            s.paper_out_after_bytes
        ):
            s.paper_out = True
        return True

    def _parse(self) -> None:
        buf = self._buffer
        while buf:
            if buf[:2] == b"\x10\x04":
                if len(buf) < 3:
                    return
                self._answer(buf[2])
                del buf[:3]
                continue
            if buf[:3] == b"\x1dv0":  # GS v 0 m xL xH yL yH data
                if len(buf) < 8:
                    return
                width_bytes = buf[4] | buf[5] << 8
                height = buf[6] | buf[7] << 8
                size = 8 + width_bytes * height
                if len(buf) < size:
                    return
                if self._consume_job_bytes(bytes(buf[:size])):
                    raster = bytes(b ^ 0xFF for b in buf[8:size])  # 1 = black in ESC/POS
                    image = Image.frombytes("1", (width_bytes * 8, height), raster)
                    self.printout.images.append(image)
                del buf[:size]
                continue
            if buf[:3] == b"\x1d(k":  # GS ( k pL pH cn fn [data]
                if len(buf) < 5:
                    return
                size = 5 + (buf[3] | buf[4] << 8)
                if len(buf) < size:
                    return
                if self._consume_job_bytes(bytes(buf[:size])) and buf[5:8] == b"1P0":
                    self.printout.qr_payloads.append(bytes(buf[8:size]))
                del buf[:size]
                continue
            if buf[:2] == b"\x1dV":  # GS V m [n]
                if len(buf) < 3:
                    return
                size = 4 if buf[2] in (0x41, 0x42, 65, 66) else 3
                if len(buf) < size:
                    return
                if self._consume_job_bytes(bytes(buf[:size])):
                    self.printout.cuts += 1
                del buf[:size]
                continue
            two_byte = {b"\x1b@": 2, b"\x1bd": 3, b"\x1ba": 3, b"\x1b!": 3, b"\x1bE": 3}
            size = two_byte.get(bytes(buf[:2]), 1)
            if len(buf) < size:
                return
            self._consume_job_bytes(bytes(buf[:size]))
            del buf[:size]

    def stitched(self) -> Image.Image:
        """Every raster printed, top to bottom, as one image."""
        width = max(i.width for i in self.printout.images)
        height = sum(i.height for i in self.printout.images)
        out = Image.new("1", (width, height), 1)
        y = 0
        for image in self.printout.images:
            out.paste(image, (0, y))
            y += image.height
        return out
