"""The demo's camera: synthetic scenes played as frames, with a simulated citizen who follows the
kiosk's instructions.

- `qr`: the demo citizen's CCCD held up with its QR in the guide square (hand jitter);
- `face`: a sample photograph of the demo citizen on a plain background; when the kiosk asks for a
  blink or a head turn (`hear`), the picture is edited: the eyes are painted over with the skin
  colour below them (a closed lid), or the face is turned as a rough 3-D shape (a paraboloid with
  a nose: the nose moves across the eyes and the far cheek narrows, as in a turn);
- `document`: a white page with lines of text lying at a slant on a dark desk.

What the simulated liveness proves: that the challenge logic, the landmark measures and the
guidance loop work end to end and respond to the changes they are meant to see. It does not prove
that a real person's blink or turn is detected at these thresholds (that needs recordings of real
people), and the face edits are exactly the kind of thing a replay attack could do.
"""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np

from devices.camera.landmarks import (
    LEFT_EYE_OUTER,
    NOSE_BASE,
    RIGHT_EYE_OUTER,
    eyes,
    five_points,
)
from devices.camera.synthetic import Pose, card_image, demo_qr_text, place, qr_centre

FACES_DIR = Path(__file__).resolve().parents[2] / "assets" / "faces"
DEMO_FACE = "obama.jpg"
FRAME_SIZE = (640, 480)

BLINK_FRAMES = (0.5, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0)
TURN_AMOUNT = 0.42  # sine of the head's turn (25°)
TURN_FRAMES = (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3, 0.0, 0.0)
REACTION_FRAMES = 3  # a person needs a moment to react to an instruction
NOISE_PATTERNS = 5


def demo_face_photo() -> Path:
    """The demo citizen's face: the photo of the card simulator's first citizen (the one the demo
    reads), else `DEMO_FACE`."""
    try:
        from devices.card.simulator import demo_citizens
    except ImportError:
        return FACES_DIR / DEMO_FACE
    name = getattr(demo_citizens()[0], "photo", DEMO_FACE)
    return FACES_DIR / (name if isinstance(name, str) else DEMO_FACE)


