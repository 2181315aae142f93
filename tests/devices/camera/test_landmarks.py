import cv2
import numpy as np
import pytest

from devices.camera.landmarks import (
    IBUG_TO_FIVE,
    eye_openness,
    five_points,
    head_turn,
    parallax_residual,
)
from devices.camera.sample_scenes import turn_face
from tests.devices.camera.landmark_faces import box, crude_image, crude_points, sheared, to_bgr


def test_a_68_point_set_is_reduced_to_the_eye_corners_and_nose_base():
    points = np.arange(136, dtype=float).reshape(68, 2)
    assert five_points(points).tolist() == points[list(IBUG_TO_FIVE)].tolist()
    with pytest.raises(ValueError):
        five_points(points[:10])


def test_head_turn_is_one_half_for_a_frontal_face_and_moves_with_the_nose():
    assert head_turn(crude_points()) == pytest.approx(0.5)
    assert head_turn(crude_points(nose_x=115)) > 0.6
    assert head_turn(crude_points(nose_x=85)) < 0.4


def test_head_turn_does_not_change_when_the_head_rolls_or_comes_closer():
    points = crude_points(nose_x=112)
    angle = np.deg2rad(20)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert head_turn(points @ rotation.T * 1.7 + 40) == pytest.approx(head_turn(points))


def test_eye_openness_drops_when_the_eyes_close():
    points = crude_points()
    open_eyes = eye_openness(crude_image(eyes_open=True), points)
    closed = eye_openness(crude_image(eyes_open=False), points)
    assert closed < 0.6 * open_eyes


def test_eye_openness_does_not_depend_on_the_faces_size_or_brightness():
    image, points = crude_image(), crude_points()
    bigger = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)
    dimmer = (image * 0.6).astype(np.uint8)
    reference = eye_openness(image, points)
    assert eye_openness(bigger, points * 2) == pytest.approx(reference, rel=0.15)
    assert eye_openness(dimmer, points) == pytest.approx(reference, rel=0.1)


def test_parallax_residual_is_near_zero_for_a_flat_picture_skewed_in_the_hand():
    image, points = crude_image(), crude_points()
    skewed, moved = sheared(image, points, 0.3)
    assert parallax_residual(image, points, box(), skewed, moved) < 0.01


def test_parallax_residual_is_large_when_the_face_turns_in_depth():
    image, points = crude_image(), crude_points()
    turned = cv2.cvtColor(turn_face(to_bgr(image), points, 0.42), cv2.COLOR_BGR2GRAY)
    assert parallax_residual(image, points, box(), turned, crude_points(nose_x=115)) > 0.04
