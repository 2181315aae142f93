"""QR codes drawn as plain rectangles (PDF) or pixels (thermal raster), from one module matrix."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # modules of white around the symbol (ISO/IEC 18004 §7.3.8)
_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


@lru_cache(maxsize=128)
def matrix(payload: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The symbol's dark modules, row by row, without the quiet zone."""
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=0)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def draw(canvas: Canvas, payload: str, x: float, y: float, size: float, level: str = "M") -> None:
    """Draw the QR (quiet zone included in `size`) with its bottom-left corner at (x, y)."""
    rows = matrix(payload, level)
    count = len(rows) + 2 * QUIET_ZONE
    module = size / count
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        top = y + size - (r + QUIET_ZONE + 1) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(x + (start + QUIET_ZONE) * module, top, (c - start) * module, module)
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def image(payload: str, module_px: int, level: str = "M") -> Image.Image:
    """The QR as a 1-bit image (quiet zone included), `module_px` pixels per module."""
    rows = matrix(payload, level)
    count = len(rows) + 2 * QUIET_ZONE
    small = Image.new("1", (count, count), 1)
    pixels = small.load()
    assert pixels is not None
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pixels[c + QUIET_ZONE, r + QUIET_ZONE] = 0
    return small.resize((count * module_px, count * module_px), Image.Resampling.NEAREST)
