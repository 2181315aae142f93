"""An A4 PDF as bytes: compressed, titled, fonts embedded by whoever draws on the canvas."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from printing import fonts


def a4_pdf(title: str, author: str, draw: Callable[[Canvas], None]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(fonts.nfc(title))
    canvas.setAuthor(fonts.nfc(author))
    draw(canvas)
    canvas.save()
    return buffer.getvalue()
