"""The kiosk's live speech engine: espeak-ng (free, on Debian and Windows) renders a sentence the
pre-rendered clips cannot hold (it has a value in it) to a WAV file the UI plays like a clip.

No Qt and no kiosk code here: the UI hands in plain text and gets a file back; `kiosk doctor`
asks `probe()` whether speech works on this machine.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from devices.probe import ProbeResult, ProbeState

# The kiosk's two voice variants ([ui] voice) as espeak-ng voice names.
VOICES = {"north": "vi", "south": "vi-vn-x-south"}
SPEED_WPM = 135  # as the clips (tools/voice/generate.py): the listeners are often elderly
RENDER_TIMEOUT_S = 5.0
MIN_WAV_BYTES = 1000  # a WAV header is 44 bytes: anything this small said nothing


class SpeechError(Exception):
    """Live speech cannot render a sentence (no engine, no Vietnamese voice, a failed run)."""

    code = "speech_unavailable"


class EspeakSpeech:
    """Renders sentences with one espeak-ng voice ("vi" northern, "vi-vn-x-south" southern) into
    a cache folder; the same sentence is rendered once."""

    def __init__(
        self,
        voice: str = "vi",
        cache_dir: Path | None = None,
        executable: str | None = None,
        speed_wpm: int = SPEED_WPM,
    ) -> None:
        self.voice = voice
        self.speed_wpm = speed_wpm
        self.executable = executable or shutil.which("espeak-ng") or ""
        self.cache_dir = cache_dir or Path(tempfile.gettempdir()) / "kiosk-speech"

    def available(self) -> bool:
        return bool(self.executable) and Path(self.executable).exists()

    def render(self, text: str) -> Path:
        """The sentence as a WAV file (cached by voice, speed and text)."""
        if not self.available():
            raise SpeechError("espeak-ng is not installed")
        key = hashlib.sha256(f"{self.voice}\n{self.speed_wpm}\n{text}".encode()).hexdigest()[:20]
        target = self.cache_dir / f"{key}.wav"
        if target.exists() and target.stat().st_size >= MIN_WAV_BYTES:
            return target
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        try:
            subprocess.run(
                [self.executable, "-v", self.voice, "-s", str(self.speed_wpm), "-w", str(partial)],
                input=text.encode("utf-8"),
                capture_output=True,
                check=True,
                timeout=RENDER_TIMEOUT_S,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechError(f"espeak-ng could not render: {exc}") from exc
        if not partial.exists() or partial.stat().st_size < MIN_WAV_BYTES:
            raise SpeechError(f"espeak-ng rendered no sound with voice {self.voice!r}")
        partial.replace(target)
        return target

    def probe(self, sample: str = "Xin chào.") -> ProbeResult:
        """Whether this machine can speak a Vietnamese sentence (renders one, really)."""
        if not self.available():
            return ProbeResult(
                ProbeState.ABSENT,
                "espeak-ng is not installed: sentences with values are shown but not spoken",
                "install espeak-ng (Debian: apt-get install espeak-ng; scripts/setup.sh does)",
            )
        try:
            path = self.render(sample)
        except SpeechError as exc:
            remedy = "reinstall espeak-ng with its data (espeak-ng-data)"
            return ProbeResult(ProbeState.ERROR, str(exc), remedy)
        return ProbeResult(
            ProbeState.PRESENT,
            f"espeak-ng voice {self.voice!r} speaks ({path.stat().st_size} bytes for {sample!r})",
        )
