import cv2
import numpy as np

from devices.camera.quality import measure_quality


def _checkerboard() -> np.ndarray:
    tiles = np.indices((48, 64)).sum(axis=0) % 2
    return cv2.resize(
        (tiles * 200 + 30).astype(np.uint8), (640, 480), interpolation=cv2.INTER_NEAREST
    )


def test_blurred_frame_measures_less_sharp_than_the_same_frame_in_focus():
    sharp = _checkerboard()
    blurred = cv2.GaussianBlur(sharp, (0, 0), 4)
    assert measure_quality(blurred).sharpness < measure_quality(sharp).sharpness / 10
    assert measure_quality(blurred).blurred and not measure_quality(sharp).blurred


def test_dim_frame_is_too_dark_and_a_normal_one_is_not():
    frame = _checkerboard()
    assert measure_quality((frame * 0.2).astype(np.uint8)).too_dark
    assert not measure_quality(frame).too_dark


def test_quality_of_a_region_ignores_the_rest_of_the_frame():
    frame = np.zeros((480, 640), np.uint8)
    frame[100:200, 100:200] = 180
    assert measure_quality(frame, (100, 100, 100, 100)).brightness == 180
