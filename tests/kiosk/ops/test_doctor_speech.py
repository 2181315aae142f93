"""`kiosk doctor` checks that the kiosk can speak sentences with values (docs/ui.md §10)."""

from __future__ import annotations

import shutil

import pytest

from kiosk.config import parse_config
from kiosk.ops.doctor import CHECKS, DoctorContext, Status, check_speech


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")
def test_speech_is_ok_when_espeak_renders_a_sentence_in_the_configured_voice() -> None:
    result = check_speech(DoctorContext(parse_config('[ui]\nvoice = "south"\n')))
    assert result.status is Status.OK and "vi-vn-x-south" in result.detail


def test_speech_warns_with_the_install_remedy_when_espeak_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = check_speech(DoctorContext(parse_config("")))
    assert result.status is Status.WARN and "apt-get install espeak-ng" in result.remedy


def test_doctor_runs_the_speech_check() -> None:
    assert check_speech in CHECKS
