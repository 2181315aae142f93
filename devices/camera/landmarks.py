"""Measures on dlib's 5 facial landmarks (eye corners and nose base), numpy and OpenCV.

dlib's 5-point model gives, in this order: the outer and the inner corner of the eye on the
image's right (the person's left eye in an unmirrored camera), the outer and the inner corner of
the eye on the image's left, and the base of the nose (subnasale). A 68-point set (iBUG numbering)
is reduced to the same five points by `five_points`, so every measure here works on either.

- head turn: where the nose base lies along the line between the two eye centres, 0.5 when
  frontal. The nose stands out of the face: when the head turns, it moves across the eyes; when a
  flat picture is turned, it mostly does not (see `parallax_residual` for the case where it does);
- eye openness: the appearance of the eye region between each eye's corners, sampled along the
  corner line. An open eye shows a dark iris next to bright sclera and two lid edges: grey-level
  spread and vertical gradient energy are high; a closed lid is smooth skin with one lash line.
  Only meaningful relative to the same person's open eyes (`LivenessChallenge` keeps a baseline);
- parallax residual: how far the motion of many tracked points on the face is from one
  homography. A flat picture (print, phone) moved in the hand moves all its points by one
  homography; a head turning in 3-D does not (the nose moves against the cheeks).
"""

from __future__ import annotations

import cv2
import numpy as np

LEFT_EYE_OUTER, LEFT_EYE_INNER, RIGHT_EYE_OUTER, RIGHT_EYE_INNER, NOSE_BASE = range(5)
# the same five points in a 68-point iBUG set: eye corners 45, 42, 36, 39 and nose base 33
IBUG_TO_FIVE = (45, 42, 36, 39, 33)

# The eye region: from corner to corner (beyond them is skin, and glasses rims), half the eye's
# width high, centred a tenth of its width above the corner line (the upper lid arches higher than
# the lower one). Chosen among heights 0.4-0.7, raises -0.05-0.10 and margins -0.1-0.15 on the
# sample photos with synthetic closure, glasses and turns: the largest gap between closed eyes
# (<= 0.49 of open) and turned open eyes (>= 0.63), with open-eye noise <= 5 %.
EYE_PATCH = (40, 20)  # eye region resampled to this many pixels (along, across the corner line)
EYE_MARGIN = 0.0  # patch reaches this share of the eye's width past each corner
EYE_HEIGHT = 0.5  # patch height as a share of the eye's width
EYE_RAISE = 0.1  # the patch centre sits this share of the eye's width above the corner line


def five_points(points: np.ndarray) -> np.ndarray:
    """The five points (dlib's 5-point order) of a 5- or 68-point landmark set."""
    if len(points) == 5:
        return points
    if len(points) == 68:
        return points[list(IBUG_TO_FIVE)]
    raise ValueError(f"expected 5 or 68 landmarks, got {len(points)}")


