"""The watchdog restarts a dying or hanging app (real child processes, short timeouts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.ops.watchdog import Watchdog, WatchdogPolicy

FAST = WatchdogPolicy(
    hang_timeout_s=0.6,
    startup_grace_s=3.0,
    poll_s=0.05,
    first_backoff_s=0.01,
    max_backoff_s=0.05,
    terminate_wait_s=2.0,
)

# The child counts its runs in a file, then behaves as the scenario says for that run.
CHILD = """
import os, sys, time
from pathlib import Path
count_file = Path(sys.argv[1]); plan = sys.argv[2].split(",")
run = int(count_file.read_text()) if count_file.exists() else 0
count_file.write_text(str(run + 1))
action = plan[min(run, len(plan) - 1)]
beat = Path(os.environ["KIOSK_HEARTBEAT_FILE"])
if action == "crash":
    sys.exit(3)
if action == "hang":
    beat.touch(); time.sleep(60)
if action == "beat":
    for _ in range(30):
        beat.touch(); time.sleep(0.05)
sys.exit(0)
"""


def _watch(tmp_path: Path, plan: str) -> Watchdog:
    command = [sys.executable, "-c", CHILD, str(tmp_path / "runs"), plan]
    return Watchdog(command, tmp_path / "heartbeat", FAST)


def test_a_normal_quit_stops_the_watchdog(tmp_path: Path) -> None:
    report = _watch(tmp_path, "quit").run()
    assert (report.starts, report.restarts, report.exit_code) == (1, [], 0)


def test_a_crashed_app_is_restarted(tmp_path: Path) -> None:
    report = _watch(tmp_path, "crash,crash,quit").run()
    assert report.starts == 3
    assert report.restarts == ["died (exit code 3)"] * 2


def test_a_hung_app_is_killed_and_restarted(tmp_path: Path) -> None:
    report = _watch(tmp_path, "hang,quit").run()
    assert report.starts == 2 and report.restarts[0].startswith("hung")


def test_an_app_that_keeps_beating_is_left_alone(tmp_path: Path) -> None:
    report = _watch(tmp_path, "beat").run()  # runs 1.5 s > hang timeout, beating
    assert (report.starts, report.restarts) == (1, [])


def test_an_app_that_never_beats_is_restarted_after_the_grace(tmp_path: Path) -> None:
    policy = WatchdogPolicy(**{**FAST.__dict__, "startup_grace_s": 0.5})
    command = [sys.executable, "-c", "import time; time.sleep(60)"]
    report = Watchdog(command, tmp_path / "hb", policy).run(max_starts=2)
    assert report.starts == 2 and all(c.startswith("hung") for c in report.restarts)


def test_backoff_doubles_between_restarts(tmp_path: Path) -> None:
    waits: list[float] = []
    policy = WatchdogPolicy(**{**FAST.__dict__, "first_backoff_s": 1.0, "max_backoff_s": 4.0})
    command = [sys.executable, "-c", "import sys; sys.exit(1)"]
    Watchdog(command, tmp_path / "hb", policy, sleep=waits.append).run(max_starts=5)
    assert [w for w in waits if w >= 1.0] == [1.0, 2.0, 4.0, 4.0]


def test_an_empty_command_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Watchdog([], tmp_path / "hb")
