"""One face check: the person at the camera against the chip photo, with the liveness challenge.

Feed frames to `FaceCheck.process`; each returns what to tell the citizen (a guidance key), how far
the check has come, and whether a second face (an onlooker) is in view. The check is over when the
liveness challenge finished (or failed) and enough frontal frames were embedded: a few before the
challenge and one after it, so the face that did the challenge is the face that was matched.
`release()` drops the chip photo's embedding and every embedding taken (call it at the end of the
step); nothing here is written to disk or logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from devices.camera.face import DetectedFace, FaceModel, only_face
from devices.camera.landmarks import head_turn
from devices.camera.liveness import FRONTAL_TOLERANCE, LivenessChallenge
from devices.camera.quality import measure_quality, to_gray

log = logging.getLogger(__name__)

MIN_FACE_WIDTH = 90  # px at 640x480: closer than ~0.9 m with a 60° webcam (turned faces shrink)
MAX_FACE_WIDTH = 420  # px: too close, the face leaves the frame when turning
ONLOOKER_MIN_WIDTH = 40  # smaller faces far behind are not treated as people looking on
ONLOOKER_SCAN_EVERY = 5  # frames between detections that also find small faces (~90 ms each)
FRAMES_BEFORE = 2  # embeddings taken before the challenge
EMBED_EVERY = 3  # frames between embeddings


@dataclass(frozen=True)
class FrameVerdict:
    guidance: str  # key for the citizen text / voice: move_closer, blink, ...
    fraction: float  # 0..1 progress of the whole check
    onlooker: bool = False  # another face is in view: hide personal data
    done: bool = False


@dataclass(frozen=True)
class CheckOutcome:
    match: bool
    score: float
    threshold: float
    live: bool
    reason: str = ""  # error-catalogue code when not matched or not live
    scores: tuple[float, ...] = field(default=(), repr=False)


class FaceCheck:
    def __init__(
        self,
        model: FaceModel,
        chip_photo: np.ndarray,
        challenge: LivenessChallenge,
        *,
        frames_before: int = FRAMES_BEFORE,
    ) -> None:
        """Raises `NoFaceFound` / `SeveralFaces` if the chip photo is not one clear face."""
        self.model = model
        self.challenge = challenge
        self.frames_before = frames_before
        face = only_face(model, chip_photo, thorough=True)
        self._reference: np.ndarray | None = model.embed(chip_photo, face)
        self._before: list[np.ndarray] = []
        self._after: np.ndarray | None = None
        self._frames = 0
        self._last_embedded = -EMBED_EVERY
        self.onlooker_seen = False
        self._onlooker = False

    # --- per frame ----------------------------------------------------------------------------

    def process(self, frame: np.ndarray, at: float) -> FrameVerdict:
        self._frames += 1
        if self.done:
            return FrameVerdict("done", 1.0, done=True)
        # every few frames, a slower look that also finds small faces further back (onlookers);
        # what it saw holds until the next such look
        thorough = self._frames % ONLOOKER_SCAN_EVERY == 1
        faces = self.model.detect(frame, thorough=thorough)
        quality = measure_quality(frame)
        if not faces:
            return self._verdict("too_dark" if quality.too_dark else "look_at_camera")
        citizen, onlooker_here = self._citizen(faces)
        if thorough or onlooker_here:
            self._onlooker = onlooker_here
        onlooker = self._onlooker
        if citizen is None:
            return self._verdict("one_person_only", onlooker=True)
        self.onlooker_seen |= onlooker
        face_quality = measure_quality(frame, citizen.box)
        gate = self._gate(
            citizen, face_quality.too_dark, face_quality.too_bright, face_quality.blurred
        )
        if gate:
            return self._verdict(gate, onlooker=onlooker)
        gray = to_gray(frame)
        frontal = abs(head_turn(citizen.landmarks) - 0.5) <= FRONTAL_TOLERANCE
        if frontal and len(self._before) < self.frames_before:
            self._embed_into_before(frame, citizen)
            return self._verdict("look_at_camera", onlooker=onlooker)
        key = self.challenge.update(gray, citizen, at)
        due = self._frames - self._last_embedded >= EMBED_EVERY
        if self.challenge.finished and self._after is None and frontal and due:
            self._after = self.model.embed(frame, citizen)
            self._last_embedded = self._frames
        if self.done:
            return FrameVerdict("done", 1.0, onlooker=onlooker, done=True)
        if key == "done":
            key = "look_at_camera"
        return self._verdict(key, onlooker=onlooker)

    @property
    def done(self) -> bool:
        if not self.challenge.finished:
            return False
        live = self.challenge.result().live
        return not live or self._after is not None

    def outcome(self) -> CheckOutcome:
        """The result so far (call once `done`, or at a timeout)."""
        threshold = self.model.threshold
        reference = self._reference
        embeddings = self._embeddings() if reference is not None else []
        scores = tuple(self.model.score(e, reference) for e in embeddings if reference is not None)
        score = float(np.median(scores)) if scores else 0.0
        liveness = self.challenge.result()
        match = bool(scores) and score >= threshold
        reason = ""
        if not scores:
            reason = "face_not_found"
        elif self._changed_person():
            match, reason = False, "face_changed"
        elif not match:
            reason = "face_mismatch"
        if not liveness.live:
            reason = reason or liveness.reason
            if match:
                reason = liveness.reason
        return CheckOutcome(match, score, threshold, liveness.live, reason, scores)

    def release(self) -> None:
        """Drop every embedding (privacy: biometrics live only for the step)."""
        for vector in [self._reference, self._after, *self._before]:
            if vector is not None:
                vector.fill(0.0)
        self._reference = None
        self._after = None
        self._before = []
        self.challenge.release()

    # --- internals ----------------------------------------------------------------------------

    def _embeddings(self) -> list[np.ndarray]:
        if self._reference is None:
            return []
        return [*self._before, *([self._after] if self._after is not None else [])]

    def _changed_person(self) -> bool:
        if self._after is None or not self._before:
            return False
        return self.model.score(self._before[0], self._after) < self.model.threshold

    def _embed_into_before(self, frame: np.ndarray, face: DetectedFace) -> None:
        if self._frames - self._last_embedded < EMBED_EVERY and self._before:
            return
        self._before.append(self.model.embed(frame, face))
        self._last_embedded = self._frames

    def _citizen(self, faces: list[DetectedFace]) -> tuple[DetectedFace | None, bool]:
        """The citizen is the largest face, if clearly larger than any other; others count as
        onlookers when big enough to be near."""
        others = [f for f in faces[1:] if f.width >= ONLOOKER_MIN_WIDTH]
        if not others:
            return faces[0], False
        if faces[0].area >= 2 * others[0].area:
            return faces[0], True
        return None, True

    @staticmethod
    def _gate(face: DetectedFace, dark: bool, bright: bool, blurred: bool) -> str:
        if face.width < MIN_FACE_WIDTH:
            return "move_closer"
        if face.width > MAX_FACE_WIDTH:
            return "move_back"
        if dark:
            return "too_dark"
        if bright:
            return "too_bright"
        if blurred:
            return "hold_still"
        return ""

    def _verdict(self, key: str, *, onlooker: bool = False) -> FrameVerdict:
        embedded = min(len(self._before), self.frames_before)
        embedded += 1 if self._after is not None else 0
        total = self.frames_before + 1 + len(self.challenge.order)
        fraction = (embedded + len(self.challenge.completed)) / total
        return FrameVerdict(key, min(fraction, 0.99), onlooker=onlooker)
