"""The pre-rendered clips on disk: which file speaks which sentence. No Qt here."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ui.voice_prompts import sentences

VOICE_DIR = Path(__file__).resolve().parents[1] / "assets" / "voice"

log = logging.getLogger(__name__)

Utterance = list[Path | str]  # clips to play, and sentences left for live text-to-speech


class ClipLibrary:
    def __init__(self, voice_dir: Path = VOICE_DIR) -> None:
        self.voice_dir = voice_dir
        manifest_path = voice_dir / "manifest.json"
        self.clips: dict[str, dict[str, dict[str, str]]] = {}
        if manifest_path.exists():
            self.clips = json.loads(manifest_path.read_text(encoding="utf-8")).get("clips", {})
        else:
            log.warning("no voice clips at %s: only live speech", voice_dir)

    def clip(self, text: str, variant: str) -> Path | None:
        entry = self.clips.get(variant, {}).get(text)
        return self.voice_dir / entry["file"] if entry else None

    def plan(self, text: str, variant: str = "north") -> Utterance:
        """Each sentence as its clip, or as text where no clip exists (a name, an amount)."""
        return [self.clip(sentence, variant) or sentence for sentence in sentences(text)]
