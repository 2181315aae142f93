import cv2
import numpy as np

from devices.camera.landmarks import eye_openness, head_turn
from devices.camera.liveness import CLOSED_RATIO, REOPENED_RATIO, TURN_MIN
from devices.camera.qr import make_decoder
from devices.camera.sample_scenes import SampleCamera
from devices.camera.synthetic import demo_qr_text


def _frames(camera: SampleCamera, count: int) -> list[np.ndarray]:
    return [camera.read() for _ in range(count)]


def test_sample_qr_camera_shows_the_demo_citizens_card_qr():
    camera = SampleCamera("qr")
    camera.open()
    assert make_decoder("zxing").decode(camera.read()) == demo_qr_text()


def test_simulated_citizen_closes_the_eyes_when_asked_to_blink(face_model):
    camera = SampleCamera("face")
    camera.open()
    open_frame = camera.read()
    camera.hear("blink")
    frames = _frames(camera, 12)

    def openness(frame):
        face = face_model.detect(frame)[0]
        return eye_openness(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), face.landmarks)

    closed = min(openness(f) for f in frames)
    assert closed < CLOSED_RATIO * openness(open_frame)
    assert openness(frames[-1]) > REOPENED_RATIO * openness(open_frame)  # and opens them again


def test_simulated_citizen_turning_left_moves_the_nose_toward_the_image_right(face_model):
    camera = SampleCamera("face")
    camera.open()
    frontal = head_turn(face_model.detect(camera.read())[0].landmarks)
    camera.hear("turn_left")
    turns = [head_turn(face_model.detect(f)[0].landmarks) for f in _frames(camera, 8)]
    assert max(turns) - frontal >= TURN_MIN


def test_simulated_citizen_turning_right_moves_the_nose_toward_the_image_left(face_model):
    camera = SampleCamera("face")
    camera.open()
    frontal = head_turn(face_model.detect(camera.read())[0].landmarks)
    camera.hear("turn_right")
    turns = [head_turn(face_model.detect(f)[0].landmarks) for f in _frames(camera, 8)]
    assert min(turns) - frontal <= -TURN_MIN


def test_closed_sample_camera_gives_no_frames():
    camera = SampleCamera("document")
    camera.open()
    camera.close()
    assert camera.read() is None
