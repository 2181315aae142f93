"""Active liveness: a challenge in random order (blink, turn left, turn right), judged from the
68 landmarks, plus presentation-attack checks.

What each check catches (and what it does not):
- blink: the eye aspect ratio or the eye contrast drops, then comes back. A printed photo cannot
  blink; a video replay on a phone can.
- head turns: the nose tip moves toward one jaw end and back. A flat picture turned or skewed in
  the hand rarely does this: on the three sample photos, perspective tilts, skews and rotations
  moved it by at most +0.06 (frontal photos; +0.13 for a photo already taken half-turned), below
  the 0.08 a turn needs. Each turn is also checked for depth: the landmarks of a flat picture are
  ideally one homography of the frontal ones (`planarity_residual` ~0). With dlib's 68-point
  regressor this is a weak cue: flat pictures measured 0.015-0.088, the demo's simulated turns
  0.035-0.12 (`bench camera_liveness`); so only nearly rigid motion (< 0.025) is refused. A video
  replay of a real person turning passes both.
- screens and glossy prints: glare (share of saturated pixels on the face) and a moiré score (an
  isolated peak in the high-frequency spectrum of the face, from a display's pixel grid).
The thresholds for depth, glare and moiré are set from synthetic pictures (flat warps of the
sample photos, added pixel grids), not from real attack recordings: a first line, not a
certification (ISO/IEC 30107-3 testing would need real attack instruments).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from devices.camera.face import DetectedFace
from devices.camera.landmarks import (
    eye_aspect_ratio,
    eye_contrast,
    head_turn,
    planarity_residual,
)

CHALLENGES = ("blink", "turn_left", "turn_right")

BASELINE_FRAMES = 3
FRONTAL_TOLERANCE = 0.12  # |head_turn - 0.5| for a frontal frame
EAR_CLOSED_RATIO = 0.75  # closed when EAR < 75 % of the person's own open-eye EAR
CONTRAST_CLOSED_RATIO = 0.6  # ... or eye contrast < 60 % of their open-eye contrast
REOPENED_RATIO = 0.85
TURN_MIN = 0.08  # nose-tip shift (fraction of face width) that counts as a turn
MIN_DEPTH_RESIDUAL = 0.025  # weak: flat pictures measured 0.015-0.088 (see the module doc)
MAX_GLARE = 0.08  # share of face pixels >= 250
MAX_MOIRE = 20.0  # high-band spectral peak over median: sample faces 8-12, gratings 16-100


@dataclass(frozen=True)
class LivenessResult:
    live: bool
    reason: str = ""  # error-catalogue code when not live
    completed: tuple[str, ...] = ()


def glare_share(gray_face: np.ndarray) -> float:
    if gray_face.size == 0:
        return 0.0
    return float((gray_face >= 250).mean())


def moire_score(gray_face: np.ndarray) -> float:
    """Peak-to-median ratio of the spectrum's high band (radius 0.35-0.95 of Nyquist)."""
    if min(gray_face.shape) < 32:
        return 0.0
    face = gray_face.astype(np.float32)
    face -= face.mean()
    rows, cols = face.shape
    window = np.outer(np.hanning(rows), np.hanning(cols)).astype(np.float32)
    spectrum = np.abs(np.fft.fftshift(np.fft.fft2(face * window)))
    y, x = np.ogrid[:rows, :cols]
    radius = np.sqrt(((y - rows / 2) / (rows / 2)) ** 2 + ((x - cols / 2) / (cols / 2)) ** 2)
    band = spectrum[(radius > 0.35) & (radius < 0.95)]
    median = float(np.median(band))
    return float(band.max()) / median if median > 0 else 0.0


@dataclass
class _Baseline:
    ear: float
    contrast: float
    turn: float
    points: np.ndarray = field(repr=False)


