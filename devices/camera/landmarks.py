"""Measures on dlib's 68 facial landmarks (iBUG 300-W numbering), pure numpy.

- eye aspect ratio (Soukupová & Čech, 2016): eyelid opening over eye width, drops in a blink;
- eye contrast: grey-level spread inside the eye outline over its mean, drops when the lid covers
  the iris and sclera (catches blinks the landmark regressor smooths over);
- head turn: where the nose tip sits between the two jaw ends, 0.5 when frontal;
- planarity residual: how far one landmark set is from a perspective image of another. A printed
  photo or a phone screen turned in the hand moves all 68 points by one homography (residual near
  the detector's noise); a real head turning in 3-D does not (the nose tip and the jaw line move
  differently).
"""

from __future__ import annotations

import cv2
import numpy as np

RIGHT_EYE = slice(36, 42)  # the person's right eye: left in an unmirrored image
LEFT_EYE = slice(42, 48)
NOSE_TIP = 30
JAW_RIGHT_END = 0
JAW_LEFT_END = 16


def _eye_ratio(eye: np.ndarray) -> float:
    width = float(np.linalg.norm(eye[0] - eye[3]))
    if width == 0:
        return 0.0
    opening = float(np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4]))
    return opening / (2.0 * width)


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean EAR of both eyes (about 0.2-0.35 open, below ~0.15 closed for most people)."""
    return (_eye_ratio(points[RIGHT_EYE]) + _eye_ratio(points[LEFT_EYE])) / 2.0


def eye_contrast(gray: np.ndarray, points: np.ndarray) -> float:
    """Mean over both eyes of std/mean of the grey levels inside the eye outline."""
    values = []
    for eye in (points[RIGHT_EYE], points[LEFT_EYE]):
        mask = np.zeros(gray.shape, np.uint8)
        cv2.fillPoly(mask, [np.round(eye).astype(np.int32)], 255)
        inside = gray[mask > 0]
        if inside.size < 4:
            continue
        values.append(float(inside.std()) / max(float(inside.mean()), 1.0))
    return float(np.mean(values)) if values else 0.0


def head_turn(points: np.ndarray) -> float:
    """Nose-tip position between the jaw ends: 0.5 frontal, larger when the nose is toward the
    right of the image (the person turns to their own left in an unmirrored camera)."""
    left_x = points[JAW_RIGHT_END, 0]
    right_x = points[JAW_LEFT_END, 0]
    span = right_x - left_x
    if span <= 0:
        return 0.5
    return float((points[NOSE_TIP, 0] - left_x) / span)


def interocular_distance(points: np.ndarray) -> float:
    return float(np.linalg.norm(points[RIGHT_EYE].mean(0) - points[LEFT_EYE].mean(0)))


def planarity_residual(reference: np.ndarray, moved: np.ndarray) -> float:
    """RMS distance (in inter-ocular distances) of `moved` from the best homography of
    `reference`; near 0.02 for a flat picture tilted in the hand."""
    homography, _ = cv2.findHomography(reference.astype(np.float64), moved.astype(np.float64), 0)
    if homography is None:
        return 0.0
    projected = cv2.perspectiveTransform(reference[None].astype(np.float64), homography)[0]
    rms = float(np.sqrt(((projected - moved) ** 2).sum(axis=1).mean()))
    return rms / max(interocular_distance(reference), 1.0)
