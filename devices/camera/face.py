"""Face detection, facial landmarks and 128-d embeddings, behind small protocols.

The model in use is dlib's (from the `dlib-bin` and `face-recognition-models` packages, both on
PyPI, so it works fully offline): a HOG + linear SVM frontal face detector, the 5-point shape
predictor (eye corners and nose base, for alignment and liveness) and the ResNet metric-learning
network that maps an aligned 150x150 face chip to a 128-d vector; two photos of one person are
within Euclidean distance ~0.6. Our score is `1 - distance` (higher is more alike); a match is
`score >= threshold`. The threshold is calibrated by `bench/camera_face.py` on augmented sample
pairs (see there).

The 68-point predictor can still be chosen (`landmarks=68`, `[devices] face_landmarks = 68`), but
its training data (iBUG 300-W) excludes commercial use (MODELS.md): by default it is not loaded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import cv2
import numpy as np

from devices.camera.quality import to_gray

# Score 0.45 = Euclidean distance 0.55: 0.05 stricter than dlib's published operating point (0.6,
# 99.38 % on LFW), since a false rejection costs a retry or a staff check and a false match does
# not. `python -m bench camera_face` on the augmented sample pairs, faces aligned on the 5 points:
# genuine cross-photo scores 0.581-0.657 (DG2-like chip side included), impostors 0.135-0.220, so
# TMR 1.0 / FMR 0.0 here (aligned on 68 points: 0.564-0.633 and 0.138-0.276); the set (2 people,
# 3 photos) is far too small to say more.
DEFAULT_THRESHOLD = 0.45

LANDMARK_MODELS = (5, 68)  # dlib shape predictors; 5 is the default (licence, see MODELS.md)
DEFAULT_LANDMARKS = 5

FAST_DETECT_SIDE = 320  # frames: look for faces on a copy this wide (faces >= ~160 px at 640)
THOROUGH_DETECT_SIDE = 800  # stills and chip photos: this long side, detector upsampled once


@dataclass(frozen=True)
class DetectedFace:
    box: tuple[int, int, int, int]  # x, y, width, height in frame pixels
    landmarks: np.ndarray = field(repr=False)  # (5, 2) or (68, 2) float, frame pixels

    @property
    def width(self) -> int:
        return self.box[2]

    @property
    def area(self) -> int:
        return self.box[2] * self.box[3]


class FaceDetector(Protocol):
    def detect(self, frame: np.ndarray, *, thorough: bool = False) -> list[DetectedFace]:
        """Faces in a BGR frame, largest first. `thorough` spends more time to find small faces."""


class FaceEmbedder(Protocol):
    name: str
    threshold: float  # a pair matches when score >= threshold

    def embed(self, frame: np.ndarray, face: DetectedFace) -> np.ndarray:
        """The face's embedding (aligned from its landmarks)."""

    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        """Similarity of two embeddings; higher is more alike."""


class FaceModel(FaceDetector, FaceEmbedder, Protocol):
    """Detector and embedder from one model family (landmarks feed the alignment)."""


@lru_cache(maxsize=2)
def _dlib_parts(landmarks: int) -> tuple[Any, Any, Any]:
    import dlib
    import face_recognition_models as models

    if landmarks not in LANDMARK_MODELS:
        raise ValueError(f"landmarks must be one of {LANDMARK_MODELS}, not {landmarks!r}")
    detector = dlib.get_frontal_face_detector()
    if landmarks == 5:
        predictor = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
    else:  # non-commercial training data: only when configured (MODELS.md)
        predictor = dlib.shape_predictor(models.pose_predictor_model_location())
    network = dlib.face_recognition_model_v1(models.face_recognition_model_location())
    return detector, predictor, network


class DlibFaceModel:
    """dlib HOG detector + 5-point (or 68-point) predictor + ResNet embedder. Loaded once per
    process."""

    def __init__(
        self, threshold: float = DEFAULT_THRESHOLD, *, landmarks: int = DEFAULT_LANDMARKS
    ) -> None:
        self.threshold = threshold
        self.landmarks = landmarks
        self.name = f"dlib-resnet-v1, {landmarks}-point landmarks"
        self._detector, self._predictor, self._network = _dlib_parts(landmarks)
        self._lock = threading.Lock()  # dlib objects are not documented as thread-safe

    def detect(self, frame: np.ndarray, *, thorough: bool = False) -> list[DetectedFace]:
        import dlib

        gray = to_gray(frame)
        height, width = gray.shape
        long_side = max(height, width)
        attempts: list[tuple[float, int]]  # (scale, upsample)
        if thorough:
            attempts = [(min(1.0, THOROUGH_DETECT_SIDE / long_side), 1)]
        else:
            attempts = [(min(1.0, FAST_DETECT_SIDE / long_side), 0), (min(1.0, 640 / long_side), 0)]
        with self._lock:
            rects: list[Any] = []
            scale = 1.0
            for scale, upsample in attempts:
                work = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale)
                rects = list(self._detector(work, upsample))
                if rects:
                    break
            faces = []
            for rect in rects:
                box = dlib.rectangle(
                    round(rect.left() / scale),
                    round(rect.top() / scale),
                    round(rect.right() / scale),
                    round(rect.bottom() / scale),
                )
                shape = self._predictor(gray, box)
                points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
                x, y = max(0, box.left()), max(0, box.top())
                faces.append(DetectedFace((x, y, box.right() - x, box.bottom() - y), points))
        faces.sort(key=lambda f: f.area, reverse=True)
        return faces

    def embed(self, frame: np.ndarray, face: DetectedFace) -> np.ndarray:
        import dlib

        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if frame.ndim == 3 else frame
        x, y, w, h = face.box
        shape = dlib.full_object_detection(
            dlib.rectangle(x, y, x + w, y + h),
            [dlib.point(round(px), round(py)) for px, py in face.landmarks],
        )
        with self._lock:
            chip = dlib.get_face_chip(rgb, shape, size=150, padding=0.25)
            vector = self._network.compute_face_descriptor(chip)
        return np.asarray(vector, dtype=np.float64)

    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        return 1.0 - float(np.linalg.norm(a - b))


def only_face(model: FaceDetector, frame: np.ndarray, *, thorough: bool = True) -> DetectedFace:
    """The single face in a still (chip photo, file); raises `NoFaceFound` / `SeveralFaces`."""
    from devices.camera.errors import NoFaceFound, SeveralFaces

    faces = model.detect(frame, thorough=thorough)
    if not faces:
        raise NoFaceFound("no face found")
    if len(faces) > 1:
        raise SeveralFaces(f"{len(faces)} faces found")
    return faces[0]
