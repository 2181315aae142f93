"""Draw a QR code (e.g. the VietQR fee payload) as a crisp QImage for the screen."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QImage


def qr_image(payload: str, module_px: int = 10) -> QImage:
    encoder = cv2.QRCodeEncoder.create()
    matrix = encoder.encode(payload)  # uint8 0/255, one pixel per module, with quiet zone
    big = np.kron(matrix, np.ones((module_px, module_px), dtype=np.uint8))
    big = np.ascontiguousarray(big)
    height, width = big.shape
    return QImage(big.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
