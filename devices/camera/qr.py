"""Decoding the QR on the citizen's ID card from camera frames.

Two decoders behind one protocol: OpenCV's `QRCodeDetector` and zxing-cpp. Both return the UTF-8
payload as text (the CCCD QR holds Vietnamese in UTF-8 without an ECI marker). Which one the kiosk
uses is chosen by measured decode rate on synthetic card frames (`python -m bench camera_qr`).
`guide_rect` is the square the UI draws so the citizen knows where to hold the card.
"""

from __future__ import annotations

from typing import Any, Protocol

import cv2
import numpy as np

from devices.camera.quality import to_gray

DEFAULT_DECODER = "zxing"  # bench/camera_qr.py: higher decode rate on blurred/tilted/dim frames


class QrDecoder(Protocol):
    name: str

    def decode(self, frame: np.ndarray) -> str | None:
        """The text of a QR code in the frame, or None."""


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


class OpenCvQrDecoder:
    name = "opencv"

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()

    def decode(self, frame: np.ndarray) -> str | None:
        try:
            text, _points, _straight = self._detector.detectAndDecode(to_gray(frame))
        except cv2.error:
            return None
        return text or None


class ZxingQrDecoder:
    name = "zxing"

    def __init__(self) -> None:
        import zxingcpp

        self._zxing: Any = zxingcpp
        self._formats = zxingcpp.BarcodeFormat.QRCode

    def decode(self, frame: np.ndarray) -> str | None:
        gray = np.ascontiguousarray(to_gray(frame))
        for barcode in self._zxing.read_barcodes(gray, formats=self._formats):
            if not barcode.valid:
                continue
            text = _utf8(bytes(barcode.bytes)) or barcode.text
            if text:
                return str(text)
        return None


DECODER_NAMES = ("opencv", "zxing")


def make_decoder(name: str = DEFAULT_DECODER) -> QrDecoder:
    if name == "opencv":
        return OpenCvQrDecoder()
    if name == "zxing":
        return ZxingQrDecoder()
    raise ValueError(f"unknown QR decoder {name!r}; known: {', '.join(DECODER_NAMES)}")


def guide_rect(width: int, height: int) -> tuple[int, int, int, int]:
    """The centred square (x, y, w, h), 70 % of the frame height, where the card's QR should be."""
    side = int(min(width, height) * 0.7)
    return ((width - side) // 2, (height - side) // 2, side, side)