def portrait_frame(photo: np.ndarray, size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    """A photo scaled to the frame height and centred on a plain wall colour."""
    width, height = size
    scale = height / photo.shape[0]
    scaled = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    frame = np.full((height, width, 3), (178, 186, 190), np.uint8)
    if scaled.shape[1] >= width:
        left = (scaled.shape[1] - width) // 2
        frame[:] = scaled[:, left : left + width]
    else:
        left = (width - scaled.shape[1]) // 2
        frame[:, left : left + scaled.shape[1]] = scaled
    return frame


FACE_WIDTH_PER_EYE_SPAN = 1.7  # jaw-to-jaw width over outer-eye-corner span (sample photos)
NOSE_TIP_ABOVE_BASE = 0.15  # nose tip above the nose base, in outer-eye-corner spans
NOSE_DEPTH = 0.3  # how far the nose stands out of the face, in outer-eye-corner spans
NOSE_WIDTH = 0.12  # spread of the nose's bump, in outer-eye-corner spans


def close_eyes(frame: np.ndarray, points: np.ndarray, amount: float) -> np.ndarray:
    """Paint both eyes over with the skin just below them (`amount` 0 open .. 1 closed). The eye
    is the lens between its two corners (5- or 68-point landmarks), about 0.55 eye widths high."""
    if amount <= 0:
        return frame
    out = frame.astype(np.float32)
    for outer, inner in eyes(points):
        centre = (outer + inner) / 2
        width = float(np.linalg.norm(inner - outer))
        angle = float(np.degrees(np.arctan2(inner[1] - outer[1], inner[0] - outer[0])))
        below = np.zeros(frame.shape[:2], np.uint8)
        cv2.ellipse(
            below,
            (int(centre[0]), int(centre[1] + width * 0.42)),
            (int(width * 0.35), max(1, int(width * 0.07))),
            0,
            0,
            360,
            255,
            -1,
        )
        skin = np.median(frame[below > 0], axis=0).astype(np.float32)
        mask = np.zeros(frame.shape[:2], np.uint8)
        cv2.ellipse(
            mask,
            (int(centre[0]), int(centre[1] - width * 0.03)),
            (int(width * 0.6), max(2, int(width * 0.28))),
            angle,
            0,
            360,
            255,
            -1,
        )
        weight = cv2.GaussianBlur(mask, (0, 0), max(1.0, width * 0.08)).astype(np.float32)
        weight = weight / 255.0 * amount
        out = out * (1 - weight[..., None]) + skin * weight[..., None]
        if amount > 0.8:  # the lash line of a closed lid: a shallow arc between the corners
            along = np.linspace(0.0, 1.0, 7)[:, None]
            sag = (np.sin(np.pi * along) * width * 0.1) * np.array([0.0, 1.0])
            lid = outer + (inner - outer) * along + sag
            cv2.polylines(
                out,
                [lid.astype(np.int32)],
                False,
                tuple(float(v) for v in skin * 0.55),
                1,
                cv2.LINE_AA,
            )
    return np.clip(out, 0, 255).astype(np.uint8)


def turn_face(frame: np.ndarray, points: np.ndarray, amount: float) -> np.ndarray:
    """The face turned about a vertical axis by the angle whose sine is `amount` (positive: the
    nose toward the right of the image). The face is given a depth: a paraboloid as wide as the
    face, with the nose standing out of it; each point moves sideways by depth x sine, so the nose
    moves across the eyes and the far cheek is compressed, as in a real turn (no occlusion)."""
    if amount == 0:
        return frame
    h, w = frame.shape[:2]
    p = five_points(points)
    span = float(np.linalg.norm(p[LEFT_EYE_OUTER] - p[RIGHT_EYE_OUTER]))
    centre_x = float(p[LEFT_EYE_OUTER, 0] + p[RIGHT_EYE_OUTER, 0]) / 2
    tip = p[NOSE_BASE] - np.array([0.0, NOSE_TIP_ABOVE_BASE * span])
    half_width = FACE_WIDTH_PER_EYE_SPAN * span / 2
    half_height = 1.35 * half_width
    centre_y = float(tip[1])
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (x - centre_x) / half_width, (y - centre_y) / half_height
    depth = half_width * np.clip(1 - u**2 - v**2, 0, None)
    nose_sigma = NOSE_WIDTH * span
    depth += (
        NOSE_DEPTH
        * span
        * np.exp(-((x - tip[0]) ** 2 + ((y - tip[1]) / 1.8) ** 2) / (2 * nose_sigma**2))
    )
    cosine = float(np.sqrt(max(0.0, 1 - amount**2)))
    shift = amount * depth - (1 - cosine) * (x - centre_x) * (depth > 0)
    map_x = (x - shift).astype(np.float32)
    return cv2.remap(frame, map_x, y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def wear_glasses(frame: np.ndarray, points: np.ndarray, *, glare: bool = False) -> np.ndarray:
    """Draw dark-rimmed glasses (oval lenses about 1.9 x 1.4 eye widths and a bridge) on the face,
    optionally with a bright reflection on each lens: for testing the blink measure."""
    out = frame.copy()
    (right_outer, right_inner), (left_outer, left_inner) = eyes(points)
    width = float(np.linalg.norm(right_inner - right_outer))
    thickness = max(2, round(width * 0.12))
    for outer, inner in ((right_outer, right_inner), (left_outer, left_inner)):
        centre = (outer + inner) / 2
        cv2.ellipse(
            out,
            (int(centre[0]), int(centre[1] + 0.05 * width)),
            (int(0.95 * width), int(0.68 * width)),
            0,
            0,
            360,
            (25, 25, 25),
            thickness,
            cv2.LINE_AA,
        )
        if glare:
            cv2.ellipse(
                out,
                (int(centre[0] + 0.3 * width), int(centre[1] - 0.35 * width)),
                (int(0.25 * width), max(1, int(0.1 * width))),
                -20,
                0,
                360,
                (245, 245, 245),
                -1,
                cv2.LINE_AA,
            )
    start = right_inner + (right_inner - right_outer) * 0.2
    end = left_inner + (left_inner - left_outer) * 0.2
    cv2.line(
        out, (int(start[0]), int(start[1])), (int(end[0]), int(end[1])), (25, 25, 25), thickness
    )
    return out


class SampleCamera:
    """A `FrameSource` (and `Listener`) playing the demo scene for `purpose`."""

    def __init__(
        self,
        purpose: str = "face",
        *,
        seed: int = 7,
        photo: Path | None = None,
        glasses: bool = False,
    ) -> None:
        self.purpose = purpose if purpose in ("face", "qr", "document") else "face"
        self.name = f"sample camera ({self.purpose})"
        self.fps = 15.0
        self._photo_path = photo or demo_face_photo()
        self._glasses = glasses
        self._rng = random.Random(seed)
        self._noise = np.random.default_rng(seed)
        self._base: np.ndarray | None = None
        self._points: np.ndarray | None = None
        self._action: tuple[str, int] | None = None  # (instruction, frame number it started at)
        self._last_done: tuple[str, int] = ("", -1000)
        self._number = 0
        self._open = False
        self._noise_patterns: list[np.ndarray] = []

    def open(self) -> None:
        if self.purpose == "face":
            from devices.camera.face import DlibFaceModel
            from devices.camera.sources import read_image

            self._base = portrait_frame(read_image(self._photo_path))
            faces = DlibFaceModel().detect(self._base)
            self._points = faces[0].landmarks if faces else None
            if self._glasses and self._points is not None:
                self._base = wear_glasses(self._base, self._points, glare=True)
        elif self.purpose == "qr":
            self._base = card_image(demo_qr_text())
        else:
            self._base = document_page()
        self._number = 0
        self._open = True

    def close(self) -> None:
        self._open = False
        self._base = None
        self._points = None

    def hear(self, instruction: str) -> None:
        """The simulated citizen reacts to `blink`, `turn_left` and `turn_right`."""
        if instruction not in ("blink", "turn_left", "turn_right") or self._action is not None:
            return
        done, at = self._last_done
        if instruction == done and self._number - at < 2 * len(TURN_FRAMES):
            return
        self._action = (instruction, self._number + REACTION_FRAMES)

    def read(self) -> np.ndarray | None:
        if not self._open or self._base is None:
            return None
        number = self._number
        self._number += 1
        if self.purpose == "qr":
            return self._card_frame()
        if self.purpose == "document":
            return self._document_frame(number)
        return self._face_frame(number)

    # --- scenes -------------------------------------------------------------------------------

    def _face_frame(self, number: int) -> np.ndarray:
        assert self._base is not None
        frame = self._base
        if self._points is not None and self._action is not None:
            instruction, start = self._action
            step = number - start
            script = BLINK_FRAMES if instruction == "blink" else TURN_FRAMES
            if step >= len(script):
                self._last_done = (instruction, number)
                self._action = None
            elif step >= 0:
                if instruction == "blink":
                    frame = close_eyes(frame, self._points, script[step])
                else:
                    sign = 1.0 if instruction == "turn_left" else -1.0
                    frame = turn_face(frame, self._points, sign * TURN_AMOUNT * script[step])
        return self._sensor_noise(frame)

    def _card_frame(self) -> np.ndarray:
        assert self._base is not None
        pose = Pose(
            width_fraction=1.5 + self._rng.uniform(-0.02, 0.02),
            rotate_deg=4 + self._rng.uniform(-1.5, 1.5),
            tilt=0.03,
            shift=(self._rng.uniform(-0.01, 0.01), self._rng.uniform(-0.01, 0.01)),
            anchor=qr_centre(),
        )
        return self._sensor_noise(place(self._base, pose))

    def _document_frame(self, number: int) -> np.ndarray:
        assert self._base is not None
        settling = max(0.0, 1.0 - number / 10)  # the page is being put down, then lies still
        pose = Pose(
            width_fraction=0.4,
            rotate_deg=-7 + 6 * settling,
            tilt=0.12,
            shift=(0.02 + 0.3 * settling, 0.0),
        )
        return self._sensor_noise(place(self._base, pose, background=(55, 60, 70)))

    def _sensor_noise(self, frame: np.ndarray) -> np.ndarray:
        """Frame plus one of a few precomputed sensor-noise patterns (cheap at 15 fps)."""
        if not self._noise_patterns or self._noise_patterns[0].shape != frame.shape:
            self._noise_patterns = [
                np.round(self._noise.normal(0, 1.5, frame.shape)).astype(np.int16)
                for _ in range(NOISE_PATTERNS)
            ]
        noise = self._noise_patterns[self._number % NOISE_PATTERNS]
        return np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def document_page(width: int = 840) -> np.ndarray:
    """A white A4 page with a title and lines of 'text' (for document-capture demos and tests)."""
    height = round(width * 297 / 210)
    page = np.full((height, width, 3), 245, np.uint8)
    scale = width / 840
    cv2.putText(
        page,
        "DON DE NGHI",
        (int(300 * scale), int(110 * scale)),
        cv2.FONT_HERSHEY_SIMPLEX,
        1.4 * scale,
        (20, 20, 20),
        3,
        cv2.LINE_AA,
    )
    rng = random.Random(3)
    y = int(200 * scale)
    while y < height - int(120 * scale):
        words_end = int(80 * scale)
        while words_end < width - int(160 * scale):
            length = int(rng.uniform(30, 110) * scale)
            thickness = max(2, int(6 * scale))
            cv2.line(page, (words_end, y), (words_end + length, y), (40, 40, 40), thickness)
            words_end += length + int(18 * scale)
        y += int(rng.choice((42, 42, 42, 84)) * scale)
    return page
