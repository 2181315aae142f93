"""The PyInstaller one-folder build starts the demo kiosk (slow: a full build)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_frozen_kiosk_reaches_the_welcome_screen(tmp_path):
    pytest.importorskip("PyInstaller", reason="pip install -e '.[build]' to build the kiosk")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(ROOT / "kiosk.spec"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=1100,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    app = tmp_path / "dist" / "kiosk" / ("kiosk.exe" if os.name == "nt" else "kiosk")
    assert app.exists()
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(data))
    env.pop("KIOSK_CONFIG", None)
    run = subprocess.run(
        [str(app), "run", "--demo", "--exit-when-ready"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "ready: welcome screen in" in run.stdout
    assert (data / "kiosk.db").exists()
    # A whole citizen journey inside the frozen app: chip, camera and the face model's child
    # process, local portal, receipt printing — everything the build must have bundled.
    journey = subprocess.run(
        [str(app), "simulate", "--citizens", "1", "--seed", "4", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert journey.returncode == 0, journey.stderr[-3000:]
    assert json.loads(journey.stdout)["completed"] == 1, journey.stdout
    shutil.rmtree(tmp_path / "work", ignore_errors=True)