def eyes(points: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(outer, inner) corners of the image-left eye, then of the image-right eye."""
    p = five_points(points)
    return (p[RIGHT_EYE_OUTER], p[RIGHT_EYE_INNER]), (p[LEFT_EYE_OUTER], p[LEFT_EYE_INNER])


def interocular_distance(points: np.ndarray) -> float:
    (a_outer, a_inner), (b_outer, b_inner) = eyes(points)
    return float(np.linalg.norm((a_outer + a_inner) / 2 - (b_outer + b_inner) / 2))


def head_turn(points: np.ndarray) -> float:
    """Nose base along the line through the two eye centres (each the middle of its corners): 0 at
    the image-left eye, 1 at the image-right eye, about 0.5 frontal; larger when the nose is toward
    the image's right (the person turns to their own left in an unmirrored camera). Independent of
    head roll and distance. The nose base stands ~2.5-3 cm in front of the eyes, which are ~6.3 cm
    apart: a 15° turn moves it by about 0.12, a 10° turn by about 0.08."""
    (a_outer, a_inner), (b_outer, b_inner) = eyes(points)
    start, end = (a_outer + a_inner) / 2, (b_outer + b_inner) / 2
    axis = end - start
    length2 = float(axis @ axis)
    if length2 == 0:
        return 0.5
    return float((five_points(points)[NOSE_BASE] - start) @ axis / length2)


def eye_patch(gray: np.ndarray, outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """The eye region between two corners, resampled to `EYE_PATCH` (float32), rotated so the
    corner line is horizontal and the outer corner is on the patch's left."""
    along = inner - outer
    width = float(np.linalg.norm(along))
    patch_w, patch_h = EYE_PATCH
    if width < 2:
        return np.zeros((patch_h, patch_w), np.float32)
    unit = along / width
    normal = np.array([unit[1], -unit[0]])  # points up in the image for a level eye
    if normal[1] > 0:
        normal = -normal
    span = width * (1 + 2 * EYE_MARGIN)
    height = width * EYE_HEIGHT
    centre = (outer + inner) / 2 + normal * width * EYE_RAISE
    # patch pixel (u, v) -> image point: top-left at centre - span/2 along + height/2 up
    top_left = centre - unit * span / 2 + normal * height / 2
    ex = unit * span / patch_w
    ey = -normal * height / patch_h
    source = np.array([top_left, top_left + ex * patch_w, top_left + ey * patch_h], np.float32)
    target = np.array([[0, 0], [patch_w, 0], [0, patch_h]], np.float32)
    matrix = cv2.getAffineTransform(source, target)
    patch = cv2.warpAffine(
        gray, matrix, (patch_w, patch_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(patch, np.float32)


def _lens_mask() -> np.ndarray:
    """True inside the ellipse inscribed in the eye patch: the eye's lens shape, leaving out the
    patch's corners (where glasses rims and brows come in)."""
    patch_w, patch_h = EYE_PATCH
    v, u = np.mgrid[0:patch_h, 0:patch_w]
    du = (u + 0.5 - patch_w / 2) / (patch_w / 2)
    dv = (v + 0.5 - patch_h / 2) / (patch_h / 2)
    return np.asarray(du**2 + dv**2 <= 1.0)


_LENS = _lens_mask()
_LENS_EDGES = _LENS[1:] & _LENS[:-1]


def _openness(patch: np.ndarray) -> float:
    inside = patch[_LENS]
    mean = max(float(inside.mean()), 1.0)
    spread = float(inside.std()) / mean
    vertical = np.abs(np.diff(patch, axis=0))[_LENS_EDGES]
    edges = float(vertical.mean()) / mean
    return spread + edges


def eye_openness(gray: np.ndarray, points: np.ndarray) -> float:
    """Mean over both eyes of the eye region's relative grey-level spread plus its relative
    vertical gradient energy; drops when the lids close (compare with the person's own open eyes).
    """
    values = [_openness(eye_patch(gray, outer, inner)) for outer, inner in eyes(points)]
    return float(np.mean(values))


def _track(
    reference: np.ndarray, current: np.ndarray, corners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pyramidal Lucas-Kanade from `reference` to `current`, kept only where tracking back lands
    within a pixel of the start: (start points, end points), float64 (N, 2)."""
    window = (21, 21)
    moved, status, _ = cv2.calcOpticalFlowPyrLK(
        reference, current, corners, corners.copy(), winSize=window
    )
    back, status_back, _ = cv2.calcOpticalFlowPyrLK(
        current, reference, moved, corners.copy(), winSize=window
    )
    error = np.linalg.norm((back - corners).reshape(-1, 2), axis=1)
    good = (status.ravel() == 1) & (status_back.ravel() == 1) & (error < 1.0)
    start = corners.reshape(-1, 2)[good].astype(np.float64)
    return start, moved.reshape(-1, 2)[good].astype(np.float64)


MIN_TRACKED = 12


def parallax_residual(
    reference: np.ndarray,
    reference_points: np.ndarray,
    box: tuple[int, int, int, int],
    current: np.ndarray,
    current_points: np.ndarray,
) -> float:
    """How far the face's motion from `reference` to `current` (grey frames) is from one
    homography, in inter-ocular distances: 0 for a flat picture moved in any way.

    The current frame is first brought onto the reference by the similarity that maps its eye
    corners onto the reference's (the nose is left out: it is what should move), then points on
    the face (`box` in the reference) are tracked, a homography is fitted to their motion, the
    frame is warped by it and the points tracked again: the median distance left is the answer.
    The second pass makes it small for flat pictures even when skewed or tilted hard (tracking
    windows deform then); a turning head keeps the nose's motion against the cheeks.
    Returns 0.0 when too few points could be tracked (a plain face: no evidence of depth)."""
    size = (reference.shape[1], reference.shape[0])
    eye_now = five_points(current_points)[:4].astype(np.float32)
    eye_then = five_points(reference_points)[:4].astype(np.float32)
    similarity, _ = cv2.estimateAffinePartial2D(eye_now, eye_then)
    if similarity is None:
        return 0.0
    aligned = cv2.warpAffine(current, similarity, size, borderMode=cv2.BORDER_REPLICATE)
    x, y, w, h = box
    mask = np.zeros(reference.shape[:2], np.uint8)
    mask[max(0, y) : y + h, max(0, x) : x + w] = 255
    corners = cv2.goodFeaturesToTrack(
        reference, maxCorners=120, qualityLevel=0.01, minDistance=max(3, w // 25), mask=mask
    )
    if corners is None or len(corners) < MIN_TRACKED:
        return 0.0
    start, end = _track(reference, aligned, corners)
    if len(start) < MIN_TRACKED:
        return 0.0
    homography, _ = cv2.findHomography(end, start, 0)  # current -> reference
    if homography is None:
        return 0.0
    rectified = cv2.warpPerspective(aligned, homography, size, borderMode=cv2.BORDER_REPLICATE)
    start, end = _track(reference, rectified, corners)
    if len(start) < MIN_TRACKED:
        return 0.0
    distances = np.linalg.norm(end - start, axis=1)
    return float(np.median(distances)) / max(interocular_distance(reference_points), 1.0)


def lower_face_sharpness(
    gray: np.ndarray, points: np.ndarray, box: tuple[int, int, int, int]
) -> float:
    """Variance of the Laplacian below the nose base, inside the face box's middle: how sharp the
    face is where a blink changes nothing (a photo shaken in the hand blurs all over, which
    would otherwise look like closing eyes)."""
    x, y, w, h = box
    top = int(max(y, five_points(points)[NOSE_BASE, 1]))
    left, right = x + w // 5, x + w - w // 5
    region = gray[top : y + h, max(0, left) : max(0, right)]
    if region.size < 16:
        return 0.0
    return float(cv2.Laplacian(region, cv2.CV_32F).var())
