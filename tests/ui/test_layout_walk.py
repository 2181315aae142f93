"""The screenshot walk (`kiosk simulate --ui`, ui/simulate_walk.py): its contract, and every screen
state it passes checked for layout defects at the three kiosk sizes (docs/ui.md §6).

The walk runs as the command does, in a child process: the real demo runtime, the real window
offscreen, the real catalogue."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from kiosk.journey.steps import StepId

ROOT = Path(__file__).resolve().parents[2]
SHOT_NAME = re.compile(r"^(\d{3})-([a-z_]+)(?:--([a-z0-9_-]+))?\.png$")
SAID_LINE = re.compile(r"^(clip|tts)\t\S.*$")
TOUR = 13  # citizens: every journey, every procedure, the help, idle, back, error paths
SHORT = 4  # the tour's first four pass every kind of screen (ui/simulate_walk.py `tour`)
SIZES = ["1366x768", "1920x1080", "1280x1024"]


def _walk(tmp: Path, citizens: int, size: str) -> tuple[dict[str, Any], Path]:
    shots = tmp / f"shots-{size}"
    config = tmp / "kiosk.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp / "data"}"\n', encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_CONFIG": str(config),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "kiosk", "simulate", "--citizens", str(citizens)]
    command += ["--seed", "1", "--ui", "--screenshots", str(shots), "--size", size, "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=tmp, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    summary["walk_seconds"] = round(time.perf_counter() - started, 1)
    return summary, shots


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.fixture(scope="module")
def short_walks(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The tour's first four citizens at a size: a dossier (with a help call, the idle question,
    back from the review), an account, a refused submission (the error screen) and a procedure
    done at the counter. One walk per size, shared by the tests."""
    cache: dict[str, tuple[dict[str, Any], Path]] = {}

    def walk_at(size: str) -> tuple[dict[str, Any], Path]:
        if size not in cache:
            cache[size] = _walk(tmp_path_factory.mktemp(f"short-{size}"), SHORT, size)
        return cache[size]

    return walk_at


@pytest.fixture(scope="module")
def short_walk(short_walks):  # type: ignore[no-untyped-def]
    return short_walks("1366x768")


@pytest.mark.timeout(900)
@pytest.mark.parametrize("size", SIZES)
def test_the_short_walk_has_no_layout_defect_at_each_kiosk_size(short_walks, size):
    """Nothing outside the window, no text cut off, no sideways scrolling, no grown window, no
    buttons on top of each other, on any screen state of the short walk."""
    summary, shots = short_walks(size)
    print(f"short walk at {size}: {summary['walk_seconds']} s, {summary['screenshots']} pictures")
    steps = {m.group(2) for m in map(SHOT_NAME.match, (p.name for p in shots.glob("*.png"))) if m}
    assert {"form", "documents", "review", "error", "counter_ticket", "account_done"} <= steps
    width, height = (int(n) for n in size.split("x"))
    assert {_png_size(path) for path in shots.glob("*.png")} == {(width, height)}
    assert summary["layout_problems"] == [], summary["layout_problems"][:10]


def test_the_walk_pictures_each_screen_state_named_by_its_step(short_walk):
    summary, shots = short_walk
    pictures = sorted(shots.glob("*.png"))
    assert len(pictures) == summary["screenshots"] > 40
    names = [SHOT_NAME.match(path.name) for path in pictures]
    assert all(names), [p.name for p, m in zip(pictures, names, strict=True) if not m]
    assert [int(m.group(1)) for m in names if m] == list(range(1, len(pictures) + 1))
    steps = {m.group(2) for m in names if m}
    assert steps <= {step.value for step in StepId}
    assert {"welcome", "consent", "card_read", "form", "review", "done", "account_done"} <= steps
    states = {m.group(3) for m in names if m and m.group(3)}
    assert {"help", "idle"} <= {part for state in states for part in state.split("-")}


def test_every_picture_is_exactly_the_requested_size(short_walk):
    _, shots = short_walk
    assert {_png_size(path) for path in shots.glob("*.png")} == {(1366, 768)}


def test_said_txt_has_every_sentence_marked_clip_or_tts(short_walk):
    summary, shots = short_walk
    lines = (shots / "said.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary["said"]
    assert all(SAID_LINE.match(line) for line in lines)
    kinds = {line.split("\t")[0] for line in lines}
    assert kinds == {"clip", "tts"}  # form rows with values are spoken too
    assert any(line.startswith("tts\tHọ, chữ đệm và tên") for line in lines)
    assert any(line.startswith("tts\tMã hồ sơ: ") for line in lines)  # the result is said


def test_the_walk_never_says_an_id_number_in_full(short_walk):
    _, shots = short_walk
    said = (shots / "said.txt").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\d)\d{12}(?!\d)", said)
    assert "số kết thúc bằng 3 4 5" in said


@pytest.fixture(scope="module")
def full_walks(tmp_path_factory):  # type: ignore[no-untyped-def]
    cache: dict[str, dict[str, list[str]]] = {}

    def problems_by_step(size: str) -> dict[str, list[str]]:
        if size not in cache:
            summary, shots = _walk(tmp_path_factory.mktemp(f"walk-{size}"), TOUR, size)
            by_step: dict[str, list[str]] = defaultdict(list)
            for name in (path.name for path in shots.glob("*.png")):
                match = SHOT_NAME.match(name)
                assert match is not None
                by_step[match.group(2)] += []  # the step was pictured
            for problem in summary["layout_problems"]:
                match = SHOT_NAME.match(problem.split(":", 1)[0])
                assert match is not None
                by_step[match.group(2)].append(problem)
            cache[size] = dict(by_step)
        return cache[size]

    return problems_by_step


def _cases() -> list[Any]:
    return [
        pytest.param(size, step.value, id=f"{size}-{step.value}")
        for size in SIZES
        for step in StepId
    ]


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize(("size", "step"), _cases())
def test_no_screen_state_of_the_walk_has_a_layout_defect(full_walks, size, step):
    """Nothing outside the window, no text cut off, no sideways scrolling, no grown window."""
    found = full_walks(size)
    if step not in found:
        pytest.skip(f"the walk does not pass {step}")
    problems = found[step]
    distinct = sorted({p.split(": ", 1)[1] for p in problems})
    assert distinct == [], f"{len(problems)} in {step} at {size}, e.g. {problems[:3]}"
