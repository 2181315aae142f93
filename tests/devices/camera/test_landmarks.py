import numpy as np
import pytest

from devices.camera.landmarks import (
    eye_aspect_ratio,
    head_turn,
    planarity_residual,
)
from tests.devices.camera.landmark_faces import crude_face


def test_eye_aspect_ratio_drops_when_the_eyes_close():
    assert eye_aspect_ratio(crude_face(eye_opening=1.0)) < 0.5 * eye_aspect_ratio(crude_face(6.0))


def test_eye_aspect_ratio_matches_the_definition():
    # (|p2-p6| + |p3-p5|) / (2 |p1-p4|) = (12 + 12) / (2 * 30)
    assert eye_aspect_ratio(crude_face(eye_opening=6.0)) == pytest.approx(0.4)


def test_head_turn_is_one_half_for_a_frontal_face_and_moves_with_the_nose():
    assert head_turn(crude_face()) == pytest.approx(0.5)
    assert head_turn(crude_face(nose_x=120)) > 0.6
    assert head_turn(crude_face(nose_x=80)) < 0.4


def test_planarity_residual_is_zero_for_a_flat_picture_seen_in_perspective():
    face = crude_face()
    homography = np.array([[0.9, 0.05, 10], [0.02, 1.0, -5], [0.0008, 0.0, 1.0]])
    moved = np.c_[face, np.ones(68)] @ homography.T
    moved = moved[:, :2] / moved[:, 2:]
    assert planarity_residual(face, moved) < 1e-6


def test_planarity_residual_is_large_when_the_nose_moves_apart_from_the_rest():
    face = crude_face()
    turned = face.copy()
    turned[27:36, 0] += 12  # nose bridge and tip move, jaw and eyes do not: depth
    assert planarity_residual(face, turned) > 0.03
