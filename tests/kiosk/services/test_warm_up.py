"""Loading at start-up what the first citizen's steps would otherwise load mid-journey."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from kiosk.config import KioskConfig
from kiosk.services import warm_up as module


def _runtime(camera: str, face: object) -> SimpleNamespace:
    config = replace(KioskConfig(), devices=replace(KioskConfig().devices, camera=camera))
    return SimpleNamespace(config=config, services=SimpleNamespace(face=face))


class _Face:
    def __init__(self) -> None:
        self.started = 0

    def model(self) -> object:
        self.started += 1
        return object()


def test_the_face_model_process_is_started_by_the_warm_up(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(module, "PARTS", [("face model", module._face_model)])
    face = _Face()
    module.warm_up(_runtime("0", face))
    assert face.started == 1


def test_a_failing_part_is_logged_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    face = _Face()

    def broken(runtime: object) -> None:
        raise RuntimeError("no printer library")

    parts = [("receipt libraries", broken), ("face model", module._face_model)]
    monkeypatch.setattr(module, "PARTS", parts)
    took = module.warm_up(_runtime("0", face))
    assert face.started == 1 and set(took) == {"receipt libraries", "face model"}
    assert "warm-up of the receipt libraries failed" in caplog.text


def test_a_real_camera_is_not_opened_by_the_warm_up(monkeypatch: pytest.MonkeyPatch):
    opened: list[str] = []
    import devices.camera.sources as sources

    monkeypatch.setattr(sources, "open_source", lambda spec, purpose: opened.append(purpose))
    module._sample_camera(_runtime("0", _Face()))
    assert opened == []
