"""Live speech with espeak-ng: a sentence with a value becomes sound, or a typed error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devices.probe import ProbeState
from devices.speech.espeak import EspeakSpeech, SpeechError

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")


@needs_espeak
def test_a_vietnamese_sentence_with_a_value_is_rendered_to_a_wav_file(tmp_path: Path) -> None:
    path = EspeakSpeech("vi", cache_dir=tmp_path).render("Lệ phí: 135.000 đồng.")
    assert path.read_bytes()[:4] == b"RIFF" and path.stat().st_size > 10_000


@needs_espeak
def test_the_same_sentence_is_rendered_once(tmp_path: Path) -> None:
    speech = EspeakSpeech("vi", cache_dir=tmp_path)
    first = speech.render("Ngày hẹn: thứ Ba, 28/4/2026.")
    stamp = first.stat().st_mtime_ns
    assert speech.render("Ngày hẹn: thứ Ba, 28/4/2026.") == first
    assert first.stat().st_mtime_ns == stamp


def test_without_espeak_rendering_raises_the_speech_error(tmp_path: Path) -> None:
    speech = EspeakSpeech("vi", cache_dir=tmp_path, executable=str(tmp_path / "no-espeak"))
    with pytest.raises(SpeechError) as raised:
        speech.render("Xin chào.")
    assert raised.value.code == "speech_unavailable"


def test_without_espeak_the_probe_says_absent_with_the_remedy(tmp_path: Path) -> None:
    result = EspeakSpeech(executable=str(tmp_path / "no-espeak")).probe()
    assert result.state is ProbeState.ABSENT and "espeak-ng" in result.remedy


@needs_espeak
def test_an_unknown_voice_is_an_error_not_silence(tmp_path: Path) -> None:
    result = EspeakSpeech("xx-no-such-voice", cache_dir=tmp_path).probe()
    assert result.state is ProbeState.ERROR
