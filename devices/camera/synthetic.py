"""Synthetic camera pictures: the CCCD card with its QR, held in front of the camera, and the
troubles of real frames (blur, tilt, glare, low light, JPEG).

Used by the demo's sample camera, the tests and `bench/camera_qr.py`. Nothing here pretends to be a
real card: the text printed on it is plain ASCII labels and the photo area is grey.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

# docs/domain.md §3: the CCCD 2021 QR text of the synthetic example citizen.
EXAMPLE_QR_TEXT = (
    "001095012345|123456789|Nguyễn Văn An|17031995|Nam|Thôn 1, Xã A, Huyện B, Tỉnh C|20052021"
)
CARD_SIZE_MM = (85.6, 53.98)  # ISO/IEC 7810 ID-1


def demo_qr_text() -> str:
    """The QR text of the card simulator's citizen at the kiosk, else DOMAIN §3's example."""
    try:
        from devices.card.simulator import citizen_at_kiosk
    except ImportError:
        return EXAMPLE_QR_TEXT
    text = getattr(citizen_at_kiosk(), "qr_text", None)
    return text if isinstance(text, str) and text else EXAMPLE_QR_TEXT


def qr_image(text: str, module_px: int = 6, quiet_modules: int = 4) -> np.ndarray:
    """A grey QR code image (black modules on white) of UTF-8 `text`, error correction M."""
    params = cv2.QRCodeEncoder.Params()
    params.correction_level = cv2.QRCODE_ENCODER_CORRECT_LEVEL_M
    modules = cv2.QRCodeEncoder.create(params).encode(text)
    # the encoder already adds a quiet zone; trim it to ours
    dark = np.argwhere(modules == 0)
    (top, left), (bottom, right) = dark.min(axis=0), dark.max(axis=0)
    core = modules[top : bottom + 1, left : right + 1]
    q = quiet_modules
    core = cv2.copyMakeBorder(core, q, q, q, q, cv2.BORDER_CONSTANT, value=255)
    return np.asarray(
        cv2.resize(core, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)
    )


def qr_centre(width: int = 856) -> tuple[float, float]:
    """Where the QR's centre is on `card_image`, as fractions of the card's width and height."""
    height = round(width * CARD_SIZE_MM[1] / CARD_SIZE_MM[0])
    side = int(220 * width / 856)
    margin_x, margin_y = int(30 * width / 856), int(25 * width / 856)
    return ((width - side / 2 - margin_x) / width, (margin_y + side / 2) / height)


def card_image(qr_text: str, width: int = 856) -> np.ndarray:
    """The front of a CCCD-like card (BGR) with the QR at the top right, as on 2021 cards."""
    height = round(width * CARD_SIZE_MM[1] / CARD_SIZE_MM[0])
    card = np.full((height, width, 3), (236, 226, 214), np.uint8)
    cv2.rectangle(card, (0, 0), (width - 1, height - 1), (170, 150, 130), 2)
    scale = width / 856
    cv2.putText(
        card,
        "CAN CUOC CONG DAN",
        (int(250 * scale), int(120 * scale)),
        cv2.FONT_HERSHEY_SIMPLEX,
        1.1 * scale,
        (40, 40, 160),
        2,
        cv2.LINE_AA,
    )
    cv2.rectangle(
        card,
        (int(40 * scale), int(170 * scale)),
        (int(230 * scale), int(420 * scale)),
        (150, 150, 150),
        -1,
    )
    for row in range(5):
        y = int((200 + 45 * row) * scale)
        cv2.line(card, (int(270 * scale), y), (int(560 * scale), y), (90, 90, 90), 3)
    qr = qr_image(qr_text, module_px=4)
    side = int(220 * scale)
    qr = cv2.resize(qr, (side, side), interpolation=cv2.INTER_AREA)
    x, y = width - side - int(30 * scale), int(25 * scale)
    card[y : y + side, x : x + side] = cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR)
    return card


@dataclass(frozen=True)
class Pose:
    """How the card is held: size in the frame, rotation, perspective tilt and offset."""

    width_fraction: float = 0.8  # card width / frame width
    rotate_deg: float = 0.0
    tilt: float = 0.0  # -0.3..0.3: one side further away
    shift: tuple[float, float] = (0.0, 0.0)  # fraction of the frame
    anchor: tuple[float, float] = (0.5, 0.5)  # point of the picture put at the frame centre


def place(
    picture: np.ndarray,
    pose: Pose,
    frame_size: tuple[int, int] = (640, 480),
    background: tuple[int, int, int] = (90, 100, 110),
) -> np.ndarray:
    """`picture` warped into a frame as if held in front of the camera."""
    frame_w, frame_h = frame_size
    h, w = picture.shape[:2]
    target_w = frame_w * pose.width_fraction
    target_h = target_w * h / w
    cx = frame_w / 2 + pose.shift[0] * frame_w
    cy = frame_h / 2 + pose.shift[1] * frame_h
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float64) - pose.anchor
    half = unit * [target_w, target_h]
    # tilt: the right edge shrinks (further away) for positive tilt
    half[[1, 2], 1] *= 1 - pose.tilt
    half[[0, 3], 1] *= 1 + pose.tilt
    angle = np.deg2rad(pose.rotate_deg)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = (half @ rotation.T + [cx, cy]).astype(np.float32)
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners)
    frame = np.empty((frame_h, frame_w, 3), np.uint8)
    frame[:] = background
    return cv2.warpPerspective(
        picture, matrix, (frame_w, frame_h), dst=frame, borderMode=cv2.BORDER_TRANSPARENT
    )


# --- the troubles of real frames ---------------------------------------------------------------


def gaussian_blur(frame: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(frame, (0, 0), sigma)


def motion_blur(frame: np.ndarray, length: int, angle_deg: float = 0.0) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0 / length
    centre = (length / 2 - 0.5, length / 2 - 0.5)
    rotation = cv2.getRotationMatrix2D(centre, angle_deg, 1.0)
    rotated = np.asarray(cv2.warpAffine(kernel, rotation, (length, length)), np.float32)
    rotated /= max(float(rotated.sum()), 1e-6)
    return cv2.filter2D(frame, -1, rotated)


def glare(
    frame: np.ndarray, centre: tuple[float, float], radius: float, strength: float
) -> np.ndarray:
    """A bright specular blob (laminated card under a ceiling light)."""
    h, w = frame.shape[:2]
    y, x = np.ogrid[:h, :w]
    d2 = (x - centre[0] * w) ** 2 + (y - centre[1] * h) ** 2
    blob = strength * np.exp(-d2 / (2 * (radius * w) ** 2))
    out = frame.astype(np.float32) + blob[..., None] * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


def low_light(
    frame: np.ndarray, gain: float, noise_sigma: float, rng: np.random.Generator
) -> np.ndarray:
    out = frame.astype(np.float32) * gain + rng.normal(0, noise_sigma, frame.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def jpeg(frame: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR))


CONDITIONS = ("clean", "small", "tilt", "blur", "motion", "glare", "low_light", "combined")


def qr_frames(text: str, count: int, seed: int = 4) -> Iterator[tuple[str, np.ndarray]]:
    """`count` frames of a card showing `text`, cycling through `CONDITIONS` with random
    strengths (seeded, so every run sees the same frames)."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    card = card_image(text)
    anchor = qr_centre()
    for index in range(count):
        condition = CONDITIONS[index % len(CONDITIONS)]
        # as the kiosk asks: the QR inside the guide square, the card partly out of view
        pose = Pose(
            width_fraction=rng.uniform(1.3, 1.8),
            rotate_deg=rng.uniform(-8, 8),
            tilt=rng.uniform(-0.05, 0.05),
            shift=(rng.uniform(-0.08, 0.08), rng.uniform(-0.08, 0.08)),
            anchor=anchor,
        )
        if condition == "small":  # the whole card in view, held at arm's length
            pose = replace(pose, width_fraction=rng.uniform(0.75, 0.95), anchor=(0.5, 0.5))
        if condition in ("tilt", "combined"):
            pose = replace(pose, rotate_deg=rng.uniform(-25, 25), tilt=rng.uniform(-0.25, 0.25))
        frame = place(card, pose)
        if condition in ("blur", "combined"):
            frame = gaussian_blur(frame, rng.uniform(1.0, 2.0))
        if condition == "motion":
            frame = motion_blur(frame, rng.randint(5, 9), rng.uniform(0, 180))
        if condition in ("glare", "combined"):
            frame = glare(
                frame,
                (rng.uniform(0.55, 0.8), rng.uniform(0.2, 0.45)),
                rng.uniform(0.04, 0.08),
                rng.uniform(0.5, 0.9),
            )
        if condition in ("low_light", "combined"):
            frame = low_light(frame, rng.uniform(0.15, 0.3), rng.uniform(2, 5), noise)
        yield condition, jpeg(frame, 85)
