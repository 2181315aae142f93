"""Face image formats: sniff JPEG / JPEG 2000 by magic bytes and read width and height from the
image's own headers (JPEG SOFn marker; JPEG 2000 `ihdr` box or codestream SIZ marker)."""

from __future__ import annotations

from dataclasses import dataclass

from devices.card.errors import ParseError

JPEG = "jpeg"
JPEG2000 = "jpeg2000"

_JP2_BOX = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_CODESTREAM = b"\xff\x4f\xff\x51"


@dataclass(frozen=True)
class ImageInfo:
    image_format: str
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    if data[:2] == b"\xff\xd8":
        return JPEG
    if data[:6] == _JP2_BOX[:6] or data[:4] == _J2K_CODESTREAM:
        return JPEG2000
    return None


def find_image_start(data: bytes) -> int | None:
    """Offset of the first JPEG / JPEG 2000 signature in `data`."""
    candidates = [data.find(sig) for sig in (b"\xff\xd8\xff", _JP2_BOX[:6], _J2K_CODESTREAM)]
    found = [c for c in candidates if c >= 0]
    return min(found) if found else None


def image_info(data: bytes) -> ImageInfo:
    kind = sniff(data)
    if kind == JPEG:
        width, height = _jpeg_size(data)
    elif kind == JPEG2000:
        width, height = _jp2_size(data)
    else:
        raise ParseError("image is neither JPEG nor JPEG 2000")
    return ImageInfo(kind, width, height)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise ParseError("JPEG marker expected")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            offset += 2
            continue
        length = int.from_bytes(data[offset + 2 : offset + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if offset + 9 > len(data):
                break
            height = int.from_bytes(data[offset + 5 : offset + 7], "big")
            width = int.from_bytes(data[offset + 7 : offset + 9], "big")
            return width, height
        if marker == 0xDA or length < 2:
            break
        offset += 2 + length
    raise ParseError("JPEG has no frame header (SOF)")


def _jp2_size(data: bytes) -> tuple[int, int]:
    ihdr = data.find(b"ihdr")
    if ihdr >= 0 and ihdr + 12 <= len(data):
        height = int.from_bytes(data[ihdr + 4 : ihdr + 8], "big")
        width = int.from_bytes(data[ihdr + 8 : ihdr + 12], "big")
        return width, height
    siz = data.find(_J2K_CODESTREAM)
    if siz >= 0 and siz + 22 <= len(data):
        # SIZ: marker(2) Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4)
        base = siz + 2
        xsiz = int.from_bytes(data[base + 4 : base + 8], "big")
        ysiz = int.from_bytes(data[base + 8 : base + 12], "big")
        if base + 20 <= len(data):
            xo = int.from_bytes(data[base + 12 : base + 16], "big")
            yo = int.from_bytes(data[base + 16 : base + 20], "big")
            return xsiz - xo, ysiz - yo
    raise ParseError("JPEG 2000 has neither an ihdr box nor a SIZ marker")
