"""`kiosk report --date YYYY-MM-DD [--out FILE.pdf] [--json]`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kiosk.ops.test_daily_report import DAY, _dossier, _submitted, _visit


def _kiosk(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture
def kiosk_dir(tmp_path: Path) -> Path:
    """A kiosk's data folder whose store holds two death registrations on DAY."""
    from kiosk.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}")
    for _ in range(2):
        _visit(store, "submit", _submitted("death_registration"), timings={"card_read": 12.0})
        _dossier(store, "death_registration", "accepted")
    store.close()
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [("--date", "2026-13-01"), ("--date", "tomorrow"), ("--date", "2026-11-27", "--out", "r.txt")],
)
def test_bad_input_exits_2_with_one_line(kiosk_dir: Path, args: tuple[str, ...]) -> None:
    done = _kiosk("report", *args, data_dir=kiosk_dir)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_folder_without_a_kiosk_store_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    done = _kiosk("report", "--json", data_dir=tmp_path)
    assert done.returncode == 2 and "no kiosk store" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_json_gives_the_days_figures(kiosk_dir: Path) -> None:
    done = _kiosk("report", "--date", DAY.isoformat(), "--json", data_dir=kiosk_dir)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["day"] == "2026-11-27" and figures["sessions"]["total"] == 2
    [procedure] = figures["procedures"]
    assert (procedure["name"], procedure["succeeded"], procedure["failed"]) == (
        "Đăng ký khai tử", 2, 0,
    )  # fmt: skip
    assert figures["steps"]["card_read"] == {"median_s": 12.0, "samples": 2}


def test_out_writes_the_pdf_and_names_it(kiosk_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.pdf"
    done = _kiosk("report", "--date", DAY.isoformat(), "--out", str(out), data_dir=kiosk_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_the_report_of_a_demo_simulation_counts_what_the_simulation_did(tmp_path: Path) -> None:
    """`kiosk simulate --citizens 6 --data-dir D`, then `kiosk report --date today --json`."""
    simulated = _kiosk(
        "simulate", "--citizens", "6", "--json", "--data-dir", str(tmp_path), data_dir=tmp_path
    )
    assert simulated.returncode == 0, simulated.stderr
    run = json.loads(simulated.stdout)
    done = _kiosk("report", "--date", "today", "--json", "--data-dir", str(tmp_path),
                  data_dir=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    steps = run["steps"]
    assert report["sessions"]["total"] == run["citizens"] == 6
    assert report["sessions"].get("completed", 0) == run["completed"]
    assert report["journeys"] == run["journeys"]
    assert sum(p["dossiers"] for p in report["procedures"]) == steps["submit"]["passed"]
    assert report["print_queue"].get("printed", 0) == steps["receipt"]["passed"]
    assert report["accounts"]["created"] == steps.get("account_verify", {}).get("passed", 0)
    for step, row in report["steps"].items():
        if steps.get(step, {}).get("median_s") is not None:
            assert row["median_s"] == pytest.approx(steps[step]["median_s"], abs=0.002), step


def test_the_report_opens_no_keys(kiosk_dir: Path) -> None:
    done = _kiosk("report", "--date", DAY.isoformat(), "--json", data_dir=kiosk_dir)
    assert done.returncode == 0, done.stderr
    assert not (kiosk_dir / "keys").exists()
