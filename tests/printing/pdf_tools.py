"""Read back what a PDF shows: text with pdftotext, pixels with pdftoppm (poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed",
)


def page_count(pdf: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return next(
        int(line.split()[-1]) for line in info.stdout.splitlines() if line.startswith("Pages:")
    )


def pdf_text(pdf: bytes, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


def words(texts: list[str] | str) -> Counter[str]:
    joined = texts if isinstance(texts, str) else "\n".join(texts)
    return Counter(unicodedata.normalize("NFC", joined).split())


def render_page(pdf: bytes, page: int, dpi: int = 200) -> np.ndarray:
    """The page as a grey image (numpy array), rendered by pdftoppm."""
    import cv2

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page),
             "-singlefile", str(path), str(Path(folder) / "page")],
            check=True,
        )  # fmt: skip
        image = cv2.imread(str(Path(folder) / "page.pgm"), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    return image


def decode_qr_codes(image: np.ndarray) -> set[str]:
    import cv2

    ok, texts, _points, _ = cv2.QRCodeDetector().detectAndDecodeMulti(image)
    return {t for t in texts if t} if ok else set()


def decode_code128(image: np.ndarray) -> set[str]:
    import zxingcpp

    return {
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.Code128
    }


def decode_qr_codes_zxing(image: np.ndarray) -> set[str]:
    """QR codes found by zxing-cpp (much faster than OpenCV on a whole A4 page)."""
    import zxingcpp

    return {
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    }
