"""Frame quality: brightness and sharpness, measured cheaply on a grey copy of the frame.

Sharpness is the variance of the Laplacian (high for crisp edges, low for blur). Both numbers are
measured on a region when one is given (the face box), else on the whole frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Below these the kiosk asks for more light / to hold still (measured on the sample frames at
# 640x480: sharp faces give 150-900, a 3 px Gaussian blur about 20).
MIN_BRIGHTNESS = 60.0
MAX_BRIGHTNESS = 215.0
MIN_SHARPNESS = 40.0


@dataclass(frozen=True)
class FrameQuality:
    brightness: float  # mean grey level 0..255
    sharpness: float  # variance of the Laplacian

    @property
    def too_dark(self) -> bool:
        return self.brightness < MIN_BRIGHTNESS

    @property
    def too_bright(self) -> bool:
        return self.brightness > MAX_BRIGHTNESS

    @property
    def blurred(self) -> bool:
        return self.sharpness < MIN_SHARPNESS


def to_gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def measure_quality(
    frame: np.ndarray, region: tuple[int, int, int, int] | None = None
) -> FrameQuality:
    """Brightness and sharpness of `frame` (BGR or grey), inside `region` (x, y, w, h) if given."""
    gray = to_gray(frame)
    if region is not None:
        x, y, w, h = region
        x, y = max(0, x), max(0, y)
        crop = gray[y : y + h, x : x + w]
        if crop.size:
            gray = crop
    brightness = float(gray.mean())
    sharpness = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    return FrameQuality(brightness=brightness, sharpness=sharpness)
