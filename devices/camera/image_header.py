"""Image size from the header, before any pixel is decoded.

A 1 MB PNG can declare 20000×20000 pixels (1.2 GB once decoded), so `decode_image` reads the
width and height the file declares (PNG IHDR, JPEG SOF, JPEG 2000 ihdr/SIZ, BMP info header,
WebP VP8/VP8L/VP8X) and refuses too many bytes, pixels or too long a side before OpenCV
allocates anything. A format this module cannot size is refused too: OpenCV would decode it
unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.camera.errors import ImageTooLarge, ImageUnreadable

MAX_IMAGE_BYTES = 32 * 1024 * 1024  # a 40 MP JPEG at high quality stays below this
MAX_PIXELS = 40_000_000  # 40 MP: more than any webcam or phone photo of a paper
MAX_SIDE = 16_384  # longer sides break QR decoders and OpenCV's 16-bit coordinates

_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ImageHeader:
    image_format: str
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _png(data: bytes) -> tuple[int, int]:
    # signature(8) length(4) "IHDR"(4) width(4) height(4): PNG spec §11.2.2, IHDR comes first
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageUnreadable("PNG without its IHDR header")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _bmp(data: bytes) -> tuple[int, int]:
    if len(data) < 26:
        raise ImageUnreadable("BMP too short for its header")
    header_size = int.from_bytes(data[14:18], "little")
    if header_size == 12:  # OS/2 BITMAPCOREHEADER: 16-bit unsigned sizes
        return int.from_bytes(data[18:20], "little"), int.from_bytes(data[20:22], "little")
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)  # negative: top-down rows
    return abs(width), abs(height)


def _webp(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:  # canvas size minus one, 24 bits each
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8L" and len(data) >= 25:  # 14 bits each, minus one, after the 0x2f byte
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and len(data) >= 30:  # key frame: 14-bit sizes after the start code
        return (
            int.from_bytes(data[26:28], "little") & 0x3FFF,
            int.from_bytes(data[28:30], "little") & 0x3FFF,
        )
    raise ImageUnreadable("WebP without a VP8, VP8L or VP8X header")


def _jpeg_or_jpeg2000(data: bytes) -> tuple[str, int, int]:
    from devices.card.errors import ParseError
    from devices.card.lds.image import image_info

    try:
        info = image_info(data)
    except ParseError as exc:
        raise ImageUnreadable(str(exc)) from None
    return info.image_format, info.width, info.height


def read_header(data: bytes) -> ImageHeader:
    """The format and declared size of `data`; raises `ImageUnreadable` when there is none."""
    if not data:
        raise ImageUnreadable("the image is empty (0 bytes)")
    if data.startswith(_PNG):
        return ImageHeader("png", *_png(data))
    if data[:2] == b"BM":
        return ImageHeader("bmp", *_bmp(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageHeader("webp", *_webp(data))
    image_format, width, height = _jpeg_or_jpeg2000(data)
    return ImageHeader(image_format, width, height)


def check_bounds(data: bytes, max_pixels: int = MAX_PIXELS) -> ImageHeader:
    """The header of `data` if it may be decoded; raises `ImageTooLarge` or `ImageUnreadable`."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageTooLarge(
            f"the image has {len(data) / 2**20:.1f} MB, more than the "
            f"{MAX_IMAGE_BYTES // 2**20} MB allowed"
        )
    header = read_header(data)
    if header.width <= 0 or header.height <= 0:
        raise ImageUnreadable(f"the {header.image_format} header declares no pixels")
    if header.pixels > max_pixels or max(header.width, header.height) > MAX_SIDE:
        raise ImageTooLarge(
            f"the {header.image_format} image declares {header.width}×{header.height} pixels; "
            f"at most {max_pixels / 1e6:g} MP and {MAX_SIDE} pixels a side are decoded"
        )
    return header