class LivenessChallenge:
    """Feed it frames with the citizen's face; it says what to ask for and, at the end, whether
    the face was live. Each challenge has `per_challenge_s` seconds."""

    def __init__(
        self,
        order: Sequence[str] | None = None,
        *,
        rng: random.Random | None = None,
        per_challenge_s: float = 8.0,
    ) -> None:
        if order is None:
            order = (rng or random.SystemRandom()).sample(CHALLENGES, len(CHALLENGES))
        unknown = set(order) - set(CHALLENGES)
        if unknown:
            raise ValueError(f"unknown challenges: {sorted(unknown)}")
        self.order = tuple(order)
        self.per_challenge_s = per_challenge_s
        self.completed: list[str] = []
        self._samples: list[tuple[float, float, float, np.ndarray]] = []
        self._baseline: _Baseline | None = None
        self._eyes_closed = False
        self._turned = False
        self._depth = 0.0
        self._glare: list[float] = []
        self._moire: list[float] = []
        self._challenge_started: float | None = None
        self._failed = ""

    @property
    def current(self) -> str | None:
        if self._failed or len(self.completed) == len(self.order):
            return None
        return self.order[len(self.completed)]

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def fraction(self) -> float:
        return len(self.completed) / len(self.order)

    def update(self, gray: np.ndarray, face: DetectedFace, at: float) -> str:
        """Take one frame; returns the guidance key to show now (`look_at_camera`, `blink`,
        `turn_left`, `turn_right`, or `done`)."""
        if self.finished:
            return "done"
        points = face.landmarks
        ear, turn = eye_aspect_ratio(points), head_turn(points)
        contrast = eye_contrast(gray, points)
        self._measure_presentation(gray, face)
        if self._baseline is None:
            if abs(turn - 0.5) > FRONTAL_TOLERANCE:
                return "look_at_camera"
            self._samples.append((ear, contrast, turn, points))
            if len(self._samples) < BASELINE_FRAMES:
                return "look_at_camera"
            ears, contrasts, turns, _ = zip(*self._samples, strict=True)
            self._baseline = _Baseline(
                float(np.median(ears)), float(np.median(contrasts)), float(np.median(turns)), points
            )
            self._challenge_started = at
        challenge = self.current
        assert challenge is not None and self._challenge_started is not None
        if at - self._challenge_started > self.per_challenge_s:
            self._failed = "liveness_no_blink" if challenge == "blink" else "liveness_no_turn"
            return "done"
        if challenge == "blink":
            seen = self._saw_blink(ear, contrast)
        else:
            seen = self._saw_turn(challenge, turn, points)
        if seen:
            self._complete(at)
        return self.current or "done"

    def result(self) -> LivenessResult:
        completed = tuple(self.completed)
        if self._failed:
            return LivenessResult(False, self._failed, completed)
        if not self.finished:
            return LivenessResult(False, "liveness_incomplete", completed)
        if self._glare and float(np.median(self._glare)) > MAX_GLARE:
            return LivenessResult(False, "liveness_glare", completed)
        if self._moire and float(np.median(self._moire)) > MAX_MOIRE:
            return LivenessResult(False, "liveness_screen", completed)
        turns = {"turn_left", "turn_right"} & set(self.order)
        if turns and self._depth < MIN_DEPTH_RESIDUAL:
            return LivenessResult(False, "liveness_flat", completed)
        return LivenessResult(True, "", completed)

    # --- internals ----------------------------------------------------------------------------

    def _complete(self, at: float) -> None:
        current = self.current
        assert current is not None
        self.completed.append(current)
        self._challenge_started = at
        self._eyes_closed = False
        self._turned = False

    def _saw_blink(self, ear: float, contrast: float) -> bool:
        base = self._baseline
        assert base is not None
        closed = (
            ear < EAR_CLOSED_RATIO * base.ear or contrast < CONTRAST_CLOSED_RATIO * base.contrast
        )
        if closed:
            self._eyes_closed = True
            return False
        reopened = ear >= REOPENED_RATIO * base.ear and contrast >= REOPENED_RATIO * base.contrast
        return self._eyes_closed and reopened

    def _saw_turn(self, challenge: str, turn: float, points: np.ndarray) -> bool:
        base = self._baseline
        assert base is not None
        shift = turn - base.turn
        wanted = shift >= TURN_MIN if challenge == "turn_left" else shift <= -TURN_MIN
        if wanted:
            self._turned = True
            self._depth = max(self._depth, planarity_residual(base.points, points))
            return False
        # the turn counts once the head has come back toward the camera
        return self._turned and abs(shift) < TURN_MIN / 2

    def _measure_presentation(self, gray: np.ndarray, face: DetectedFace) -> None:
        x, y, w, h = face.box
        crop = gray[max(0, y) : y + h, max(0, x) : x + w]
        if crop.size == 0:
            return
        self._glare.append(glare_share(crop))
        self._moire.append(moire_score(crop))
