"""Text on 1-bit rasters from cached glyphs: each character is rendered by FreeType once per font
and size, then lines are assembled by pasting glyphs at their advances.

The basic layout (no shaping) is what Pillow itself does with `Layout.BASIC`; Vietnamese written
as precomposed characters (NFC) needs nothing more. Rendering a slip this way is several times
faster than asking FreeType for every line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from printing import fonts


@dataclass(frozen=True)
class Glyph:
    mask: Image.Image | None  # 1-bit, ink = 1; None for blank characters (space)
    left: int  # offset of the mask from the pen position
    top: int  # offset of the mask from the line's top (the font's ascender line)
    advance: float


@lru_cache(maxsize=8192)
def glyph(char: str, size: int, bold: bool) -> Glyph:
    font = fonts.raster_font(size, bold)
    advance = font.getlength(char)
    left, top, right, bottom = (int(v) for v in font.getbbox(char))
    if right <= left or bottom <= top:
        return Glyph(None, 0, 0, advance)
    mask = Image.new("1", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=1)
    return Glyph(mask, left, top, advance)


def width(text: str, size: int, bold: bool = False) -> float:
    return sum(glyph(c, size, bold).advance for c in text)


def draw(image: Image.Image, x: float, y: int, text: str, size: int, bold: bool = False,
         ink: int = 0) -> None:  # fmt: skip
    """Draw `text` with its top-left (ascender line) at (x, y) in colour `ink` (0 black)."""
    pen = x
    for char in text:
        g = glyph(char, size, bold)
        if g.mask is not None:
            image.paste(ink, (round(pen) + g.left, y + g.top), g.mask)
        pen += g.advance
