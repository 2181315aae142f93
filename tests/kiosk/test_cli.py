"""The `kiosk` command end to end, as CI and staff run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def kiosk(*args: str, tmp_path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path))
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_demo_kiosk_reaches_the_welcome_screen_and_exits_0(tmp_path):
    result = kiosk("run", "--demo", "--exit-when-ready", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ready: welcome screen in" in result.stdout
    assert (tmp_path / "kiosk.db").exists()  # the store was opened and migrated


def test_simulate_reports_every_citizen_and_step_honestly(tmp_path):
    result = kiosk("simulate", "--citizens", "4", "--seed", "3", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["citizens"] == 4
    assert summary["completed"] + summary["failed"] == 4
    for step, counts in summary["steps"].items():
        assert set(counts) <= {"passed", "failed", "not_built", "median_s"}, step
    # Whatever is not built yet must show up as not built, never as passed.
    not_built = {step for step, c in summary["steps"].items() if c.get("not_built")}
    for reason in summary["failures"]:
        if "not built" in reason:
            assert reason.split(":")[0] in not_built


def test_journey_diagram_is_mermaid(tmp_path):
    result = kiosk("journey", "--diagram", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("stateDiagram-v2")
    assert "face_check --> AFTER_IDENTITY: face_verified" in result.stdout


def test_unknown_option_exits_2_with_one_line(tmp_path):
    result = kiosk("simulate", "--citizens", "zero", tmp_path=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_audit_verify_on_a_fresh_kiosk_is_intact(tmp_path):
    kiosk("simulate", "--citizens", "2", "--data-dir", str(tmp_path), tmp_path=tmp_path)
    result = kiosk("audit", "verify", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "intact" in result.stdout


def test_a_named_command_imports_only_its_own_module():
    from kiosk.cli import _command_named, build_parser

    assert _command_named(["--config", "k.toml", "-v", "card", "qr", "x"]) == "card"
    assert _command_named(["-v"]) is None
    only = next(a for a in build_parser(only="run")._actions if a.dest == "command")
    every = next(a for a in build_parser()._actions if a.dest == "command")
    assert list(only.choices) == ["run"]
    assert {"run", "card", "outbox", "portal-serve"} <= set(every.choices)
