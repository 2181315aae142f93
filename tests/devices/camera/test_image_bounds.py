"""Bounded image decoding: sizes read from the header, caps before OpenCV allocates, OpenCV
errors as typed errors (camera CLI, and the chip's DG2 photo through `decode_image`)."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.errors import ImageTooLarge, ImageUnreadable
from devices.camera.image_header import MAX_IMAGE_BYTES, read_header
from devices.camera.sources import decode_image, read_image
from kiosk.cli import main

ROOT = Path(__file__).resolve().parents[3]


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_of_zeros(width: int, height: int) -> bytes:
    """A real RGB PNG of black pixels, compressed row by row (small on disk, huge decoded)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    compressor = zlib.compressobj(9)
    rows_per_chunk = max(1, (8 << 20) // (1 + 3 * width))
    block = (b"\x00" * (1 + 3 * width)) * rows_per_chunk
    parts, left = [], height
    while left:
        count = min(left, rows_per_chunk)
        parts.append(compressor.compress(block[: count * (1 + 3 * width)]))
        left -= count
    parts.append(compressor.flush())
    body = b"".join(parts)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
    )


def jpeg_header_only(width: int, height: int) -> bytes:
    """SOI and a baseline SOF0 declaring `width`×`height` (ITU T.81 §B.2.2), as a hostile DG2
    face image would start."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00" * 3
    return b"\xff\xd8" + sof + b"\xff\xd9"


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("images") / "huge.png"
    path.write_bytes(png_of_zeros(20000, 20000))
    return path


# Real encodings from OpenCV: (extension, params) → the header must give the encoded size.
ENCODINGS = [
    (".png", []),
    (".jpg", []),
    (".jpg", [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]),
    (".bmp", []),
    (".webp", [cv2.IMWRITE_WEBP_QUALITY, 80]),  # lossy: VP8
    (".webp", [cv2.IMWRITE_WEBP_QUALITY, 101]),  # lossless: VP8L
    (".jp2", []),
]


@pytest.mark.parametrize(("extension", "params"), ENCODINGS)
def test_the_header_gives_the_size_opencv_encoded(extension, params):
    frame = np.zeros((37, 53, 3), np.uint8)
    ok, encoded = cv2.imencode(extension, frame, params)
    assert ok
    header = read_header(encoded.tobytes())
    assert (header.width, header.height) == (53, 37)


def test_a_zero_byte_jpeg_is_unreadable_not_an_opencv_assertion(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(ImageUnreadable, match="empty"):
        read_image(tmp_path / "empty.jpg")


def test_a_png_a_million_pixels_wide_is_refused_before_decoding(tmp_path):
    (tmp_path / "wide.png").write_bytes(png_of_zeros(1_000_000, 10))
    with pytest.raises(ImageTooLarge, match="1000000×10"):
        read_image(tmp_path / "wide.png")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_20000_by_20000_png_is_refused_with_little_memory(huge_png):
    assert huge_png.stat().st_size < 2 * 2**20  # 1.2 GB once decoded
    # VmHWM: this process's own peak (ru_maxrss would carry pytest's peak over the exec)
    probe = (
        "import re, sys\n"
        "from devices.camera.errors import ImageTooLarge\n"
        "from devices.camera.sources import read_image\n"
        "try:\n"
        "    read_image(sys.argv[1])\n"
        "except ImageTooLarge:\n"
        "    status = open('/proc/self/status').read()\n"
        "    print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(huge_png)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    peak_kib = int(result.stdout)
    assert peak_kib < 200 * 1024


def test_a_chip_photo_declaring_too_many_pixels_is_refused_before_decoding():
    with pytest.raises(ImageTooLarge, match="20000×20000"):
        decode_image(jpeg_header_only(20000, 20000))


def test_a_file_past_the_byte_cap_is_refused(tmp_path):
    path = tmp_path / "big.jpg"
    with path.open("wb") as file:
        file.write(jpeg_header_only(100, 100))
        file.truncate(MAX_IMAGE_BYTES + 10)  # sparse: no disk used
    with pytest.raises(ImageTooLarge, match="MB"):
        read_image(path)


def test_a_format_without_a_known_header_is_not_handed_to_opencv():
    ok, encoded = cv2.imencode(".ppm", np.zeros((4, 4, 3), np.uint8))
    assert ok and cv2.imdecode(encoded, cv2.IMREAD_COLOR) is not None
    with pytest.raises(ImageUnreadable):
        decode_image(encoded.tobytes())


@pytest.mark.parametrize(
    "action",
    [
        ["scan-qr", "{image}"],
        ["verify", "{image}", "{image}"],
        ["capture-doc", "{image}", "--out", "{out}"],
    ],
)
@pytest.mark.parametrize("image", ["empty.jpg", "wide.png"])
def test_camera_commands_end_hostile_images_in_one_line(action, image, tmp_path, capfd):
    images = {"empty.jpg": b"", "wide.png": png_of_zeros(1_000_000, 10)}
    (tmp_path / image).write_bytes(images[image])
    argv = [
        word.replace("{image}", str(tmp_path / image)).replace("{out}", str(tmp_path / "o.pdf"))
        for word in action
    ]
    code = main(["camera", *argv])
    out, err = capfd.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1
    assert str(tmp_path / image) in err
