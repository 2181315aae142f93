"""Pre-render the kiosk's fixed sentences as voice clips with espeak-ng (Northern and Southern
Vietnamese voices), into assets/voice/<variant>/<key>.ogg, with assets/voice/manifest.json mapping
each sentence to its file and the hashes that let a test find stale clips.

    python tools/voice/generate.py            # render what is missing or stale, drop orphans
    python tools/voice/generate.py --check    # exit 1 and list what is missing or stale

Needs `espeak-ng` and `sox` (with Ogg Vorbis support: Debian's libsox-fmt-all) on PATH for
rendering; --check needs neither. Only changed sentences are rendered again: Vorbis files differ
from run to run, so re-rendering everything would churn the repository for nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui.voice_prompts import (  # noqa: E402 (after the path set-up)
    VARIANTS,
    clip_key,
    fixed_prompts,
    spoken_form,
    text_hash,
)

VOICE_DIR = ROOT / "assets" / "voice"
MANIFEST = VOICE_DIR / "manifest.json"
SPEED_WPM = 135  # a little slower than espeak-ng's 175: the listeners are often elderly
SAMPLE_RATE = 16000
# Vorbis quality 0 (~27 kbit/s at 16 kHz mono): the synthetic voice sounds the same as at the
# default 3, in two thirds of the bytes (three forms of address x two voices = ~740 clips).
VORBIS_QUALITY = 0

log = logging.getLogger("voice")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(path: Path = MANIFEST) -> dict:
    if not path.exists():
        return {"clips": {variant: {} for variant in VARIANTS}}
    return json.loads(path.read_text(encoding="utf-8"))


def problems(manifest: dict, prompts: list[str], voice_dir: Path = VOICE_DIR) -> list[str]:
    """What is missing or stale: one line each (empty when every clip is current)."""
    found = []
    for variant in VARIANTS:
        clips = manifest.get("clips", {}).get(variant, {})
        for text in prompts:
            entry = clips.get(text)
            if entry is None:
                found.append(f"missing {variant}: {text}")
                continue
            path = voice_dir / entry["file"]
            if entry.get("text_sha256") != text_hash(text):
                found.append(f"stale text {variant}: {text}")
            elif not path.exists():
                found.append(f"missing file {variant}: {entry['file']}")
            elif entry.get("file_sha256") != file_hash(path):
                found.append(f"changed file {variant}: {entry['file']}")
    return found


def render(text: str, espeak_voice: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "clip.wav"
        subprocess.run(
            ["espeak-ng", "-v", espeak_voice, "-s", str(SPEED_WPM), "-w", str(wav)],
            input=spoken_form(text).encode("utf-8"),
            check=True,
        )
        # Mono 16 kHz Vorbis, a little headroom so the resampler never clips.
        subprocess.run(
            [
                "sox",
                "-q",
                str(wav),
                "-r",
                str(SAMPLE_RATE),
                "-c",
                "1",
                "-C",
                str(VORBIS_QUALITY),
                str(target),
                "gain",
                "-1",
            ],
            check=True,
        )


def generate(prompts: list[str]) -> dict:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install espeak-ng sox)")
    old = load_manifest()
    settings = ("speed_wpm", "sample_rate", "vorbis_quality")
    if any(
        old.get(key) != manifest_value
        for key, manifest_value in zip(
            settings, (SPEED_WPM, SAMPLE_RATE, VORBIS_QUALITY), strict=True
        )
    ):
        old = {"clips": {}}  # rendered with other settings: render everything again
    manifest: dict = {
        "generator": "espeak-ng",
        "speed_wpm": SPEED_WPM,
        "sample_rate": SAMPLE_RATE,
        "vorbis_quality": VORBIS_QUALITY,
        "format": "ogg/vorbis",
        "variants": VARIANTS,
        "clips": {},
    }
    for variant, espeak_voice in VARIANTS.items():
        clips: dict[str, dict[str, str]] = {}
        for text in prompts:
            entry = old.get("clips", {}).get(variant, {}).get(text)
            name = f"{variant}/{clip_key(variant, text)}.ogg"
            path = VOICE_DIR / name
            current = (
                entry is not None
                and entry.get("text_sha256") == text_hash(text)
                and path.exists()
                and entry.get("file_sha256") == file_hash(path)
            )
            if not current:
                render(text, espeak_voice, path)
                log.info("rendered %s: %s", variant, text)
            clips[text] = {
                "file": name,
                "text_sha256": text_hash(text),
                "file_sha256": file_hash(path),
            }
        manifest["clips"][variant] = clips
        keep = {VOICE_DIR / entry["file"] for entry in clips.values()}
        for orphan in (VOICE_DIR / variant).glob("*.ogg"):
            if orphan not in keep:
                orphan.unlink()
    MANIFEST.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report missing or stale clips")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    prompts = fixed_prompts()
    if args.check:
        found = problems(load_manifest(), prompts)
        for line in found:
            sys.stdout.write(line + "\n")
        return 1 if found else 0
    generate(prompts)
    sys.stdout.write(f"{len(prompts)} sentences x {len(VARIANTS)} voices are current\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
