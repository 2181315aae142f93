"""ESC/POS byte streams for a slip: the raster, optionally a native QR, feed and cut.

The commands come from python-escpos (its `Dummy` printer collects the bytes instead of sending
them): `GS v 0` raster images, `GS ( k` QR codes, `GS V` cut. This module only builds bytes;
`devices.printer` sends them and asks the printer for its status.
"""

from __future__ import annotations

from PIL import Image

INITIALIZE = b"\x1b@"  # ESC @
DOTS_PER_MM = 8  # 203 dpi heads


def encode(
    image: Image.Image,
    *,
    native_qr: str | None = None,
    qr_module: int = 8,
    cut: bool = True,
    feed_lines: int = 4,
    band_height: int = 2048,
) -> bytes:
    """The job for one slip: initialise, the raster, a native QR if asked, feed and cut.

    A raster taller than `band_height` dots is sent in bands (GS v 0 allows up to 2303 rows on
    Epson TM printers; lower it for printers with a small buffer)."""
    from escpos.printer import Dummy

    printer = Dummy()
    # Tell this printer's profile (an instance copy: the profile classes are shared) the width,
    # or python-escpos prints a warning to stdout for every image.
    media = {"width": {"pixels": image.width, "mm": round(image.width / DOTS_PER_MM)}, "dpi": 203}
    printer.profile.profile_data = {**printer.profile.profile_data, "media": media}
    printer._raw(INITIALIZE)
    printer.image(image, impl="bitImageRaster", center=False, fragment_height=band_height)
    if native_qr is not None:
        printer.set(align="center")
        printer.qr(native_qr, native=True, size=qr_module, center=False)
        printer.set(align="left")
    if cut:
        printer.cut(feed=False) if feed_lines == 0 else _feed_and_cut(printer, feed_lines)
    return bytes(printer.output)


def _feed_and_cut(printer: object, lines: int) -> None:
    from escpos.printer import Dummy

    assert isinstance(printer, Dummy)
    printer._raw(b"\x1bd" + bytes([lines]))  # ESC d n: print and feed n lines
    printer.cut(feed=False)
