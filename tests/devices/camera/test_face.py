import cv2
import numpy as np
import pytest

from devices.camera.errors import NoFaceFound, SeveralFaces
from devices.camera.face import only_face
from tests.devices.camera.conftest import face_photo


def _embedding(model, image):
    return model.embed(image, only_face(model, image))


def _dg2_like(image: np.ndarray) -> np.ndarray:
    """480 high, JPEG of at most ~15 KB, as the photo on a chip."""
    small = cv2.resize(image, None, fx=480 / image.shape[0], fy=480 / image.shape[0])
    for quality in range(90, 5, -5):
        _, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if len(data) <= 15_000:
            break
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def test_two_photos_of_one_person_match_and_a_photo_of_another_does_not(face_model):
    obama, obama2, biden = (
        _embedding(face_model, face_photo(n)) for n in ("obama.jpg", "obama2.jpg", "biden.jpg")
    )
    assert face_model.score(obama, obama2) >= face_model.threshold
    assert face_model.score(obama, biden) < face_model.threshold


def test_old_style_compressed_chip_photo_still_matches_another_photo(face_model):
    chip = _embedding(face_model, _dg2_like(face_photo("obama2.jpg")))
    assert face_model.score(chip, _embedding(face_model, face_photo("obama.jpg"))) >= (
        face_model.threshold
    )


def test_five_landmarks_lie_inside_the_face_box_with_the_eyes_above_the_nose(face_model):
    face = only_face(face_model, face_photo("obama.jpg"))
    x, y, w, h = face.box
    assert face.landmarks.shape == (5, 2)
    assert all(x < px < x + w and y < py < y + h for px, py in face.landmarks)
    nose_y = face.landmarks[4, 1]
    assert all(py < nose_y for _, py in face.landmarks[:4])


def test_the_default_model_never_loads_the_68_point_predictor(monkeypatch):
    import face_recognition_models

    from devices.camera import face

    def refuse() -> str:
        raise AssertionError("the 68-point model (non-commercial training data) was loaded")

    monkeypatch.setattr(face_recognition_models, "pose_predictor_model_location", refuse)
    face._dlib_parts.cache_clear()
    try:
        model = face.DlibFaceModel()
        assert model.landmarks == 5
    finally:
        face._dlib_parts.cache_clear()


def test_an_unknown_landmark_model_is_refused():
    from devices.camera.face import DlibFaceModel

    with pytest.raises(ValueError):
        DlibFaceModel(landmarks=7)


def test_image_without_a_face_raises_no_face_found(face_model):
    with pytest.raises(NoFaceFound):
        only_face(face_model, np.full((480, 640, 3), 128, np.uint8))


def test_two_people_in_one_image_raise_several_faces(face_model):
    obama = face_photo("obama.jpg")
    biden = face_photo("biden.jpg")
    scale = 1.6 * obama.shape[0] / biden.shape[0]  # Biden's face about as big as Obama's
    biden = cv2.resize(biden, None, fx=scale, fy=scale)[: obama.shape[0]]
    with pytest.raises(SeveralFaces):
        only_face(face_model, np.hstack([obama, biden]))


def test_face_model_in_a_child_process_agrees_and_leaves_the_gil_free(face_model):
    import threading
    import time

    from devices.camera.face_process import FaceModelProcess
    from devices.camera.sample_scenes import portrait_frame

    frame = portrait_frame(face_photo("obama.jpg"))
    remote = FaceModelProcess()
    ticks: list[float] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    try:
        face = remote.detect(frame)[0]
        thread = threading.Thread(target=ticker)
        thread.start()
        started = time.perf_counter()
        vector = remote.embed(frame, face)
        vector = remote.embed(frame, face)
        elapsed = time.perf_counter() - started
        stop.set()
        thread.join()
    finally:
        stop.set()
        remote.close()
    local = face_model.embed(frame, face_model.detect(frame)[0])
    assert np.allclose(vector, local)
    # the ticker kept running while the child embedded (in-process dlib would starve it)
    assert len(ticks) >= 0.3 * elapsed / 0.0055
