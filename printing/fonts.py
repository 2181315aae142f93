"""Be Vietnam Pro (OFL), for PDFs (embedded through reportlab) and for thermal raster images.

The fonts live in `assets/fonts` beside the packages; the path is found from this file so a
PyInstaller one-folder build that ships `assets/` next to the packages finds them too.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parents[1] / "assets" / "fonts"
REGULAR = "BeVietnamPro"
MEDIUM = "BeVietnamPro-Medium"
BOLD = "BeVietnamPro-Bold"
_FILES = {
    REGULAR: "BeVietnamPro-Regular.ttf",
    MEDIUM: "BeVietnamPro-Medium.ttf",
    BOLD: "BeVietnamPro-Bold.ttf",
}
_lock = threading.Lock()
_registered = False


def font_path(name: str) -> Path:
    return FONT_DIR / _FILES[name]


def register_pdf_fonts() -> None:
    """Register the fonts with reportlab (once per process; later calls cost nothing)."""
    global _registered
    if _registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        if not _registered:
            for name in _FILES:
                pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
            _registered = True


@lru_cache(maxsize=64)
def raster_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The font for thermal raster text at `size` pixels."""
    path = str(font_path(BOLD if bold else REGULAR))
    # Basic layout: precomposed (NFC) Vietnamese needs no shaping, and it is several times faster.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def nfc(text: str) -> str:
    """Vietnamese as precomposed characters: one glyph each, so every font draws it right."""
    return unicodedata.normalize("NFC", text)
