"""Active liveness: a challenge in random order (blink, turn left, turn right), judged from dlib's
5 landmarks (eye corners, nose base) and the pixels around them, plus presentation-attack checks.

What each check catches (and what it does not):
- blink: the appearance of the eye region between each eye's corners (`eye_openness`: grey-level
  spread and lid edges) drops below 75 % of the person's own open-eye value, measured on the first
  frontal frames, then comes back; frames where the whole face is blurred (a shaken photo) or
  turned are not judged. A printed photo cannot blink; a video replay can, and so can a finger
  passed over the eyes of a photo (the 68-point eye aspect ratio had the same weakness).
- head turns: the nose base moves across the line between the eyes (`head_turn`) by at least
  `TURN_MIN`, then comes back. A flat picture skewed in the hand can do this too (the nose lies
  below the eyes), so each turn is checked for depth: points on the face are tracked from a
  frontal frame to the turned one and `parallax_residual` says how far their motion is from one
  homography. Flat pictures, however tilted, skewed or rotated, measured <= 0.021 on the sample
  photos; simulated turns 0.031-0.16 (`bench camera_liveness`); turns below `MIN_PARALLAX` are
  refused as flat. A video replay of a real person turning passes both, and so might a photo bent
  while it is turned (not measured).
- screens and glossy prints: glare (share of saturated pixels on the face) and a moiré score (an
  isolated peak in the high-frequency spectrum of the face, up to the Nyquist frequency, from a
  display's pixel grid).
The thresholds for depth, glare and moiré are set from synthetic pictures (flat warps of the
sample photos, added pixel grids), not from real attack recordings, and the blink and turn
thresholds from simulated ones: a first line, not a certification (ISO/IEC 30107-3 testing would
need real attack instruments and recordings of real people).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from devices.camera.face import DetectedFace
from devices.camera.landmarks import (
    eye_openness,
    head_turn,
    lower_face_sharpness,
    parallax_residual,
)

CHALLENGES = ("blink", "turn_left", "turn_right")

BASELINE_FRAMES = 3
FRONTAL_TOLERANCE = 0.12  # |head_turn - 0.5| for a frontal frame (about 15°)
# closed when the eye openness < 75 % of the person's own open eyes: simulated closures measured
# 0.23-0.49 on the sample photos (with and without glasses), open eyes 0.9-1.1 frontal
CLOSED_RATIO = 0.75
REOPENED_RATIO = 0.85
# frames whose lower face is this much less sharp than at the start are not judged for a blink
# (motion blur of a shaken photo would pass for closing eyes)
BLUR_RATIO = 0.6
TURN_MIN = 0.10  # nose-base shift across the eyes that counts as a turn (about 12°)
MIN_PARALLAX = 0.025  # flat pictures <= 0.021, simulated turns >= 0.031 (see the module doc)
MAX_GLARE = 0.08  # share of face pixels >= 250
MAX_MOIRE = 20.0  # high-band spectral peak over median: sample faces 9-14, gratings 28-110


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
    """Peak-to-median ratio of the spectrum's high band (radius 0.35-1.0 of Nyquist). The band
    includes the Nyquist frequency itself on each axis: a display grid aliased to a 2-pixel period
    lands exactly there (a 4 px grid at 20 %, seen at half size, scored 9 without it, 91 with it;
    faces 9-14)."""
    if min(gray_face.shape) < 32:
        return 0.0
    face = gray_face.astype(np.float32)
    face -= face.mean()
    rows, cols = face.shape
    window = np.outer(np.hanning(rows), np.hanning(cols)).astype(np.float32)
    spectrum = np.abs(np.fft.fftshift(np.fft.fft2(face * window)))
    y, x = np.ogrid[:rows, :cols]
    radius = np.sqrt(((y - rows / 2) / (rows / 2)) ** 2 + ((x - cols / 2) / (cols / 2)) ** 2)
    band = spectrum[(radius > 0.35) & (radius <= 1.0)]
    median = float(np.median(band))
    return float(band.max()) / median if median > 0 else 0.0


@dataclass
class _Baseline:
    openness: float
    turn: float
    sharpness: float
    gray: np.ndarray = field(repr=False)  # a frontal frame, for the parallax of later turns
    face: DetectedFace = field(repr=False)


class LivenessChallenge:
    """Feed it frames with the citizen's face; it says what to ask for and, at the end, whether
    the face was live. Each challenge has `per_challenge_s` seconds. It keeps one grey frontal
    frame (for the depth check) until `release()` or the end of the check."""

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
        self._samples: list[tuple[float, float, float]] = []
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
            self.release()
            return "done"
        points = face.landmarks
        turn = head_turn(points)
        openness = eye_openness(gray, points)
        sharpness = lower_face_sharpness(gray, points, face.box)
        self._measure_presentation(gray, face)
        if self._baseline is None:
            if abs(turn - 0.5) > FRONTAL_TOLERANCE:
                return "look_at_camera"
            self._samples.append((openness, turn, sharpness))
            if len(self._samples) < BASELINE_FRAMES:
                return "look_at_camera"
            medians = np.median(np.array(self._samples), axis=0)
            opening, frontal, sharp = (float(v) for v in medians)
            self._baseline = _Baseline(opening, frontal, sharp, gray.copy(), face)
            self._challenge_started = at
        challenge = self.current
        assert challenge is not None and self._challenge_started is not None
        if at - self._challenge_started > self.per_challenge_s:
            self._failed = "liveness_no_blink" if challenge == "blink" else "liveness_no_turn"
            self.release()
            return "done"
        if challenge == "blink":
            seen = self._saw_blink(openness, turn, sharpness)
        else:
            seen = self._saw_turn(challenge, turn, gray, face)
        if seen:
            self._complete(at)
        if self.finished:
            self.release()
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
        if turns and self._depth < MIN_PARALLAX:
            return LivenessResult(False, "liveness_flat", completed)
        return LivenessResult(True, "", completed)

    def release(self) -> None:
        """Drop the frontal frame kept for the depth check (privacy: pixels live only for the
        step). The measures taken so far stay."""
        if self._baseline is not None:
            self._baseline.gray = np.zeros((0, 0), np.uint8)

    # --- internals ----------------------------------------------------------------------------

    def _complete(self, at: float) -> None:
        current = self.current
        assert current is not None
        self.completed.append(current)
        self._challenge_started = at
        self._eyes_closed = False
        self._turned = False

    def _saw_blink(self, openness: float, turn: float, sharpness: float) -> bool:
        base = self._baseline
        assert base is not None
        if abs(turn - base.turn) >= TURN_MIN / 2:  # a turned eye looks narrower, not closed
            return False
        if sharpness < BLUR_RATIO * base.sharpness:  # blurred all over: moved, not blinked
            return False
        if openness < CLOSED_RATIO * base.openness:
            self._eyes_closed = True
            return False
        return self._eyes_closed and openness >= REOPENED_RATIO * base.openness

    def _saw_turn(self, challenge: str, turn: float, gray: np.ndarray, face: DetectedFace) -> bool:
        base = self._baseline
        assert base is not None
        shift = turn - base.turn
        wanted = shift >= TURN_MIN if challenge == "turn_left" else shift <= -TURN_MIN
        if wanted:
            self._turned = True
            if base.gray.size and self._depth < MIN_PARALLAX:
                depth = parallax_residual(
                    base.gray, base.face.landmarks, inner_box(base.face.box), gray, face.landmarks
                )
                self._depth = max(self._depth, depth)
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


def inner_box(box: tuple[int, int, int, int], margin: float = 0.15) -> tuple[int, int, int, int]:
    """The middle of a face box (eyes, nose, mouth), `margin` of its size in from each side: no
    background, which stays still behind a picture moved in the hand."""
    x, y, w, h = box
    dx, dy = round(w * margin), round(h * margin)
    return (x + dx, y + dy, w - 2 * dx, h - 2 * dy)
