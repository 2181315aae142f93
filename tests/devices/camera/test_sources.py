from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.errors import CameraUnavailable, ImageUnreadable
from devices.camera.sources import (
    OpenCvCamera,
    StillImages,
    decode_image,
    open_source,
    parse_camera_spec,
)


def _write(path: Path, value: int) -> None:
    cv2.imwrite(str(path), np.full((48, 64, 3), value, np.uint8))


def test_camera_spec_of_digits_is_a_webcam_index_and_other_text_is_kept():
    assert parse_camera_spec("1") == 1
    assert parse_camera_spec(0) == 0
    assert parse_camera_spec("sample") == "sample"


def test_folder_source_plays_images_in_name_order_and_loops(tmp_path):
    _write(tmp_path / "b.png", 200)
    _write(tmp_path / "a.png", 100)
    source = open_source(str(tmp_path))
    source.open()
    values = [int(source.read()[0, 0, 0]) for _ in range(3)]
    assert values == [100, 200, 100]


def test_single_image_file_is_a_source(tmp_path):
    _write(tmp_path / "one.png", 50)
    source = open_source(str(tmp_path / "one.png"))
    source.open()
    assert source.read().shape == (48, 64, 3)


def test_still_images_without_loop_end_with_none(tmp_path):
    _write(tmp_path / "one.png", 50)
    source = StillImages([tmp_path / "one.png"], loop=False)
    source.open()
    assert source.read() is not None
    assert source.read() is None


def test_missing_path_is_camera_unavailable(tmp_path):
    with pytest.raises(CameraUnavailable):
        open_source(str(tmp_path / "nothing-here.mp4"))


def test_webcam_index_that_does_not_exist_is_camera_unavailable():
    with pytest.raises(CameraUnavailable):
        OpenCvCamera(97).open()


def test_video_file_is_played_through_opencv(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for value in (10, 120, 240):
        writer.write(np.full((48, 64, 3), value, np.uint8))
    writer.release()
    source = open_source(str(path))
    source.open()
    first = source.read()
    assert first is not None and first.shape == (48, 64, 3)
    source.close()


def test_bytes_that_are_not_an_image_are_refused():
    with pytest.raises(ImageUnreadable):
        decode_image(b"not a picture")
