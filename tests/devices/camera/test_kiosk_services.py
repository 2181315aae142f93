"""The journey's camera services (`kiosk.services.camera`) over the sample camera and files."""

import itertools
import random

import cv2
import numpy as np
import pytest

from devices.camera.errors import CameraError
from devices.camera.synthetic import demo_qr_text, qr_image
from kiosk import texts
from kiosk.domain.model import ServiceError
from kiosk.services.camera import (
    CameraDocumentCapture,
    CameraFaceVerifier,
    CameraQrScanner,
    is_card_qr,
)
from kiosk.texts.errors import codes as error_codes
from kiosk.texts.errors import lookup
from tests.devices.camera.conftest import photo_bytes


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, key: str) -> None:
        self.calls.append((fraction, key))

    @property
    def keys(self) -> set[str]:
        return {key for _, key in self.calls}


def test_qr_scanner_reads_the_demo_card_from_the_sample_camera():
    assert CameraQrScanner("sample").scan_card_qr(10.0, _Recorder()) == demo_qr_text()


def test_qr_scanner_ignores_a_qr_that_is_not_an_id_card_and_times_out(tmp_path):
    payment = qr_image("00020101021238570010A000000727", module_px=8)
    cv2.imwrite(str(tmp_path / "payment.png"), payment)
    progress = _Recorder()
    with pytest.raises(ServiceError) as raised:
        CameraQrScanner(str(tmp_path)).scan_card_qr(0.6, progress)
    assert raised.value.code == "qr_not_found"
    assert "not_card_qr" in progress.keys


def test_card_qr_text_starts_with_the_12_digit_id_and_has_seven_fields():
    # docs/domain.md §3
    assert is_card_qr("001095012345|123456789|Nguyễn Văn An|17031995|Nam|Thôn 1|20052021")
    assert not is_card_qr("https://example.org/|a|b|c|d|e|f")
    assert not is_card_qr("001095012345|only|three")


def test_missing_camera_is_reported_as_camera_unavailable(tmp_path):
    with pytest.raises(ServiceError) as raised:
        CameraQrScanner(str(tmp_path / "no-camera.mp4")).scan_card_qr(1.0, _Recorder())
    assert raised.value.code == "camera_unavailable"


def test_face_verifier_matches_and_finds_live_the_simulated_demo_citizen(face_model):
    spoken: list[str] = []
    progress = _Recorder()
    verifier = CameraFaceVerifier("sample", spoken.append, model=face_model, rng=random.Random(2))
    result = verifier.verify(photo_bytes("obama.jpg"), progress)
    assert result.match and result.live and result.reason == ""
    assert result.threshold == face_model.threshold
    assert {"blink", "turn_left", "turn_right"} <= set(spoken)
    assert all(a != b for a, b in itertools.pairwise(spoken))  # only on change


def test_face_verifier_reports_no_face_when_nobody_stands_in_front(tmp_path, face_model):
    cv2.imwrite(str(tmp_path / "empty.png"), np.full((480, 640, 3), 150, np.uint8))
    verifier = CameraFaceVerifier(str(tmp_path), model=face_model, timeout_s=0.5)
    progress = _Recorder()
    result = verifier.verify(photo_bytes("obama.jpg"), progress)
    assert not result.match and result.reason == "face_not_found"
    assert "look_at_camera" in progress.keys


def test_chip_photo_without_a_usable_face_is_reported_for_staff(face_model):
    blank = cv2.imencode(".jpg", np.full((480, 360, 3), 200, np.uint8))[1].tobytes()
    with pytest.raises(ServiceError) as raised:
        CameraFaceVerifier("sample", model=face_model).verify(blank, _Recorder())
    assert raised.value.code == "chip_photo_unusable"


def test_document_capture_returns_a_jpeg_of_the_page_once_it_lies_still():
    data = CameraDocumentCapture("sample").capture(_Recorder(), timeout_s=10.0)
    page = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert data[:2] == b"\xff\xd8" and page.ndim == 2
    assert page.shape[0] > page.shape[1]  # portrait A4


def test_every_camera_error_and_liveness_reason_has_citizen_and_staff_text():
    codes = {cls.code for cls in CameraError.__subclasses__()}
    codes |= {
        "face_mismatch",
        "face_changed",
        "chip_photo_unusable",
        "liveness_no_blink",
        "liveness_no_turn",
        "liveness_flat",
        "liveness_screen",
        "liveness_glare",
        "liveness_incomplete",
    }
    assert codes <= set(error_codes())
    assert all(lookup(code).citizen and lookup(code).staff for code in codes)


def test_every_guidance_key_the_face_check_can_give_has_a_text():
    keys = {"look_at_camera", "move_closer", "move_back", "too_dark", "too_bright"}
    keys |= {"hold_still", "one_person_only", "blink", "turn_left", "turn_right", "done"}
    assert all(texts.get(f"guidance.{key}") for key in keys)


def test_camera_unplugged_for_good_during_a_step_hands_over_to_staff(monkeypatch):
    from kiosk.services import camera as camera_service
    from tests.devices.camera.test_capture import _PluggableCamera

    monkeypatch.setattr(camera_service, "UNPLUGGED_GIVE_UP_S", 0.2)
    unplugged = _PluggableCamera()
    unplugged.plugged.clear()  # opens (it was plugged at start), then never gives a frame
    unplugged.open = lambda: None
    progress = _Recorder()
    with pytest.raises(ServiceError) as raised:
        CameraQrScanner(unplugged).scan_card_qr(10.0, progress)
    assert raised.value.code == "device_unplugged"


def test_a_second_face_in_view_is_reported_as_an_onlooker_then_cleared(face_model):
    from devices.camera.sample_scenes import portrait_frame
    from devices.camera.sources import GeneratedFrames
    from tests.devices.camera.conftest import face_photo

    frame = portrait_frame(face_photo("obama.jpg"))
    frame[180:480, 440:640] = portrait_frame(face_photo("obama2.jpg"), (200, 300))
    source = GeneratedFrames(lambda number: frame.copy(), name="citizen and onlooker")
    seen: list[bool] = []
    verifier = CameraFaceVerifier(source, model=face_model, timeout_s=1.5, onlooker=seen.append)
    progress = _Recorder()
    verifier.verify(photo_bytes("obama.jpg"), progress)
    assert seen == [True, False] and verifier.onlooker_seen
    assert "onlooker" in progress.keys  # the screen hides personal data meanwhile


def test_face_landmarks_default_to_the_5_point_model_and_only_5_or_68_are_allowed():
    from kiosk.config import ConfigError, KioskConfig, parse_config

    assert KioskConfig().devices.face_landmarks == 5
    assert parse_config("[devices]\nface_landmarks = 68\n").devices.face_landmarks == 68
    with pytest.raises(ConfigError, match="face_landmarks"):
        parse_config("[devices]\nface_landmarks = 7\n")


def test_face_verifier_starts_its_model_with_the_configured_landmarks(monkeypatch):
    import devices.camera.face_process as face_process

    started: list[dict] = []

    def start(**options):
        started.append(options)
        return object()

    monkeypatch.setattr(face_process, "FaceModelProcess", start)
    CameraFaceVerifier("sample", landmarks=68).model()
    assert started == [{"landmarks": 68}]
