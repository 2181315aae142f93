"""A crude drawn face with known 5 landmarks (dlib's order), for tests of the landmark measures and
liveness that need no face model."""

from __future__ import annotations

import cv2
import numpy as np

SIZE = (200, 240)  # width, height
EYE_Y = 100.0


def crude_points(nose_x: float = 100.0) -> np.ndarray:
    """Eye corners at y=100 (image-left eye 50..80, image-right eye 120..150), nose base at
    (nose_x, 150); in dlib's order: image-right eye outer, inner, image-left eye outer, inner,
    nose base."""
    return np.array([(150.0, EYE_Y), (120.0, EYE_Y), (50.0, EYE_Y), (80.0, EYE_Y), (nose_x, 150.0)])


def _skin(seed: int = 5) -> np.ndarray:
    """Skin with a blotchy texture (points to track for the parallax measure)."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 1, (SIZE[1], SIZE[0])).astype(np.float32)
    texture = np.asarray(cv2.GaussianBlur(noise, (0, 0), 2.0), np.float32)
    texture = texture * (40 / max(float(texture.std()), 1e-6))
    return np.clip(150 + texture, 0, 255).astype(np.uint8)


def crude_image(eyes_open: bool = True, seed: int = 5) -> np.ndarray:
    """A grey face for `crude_points()`: open eyes have white sclera, a dark iris and lid lines;
    closed eyes are skin with a lash line."""
    image = _skin(seed)
    for outer, inner in ((50, 80), (120, 150)):
        centre = ((outer + inner) // 2, int(EYE_Y))
        if eyes_open:
            cv2.ellipse(image, centre, (15, 6), 0, 0, 360, 235, -1, cv2.LINE_AA)
            cv2.circle(image, centre, 5, 30, -1, cv2.LINE_AA)
            cv2.ellipse(image, centre, (15, 6), 0, 0, 360, 60, 1, cv2.LINE_AA)
        else:
            cv2.ellipse(image, centre, (15, 6), 0, 0, 360, 150, -1, cv2.LINE_AA)
            cv2.ellipse(image, (centre[0], centre[1] + 1), (14, 2), 0, 0, 180, 90, 1, cv2.LINE_AA)
    cv2.ellipse(image, (100, 145), (12, 8), 0, 0, 360, 110, -1, cv2.LINE_AA)  # nose base
    return image


def box() -> tuple[int, int, int, int]:
    return (30, 60, 140, 150)


def sheared(image: np.ndarray, points: np.ndarray, amount: float) -> tuple[np.ndarray, np.ndarray]:
    """A flat picture of the face skewed sideways: x' = x + amount * (y - 100), a homography."""
    matrix = np.array([[1.0, amount, -amount * EYE_Y], [0.0, 1.0, 0.0]], np.float32)
    warped = cv2.warpAffine(image, matrix, SIZE, borderMode=cv2.BORDER_REPLICATE)
    moved = points.copy()
    moved[:, 0] += amount * (points[:, 1] - EYE_Y)
    return np.asarray(warped), moved


def to_bgr(gray: np.ndarray) -> np.ndarray:
    return np.asarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
