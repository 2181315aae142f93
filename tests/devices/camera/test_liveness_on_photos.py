"""The 5-point liveness measures on the real sample photographs (assets/faces), with synthetic eye
closure, glasses, head turns and flat-picture warps."""

import functools

import cv2
import numpy as np
import pytest

from devices.camera.face import DetectedFace
from devices.camera.landmarks import eye_openness, head_turn, parallax_residual
from devices.camera.liveness import (
    CLOSED_RATIO,
    MIN_PARALLAX,
    TURN_MIN,
    LivenessChallenge,
    inner_box,
)
from devices.camera.quality import to_gray
from devices.camera.sample_scenes import close_eyes, portrait_frame, turn_face, wear_glasses
from tests.devices.camera.conftest import face_photo

PHOTOS = ("obama.jpg", "obama2.jpg", "biden.jpg")


@functools.cache
def _portrait(name: str) -> np.ndarray:
    photo = face_photo(name)
    if name == "biden.jpg":  # a full-length photo: its top half, so the face is big enough
        photo = photo[: photo.shape[0] // 2]
    return portrait_frame(photo)


def _noisy(frame: np.ndarray, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, 1.5, frame.shape)
    return np.clip(frame + noise, 0, 255).astype(np.uint8)


def _face(model, frame: np.ndarray) -> DetectedFace:
    faces = model.detect(frame)
    assert faces, "face lost"
    return faces[0]


def _openness(model, frame: np.ndarray) -> float:
    return eye_openness(to_gray(frame), _face(model, frame).landmarks)


@pytest.mark.parametrize("glasses", [False, True], ids=["bare", "glasses"])
@pytest.mark.parametrize("name", PHOTOS)
def test_synthetic_eye_closure_reads_as_closed(face_model, name, glasses):
    frame = _portrait(name)
    points = _face(face_model, frame).landmarks
    if glasses:
        frame = wear_glasses(frame, points, glare=True)
    closed = close_eyes(frame, points, 1.0)
    assert _openness(face_model, closed) < CLOSED_RATIO * _openness(face_model, frame)


def test_still_photo_with_sensor_noise_never_blinks(face_model):
    frame = _portrait("obama.jpg")
    challenge = LivenessChallenge(order=("blink",), per_challenge_s=1.0)
    for number in range(16):
        still = _noisy(frame, number)
        challenge.update(to_gray(still), _face(face_model, still), number / 10)
    assert challenge.result().reason == "liveness_no_blink"


@pytest.mark.parametrize("name", PHOTOS)
@pytest.mark.parametrize("sine", [0.25, -0.25])
def test_turn_moves_the_head_turn_measure_the_way_the_nose_goes(face_model, name, sine):
    frame = _portrait(name)
    frontal = _face(face_model, frame).landmarks
    turned = _face(face_model, turn_face(frame, frontal, sine)).landmarks
    assert np.sign(head_turn(turned) - head_turn(frontal)) == np.sign(sine)


@pytest.mark.parametrize("sine", [0.42, -0.42])
def test_demo_citizens_turn_reaches_the_turn_threshold(face_model, sine):
    frame = _portrait("obama.jpg")
    frontal = _face(face_model, frame).landmarks
    turned = _face(face_model, turn_face(frame, frontal, sine)).landmarks
    assert abs(head_turn(turned) - head_turn(frontal)) >= TURN_MIN


def _skew(frame: np.ndarray, amount: float) -> np.ndarray:
    h, w = frame.shape[:2]
    matrix = np.array([[1.0, amount, -amount * h / 2], [0.0, 1.0, 0.0]], np.float32)
    return cv2.warpAffine(frame, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _tilt(frame: np.ndarray, k: float) -> np.ndarray:
    h, w = frame.shape[:2]
    d = k * h / 2
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    target = np.array([[0, 0], [w, d], [w, h - d], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    return cv2.warpPerspective(frame, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _parallax(model, frame: np.ndarray, moved: np.ndarray) -> float:
    face, now = _face(model, frame), _face(model, moved)
    return parallax_residual(
        to_gray(frame), face.landmarks, inner_box(face.box), to_gray(moved), now.landmarks
    )


@pytest.mark.parametrize("name", PHOTOS)
def test_flat_picture_skewed_or_tilted_shows_no_parallax(face_model, name):
    frame = _portrait(name)
    for moved in (_skew(frame, 0.3), _tilt(frame, 0.3)):
        assert _parallax(face_model, frame, _noisy(moved, 1)) < MIN_PARALLAX


@pytest.mark.parametrize("name", PHOTOS)
def test_face_turned_in_depth_shows_parallax(face_model, name):
    frame = _portrait(name)
    points = _face(face_model, frame).landmarks
    turned = _noisy(turn_face(frame, points, 0.42), 1)
    assert _parallax(face_model, frame, turned) > MIN_PARALLAX
