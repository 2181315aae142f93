"""Crash test (exactly once): the kiosk process is SIGKILLed at random points while it submits
and syncs, and restarted; every dossier reaches the portal exactly once and the store stays
intact (SQLite integrity and foreign-key checks)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.local_portal.server import start_local_portal

ROOT = Path(__file__).resolve().parents[3]


def child(data_dir: Path, url: str, total: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.kiosk.dossiers.crash_child", str(data_dir), url, str(total)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def crash_loop(tmp_path: Path, kills: int, total: int, seed: int) -> tuple[list[str], list[str]]:
    """Kill the kiosk `kills` times, restart it once more to finish; check the store is intact.
    Returns the kiosk references stored locally and those the portal received."""
    rng = random.Random(seed)
    portal = start_local_portal(tmp_path / "portal.db", error_rate=0.1, drop_rate=0.1, seed=seed)
    data_dir = tmp_path / "kiosk"
    try:
        for number in range(kills):
            process = child(data_dir, portal.url, total)
            if number % 3 == 0:  # during start-up (store migration, recovery)
                time.sleep(rng.uniform(0.1, 2.0))
            else:  # while it submits and syncs
                assert process.stdout is not None
                process.stdout.readline()  # "ready" (or EOF if it died on its own)
                time.sleep(rng.uniform(0.02, 1.0))
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        final = child(data_dir, portal.url, total)
        _out, err = final.communicate(timeout=240)
        assert final.returncode == 0, err.decode()[-2000:]
        received = portal.received()
    finally:
        portal.stop()
    db = sqlite3.connect(data_dir / "kiosk.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        local = [r[0] for r in db.execute("SELECT kiosk_reference FROM dossiers")]
        states = db.execute("SELECT DISTINCT state FROM outbox").fetchall()
        orphans = db.execute(
            "SELECT COUNT(*) FROM dossiers d LEFT JOIN outbox o ON o.dossier_id = d.id"
            " WHERE o.id IS NULL"
        ).fetchone()[0]
    finally:
        db.close()
    assert len(local) == total and orphans == 0 and states == [("accepted",)]
    return sorted(local), sorted(r.kiosk_reference for r in received)


def test_a_few_kills_during_submission_and_sync_lose_and_duplicate_nothing(tmp_path):
    local, at_portal = crash_loop(tmp_path, kills=3, total=25, seed=1)
    assert at_portal == local  # every dossier reached the portal exactly once


@pytest.mark.slow
def test_fifty_kills_during_submission_and_sync_lose_and_duplicate_nothing(tmp_path):
    local, at_portal = crash_loop(tmp_path, kills=50, total=300, seed=2)
    assert at_portal == local  # every dossier reached the portal exactly once
