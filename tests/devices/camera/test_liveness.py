import random

import numpy as np

from devices.camera.face import DetectedFace
from devices.camera.liveness import CHALLENGES, LivenessChallenge, moire_score
from tests.devices.camera.landmark_faces import crude_face, sheared

GRAY = np.full((240, 200), 120, np.uint8)  # uniform: eye contrast stays 0, EAR decides blinks
BOX = (40, 60, 120, 100)


def _feed(challenge: LivenessChallenge, faces, gray=GRAY, start=0.0, step=0.1) -> list[str]:
    keys = []
    for index, points in enumerate(faces):
        keys.append(challenge.update(gray, DetectedFace(BOX, points), start + index * step))
    return keys


def _frontal(count: int = 3):
    return [crude_face() for _ in range(count)]


def test_challenges_come_in_random_order_and_cover_blink_and_both_turns():
    orders = {LivenessChallenge(rng=random.Random(seed)).order for seed in range(20)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(CHALLENGES) for order in orders)


def test_person_who_blinks_and_turns_both_ways_is_live():
    challenge = LivenessChallenge(order=("blink", "turn_left", "turn_right"))
    blink = [crude_face(eye_opening=1.0), crude_face()]
    own_left = [crude_face(nose_x=115), crude_face()]  # nose toward the image's right
    own_right = [crude_face(nose_x=85), crude_face()]
    keys = _feed(challenge, [*_frontal(), *blink, *own_left, *own_right])
    expected = ["look_at_camera"] * 2 + ["blink"] * 2 + ["turn_left"] * 2 + ["turn_right"] * 2
    assert keys == [*expected, "done"]
    assert challenge.result().live


def test_the_challenge_waits_for_a_frontal_face_before_it_starts():
    challenge = LivenessChallenge(order=("blink",))
    assert _feed(challenge, [crude_face(nose_x=130)] * 5) == ["look_at_camera"] * 5
    assert challenge.completed == []


def test_photo_that_never_blinks_fails_for_no_blink():
    challenge = LivenessChallenge(order=("blink",), per_challenge_s=2.0)
    _feed(challenge, _frontal(40), step=0.1)
    result = challenge.result()
    assert not result.live and result.reason == "liveness_no_blink"


def test_flat_picture_skewed_in_the_hand_fails_the_depth_check():
    challenge = LivenessChallenge(order=("turn_left",))
    _feed(challenge, [*_frontal(), sheared(crude_face(), 0.5), crude_face()])
    assert challenge.completed == ["turn_left"]
    result = challenge.result()
    assert not result.live and result.reason == "liveness_flat"


def test_glare_over_the_face_fails_as_a_glossy_picture():
    glaring = GRAY.copy()
    glaring[60:160, 40:160] = 255
    challenge = LivenessChallenge(order=("blink",))
    _feed(challenge, [*_frontal(), crude_face(eye_opening=1.0), crude_face()], gray=glaring)
    assert challenge.result().reason == "liveness_glare"


def test_display_pixel_grid_on_the_face_fails_as_a_screen():
    rows, cols = np.indices(GRAY.shape)
    grid = np.where((rows % 3 == 0) | (cols % 3 == 0), 70, 150).astype(np.uint8)
    challenge = LivenessChallenge(order=("blink",))
    _feed(challenge, [*_frontal(), crude_face(eye_opening=1.0), crude_face()], gray=grid)
    assert challenge.result().reason == "liveness_screen"


def test_moire_score_of_a_grid_is_far_above_that_of_smooth_shading():
    rows, cols = np.indices((128, 128))
    smooth = 100 + 50 * np.sin(rows / 20) + np.random.default_rng(1).normal(0, 2, rows.shape)
    grid = smooth + 40 * ((cols % 3) == 0)
    assert moire_score(grid.astype(np.uint8)) > 3 * moire_score(smooth.astype(np.uint8))
