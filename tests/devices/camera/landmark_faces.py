"""A crude 68-point face (iBUG numbering) for tests of the landmark measures and liveness."""

from __future__ import annotations

import numpy as np


def crude_face(eye_opening: float = 6.0, nose_x: float = 100.0) -> np.ndarray:
    """Jaw from x=40 to x=160 (ends at y=80), eyes at y=80, nose tip at (nose_x, 110)."""
    points = np.zeros((68, 2))
    points[0:17, 0] = np.linspace(40, 160, 17)
    points[0:17, 1] = 80 + 60 * np.sin(np.linspace(0, np.pi, 17))
    for start, cx in ((36, 75.0), (42, 125.0)):
        points[start : start + 6] = [
            (cx - 15, 80),
            (cx - 5, 80 - eye_opening),
            (cx + 5, 80 - eye_opening),
            (cx + 15, 80),
            (cx + 5, 80 + eye_opening),
            (cx - 5, 80 + eye_opening),
        ]
    points[27:31] = [(100, 80), (100, 90), (100, 100), (nose_x, 110)]
    points[31:36] = [(90, 115), (95, 117), (100, 118), (105, 117), (110, 115)]
    points[48:68] = [(80 + 2 * i, 140 + (i % 3)) for i in range(20)]
    points[17:27] = [(60 + 9 * i, 65 - (i % 5)) for i in range(10)]
    return points


def sheared(points: np.ndarray, amount: float) -> np.ndarray:
    """A flat picture of the face skewed sideways: x' = x + amount * (y - 80), a homography."""
    moved = points.copy()
    moved[:, 0] += amount * (points[:, 1] - 80)
    return moved
