import cv2
import numpy as np
import pytest

from devices.camera.errors import NoFaceFound
from devices.camera.liveness import LivenessChallenge
from devices.camera.sample_scenes import SampleCamera, portrait_frame
from devices.camera.verification import FaceCheck
from tests.devices.camera.conftest import face_photo


def _run(check: FaceCheck, camera: SampleCamera, frames: int = 150):
    camera.open()
    keys = []
    for number in range(frames):
        verdict = check.process(camera.read(), number / camera.fps)
        keys.append(verdict.guidance)
        camera.hear(verdict.guidance)
        if verdict.done:
            break
    return check.outcome(), keys


def test_simulated_citizen_passes_against_their_own_chip_photo(face_model):
    challenge = LivenessChallenge(order=("turn_right", "blink"))
    check = FaceCheck(face_model, face_photo("obama.jpg"), challenge)
    outcome, keys = _run(check, SampleCamera("face"))
    assert outcome.match and outcome.live, outcome
    assert keys.index("turn_right") < keys.index("blink")


def test_live_person_with_another_persons_chip_photo_is_a_mismatch(face_model):
    check = FaceCheck(face_model, face_photo("biden.jpg"), LivenessChallenge(order=("blink",)))
    outcome, _ = _run(check, SampleCamera("face"))
    assert outcome.live and not outcome.match
    assert outcome.reason == "face_mismatch"


def test_two_faces_of_similar_size_ask_for_one_person_and_flag_an_onlooker(face_model):
    check = FaceCheck(face_model, face_photo("obama.jpg"), LivenessChallenge())
    person = portrait_frame(face_photo("obama.jpg"), (320, 480))
    other = portrait_frame(face_photo("obama2.jpg"), (320, 480))
    verdict = check.process(np.hstack([person, other]), 0.0)
    assert verdict.guidance == "one_person_only" and verdict.onlooker


def test_face_far_from_the_camera_is_asked_to_come_closer(face_model):
    check = FaceCheck(face_model, face_photo("obama.jpg"), LivenessChallenge())
    frame = np.full((480, 640, 3), 180, np.uint8)
    small = portrait_frame(face_photo("obama.jpg"), (400, 300))
    frame[90:390, 120:520] = small
    assert check.process(frame, 0.0).guidance == "move_closer"


def test_dark_scene_asks_for_more_light(face_model):
    check = FaceCheck(face_model, face_photo("obama.jpg"), LivenessChallenge())
    dark = (portrait_frame(face_photo("obama.jpg")) * 0.15).astype(np.uint8)
    assert check.process(dark, 0.0).guidance == "too_dark"


def test_release_wipes_every_embedding(face_model):
    check = FaceCheck(face_model, face_photo("obama.jpg"), LivenessChallenge())
    reference = check._reference
    check.process(portrait_frame(face_photo("obama.jpg")), 0.0)
    before = list(check._before)
    check.release()
    assert not reference.any() and all(not e.any() for e in before) and before
    assert check.outcome().scores == ()


def test_chip_photo_without_a_face_is_refused(face_model):
    blank = cv2.cvtColor(np.full((480, 360), 200, np.uint8), cv2.COLOR_GRAY2BGR)
    with pytest.raises(NoFaceFound):
        FaceCheck(face_model, blank, LivenessChallenge())
