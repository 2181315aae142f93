"""Draw a QR code (e.g. the VietQR fee payload) as a crisp QImage for the screen."""

from __future__ import annotations

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage


def qr_image(payload: str, module_px: int = 10) -> QImage:
    """`module_px` pixels per module, with the 4-module quiet zone. zxing-cpp encodes in ~1 ms
    (OpenCV's encoder took 30 ms on the GUI thread)."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = np.ascontiguousarray(
        np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=module_px)), dtype=np.uint8
    )
    height, width = pixels.shape
    return QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
