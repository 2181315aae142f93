import random

import cv2
import numpy as np

from devices.camera.face import DetectedFace
from devices.camera.liveness import CHALLENGES, LivenessChallenge, moire_score
from devices.camera.sample_scenes import turn_face
from tests.devices.camera.landmark_faces import box, crude_image, crude_points, sheared, to_bgr

OPEN = crude_image(eyes_open=True)
CLOSED = crude_image(eyes_open=False)
FRONTAL = crude_points()


def _feed(challenge: LivenessChallenge, frames, start=0.0, step=0.1) -> list[str]:
    """`frames`: (grey image, 5 points) pairs."""
    keys = []
    for index, (gray, points) in enumerate(frames):
        keys.append(challenge.update(gray, DetectedFace(box(), points), start + index * step))
    return keys


def _frontal(count: int = 3, image: np.ndarray = OPEN):
    return [(image, FRONTAL)] * count


def _turned(amount: float, nose_x: float) -> tuple[np.ndarray, np.ndarray]:
    """The crude face turned in depth (the nose toward the image right for amount > 0)."""
    gray = cv2.cvtColor(turn_face(to_bgr(OPEN), FRONTAL, amount), cv2.COLOR_BGR2GRAY)
    return gray, crude_points(nose_x=nose_x)


def test_challenges_come_in_random_order_and_cover_blink_and_both_turns():
    orders = {LivenessChallenge(rng=random.Random(seed)).order for seed in range(20)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(CHALLENGES) for order in orders)


def test_person_who_blinks_and_turns_both_ways_in_depth_is_live():
    challenge = LivenessChallenge(order=("blink", "turn_left", "turn_right"))
    blink = [(CLOSED, FRONTAL), (OPEN, FRONTAL)]
    own_left = [_turned(0.42, 116), (OPEN, FRONTAL)]  # nose toward the image's right
    own_right = [_turned(-0.42, 84), (OPEN, FRONTAL)]
    keys = _feed(challenge, [*_frontal(), *blink, *own_left, *own_right])
    expected = ["look_at_camera"] * 2 + ["blink"] * 2 + ["turn_left"] * 2 + ["turn_right"] * 2
    assert keys == [*expected, "done"]
    assert challenge.result().live


def test_the_challenge_waits_for_a_frontal_face_before_it_starts():
    challenge = LivenessChallenge(order=("blink",))
    assert _feed(challenge, [(OPEN, crude_points(nose_x=130))] * 5) == ["look_at_camera"] * 5
    assert challenge.completed == []


def test_photo_that_never_blinks_fails_for_no_blink():
    challenge = LivenessChallenge(order=("blink",), per_challenge_s=2.0)
    _feed(challenge, _frontal(40), step=0.1)
    result = challenge.result()
    assert not result.live and result.reason == "liveness_no_blink"


def test_a_still_photo_shaken_into_blur_and_back_is_not_a_blink():
    blurred = cv2.GaussianBlur(OPEN, (0, 0), 2.5)
    challenge = LivenessChallenge(order=("blink",), per_challenge_s=2.0)
    _feed(challenge, [*_frontal(), *[(blurred, FRONTAL), (OPEN, FRONTAL)] * 12])
    assert challenge.result().reason == "liveness_no_blink"


def test_eyes_that_close_but_never_open_again_are_not_a_blink():
    challenge = LivenessChallenge(order=("blink",), per_challenge_s=2.0)
    _feed(challenge, [*_frontal(), *[(CLOSED, FRONTAL)] * 30])
    assert challenge.result().reason == "liveness_no_blink"


def test_turning_the_wrong_way_does_not_count_as_the_asked_turn():
    challenge = LivenessChallenge(order=("turn_left",), per_challenge_s=2.0)
    _feed(challenge, [*_frontal(), *[_turned(-0.42, 84), (OPEN, FRONTAL)] * 12])
    assert challenge.completed == []
    assert challenge.result().reason == "liveness_no_turn"


def test_flat_picture_skewed_in_the_hand_fails_the_depth_check():
    challenge = LivenessChallenge(order=("turn_left",))
    _feed(challenge, [*_frontal(), sheared(OPEN, FRONTAL, 0.4), (OPEN, FRONTAL)])
    assert challenge.completed == ["turn_left"]  # the nose did move across the eyes ...
    result = challenge.result()
    assert not result.live and result.reason == "liveness_flat"  # ... but without depth


def test_the_frontal_frame_kept_for_the_depth_check_is_dropped_at_the_end():
    challenge = LivenessChallenge(order=("blink",))
    _feed(challenge, [*_frontal(), (CLOSED, FRONTAL), (OPEN, FRONTAL)])
    assert challenge.finished
    assert challenge._baseline is not None and challenge._baseline.gray.size == 0


def test_glare_over_the_face_fails_as_a_glossy_picture():
    glaring, closed = OPEN.copy(), CLOSED.copy()
    glaring[120:210, 30:170] = closed[120:210, 30:170] = 255  # below the eyes, which still show
    challenge = LivenessChallenge(order=("blink",))
    _feed(challenge, [*_frontal(image=glaring), (closed, FRONTAL), (glaring, FRONTAL)])
    assert challenge.finished
    assert challenge.result().reason == "liveness_glare"


def _grid(image: np.ndarray, period: int, depth: float) -> np.ndarray:
    rows, cols = np.indices(image.shape)
    lines = (rows % period == 0) | (cols % period == 0)
    return np.where(lines, image * (1 - depth), image).astype(np.uint8)


def test_display_pixel_grid_on_the_face_fails_as_a_screen():
    challenge = LivenessChallenge(order=("blink",))
    frames = [(_grid(OPEN, 3, 0.4), FRONTAL)] * 3 + [(_grid(CLOSED, 3, 0.4), FRONTAL)]
    _feed(challenge, [*frames, (_grid(OPEN, 3, 0.4), FRONTAL)])
    assert challenge.finished
    assert challenge.result().reason == "liveness_screen"


def test_moire_score_of_a_grid_is_far_above_that_of_smooth_shading():
    rows, cols = np.indices((128, 128))
    smooth = 100 + 50 * np.sin(rows / 20) + np.random.default_rng(1).normal(0, 2, rows.shape)
    grid = smooth + 40 * ((cols % 3) == 0)
    assert moire_score(grid.astype(np.uint8)) > 3 * moire_score(smooth.astype(np.uint8))


def test_moire_score_sees_a_grid_aliased_to_the_nyquist_frequency():
    rows, cols = np.indices((128, 128))
    smooth = 100 + 50 * np.sin(rows / 20) + np.random.default_rng(1).normal(0, 2, rows.shape)
    grid = smooth - 20 * ((cols % 2) == 0)  # a 2 px period: exactly half the sampling rate
    assert moire_score(grid.astype(np.uint8)) > 3 * moire_score(smooth.astype(np.uint8))
