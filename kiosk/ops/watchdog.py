"""`kiosk watchdog -- kiosk run ...`: keep the kiosk app running.

The watchdog starts the app as a child process with `KIOSK_HEARTBEAT_FILE` set and restarts it
when it dies (any non-zero exit or a signal) or hangs (no heartbeat for `hang_timeout_s` after a
start-up grace period). An exit with code 0 is a deliberate quit by a supervisor: the watchdog
stops too. Restarts back off (1 s, 2 s, 4 s … up to `max_backoff_s`), and the back-off resets
once the app has run for `stable_after_s`. Every restart is logged with its cause.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.ops.heartbeat import HEARTBEAT_ENV

log = logging.getLogger(__name__)


@dataclass
class WatchdogPolicy:
    hang_timeout_s: float = 30.0
    startup_grace_s: float = 60.0  # first beat may take this long (cold start, migrations)
    poll_s: float = 0.5
    first_backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    stable_after_s: float = 300.0
    terminate_wait_s: float = 5.0  # after SIGTERM, before SIGKILL


@dataclass
class WatchdogReport:
    starts: int = 0
    restarts: list[str] = field(default_factory=list)  # cause of each restart
    exit_code: int = 0


class Watchdog:
    def __init__(
        self,
        command: Sequence[str],
        heartbeat: Path,
        policy: WatchdogPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not command:
            raise ValueError("the watchdog needs a command to run")
        self.command = list(command)
        self.heartbeat = heartbeat
        self.policy = policy or WatchdogPolicy()
        self.sleep = sleep
        self.clock = clock
        self.report = WatchdogReport()
        self._stopping = False
        self._child: subprocess.Popen[Any] | None = None

    def stop(self, *_: object) -> None:
        """Stop watching and end the app (SIGTERM / SIGINT to the watchdog)."""
        self._stopping = True

    def run(self, max_starts: int | None = None) -> WatchdogReport:
        backoff = self.policy.first_backoff_s
        while not self._stopping:
            started = self.clock()
            cause = self._run_once()
            if cause is None:
                return self.report
            self.report.restarts.append(cause)
            log.warning("kiosk app %s; restarting in %.0f s", cause, backoff)
            if max_starts is not None and self.report.starts >= max_starts:
                return self.report
            if self.clock() - started >= self.policy.stable_after_s:
                backoff = self.policy.first_backoff_s
            self.sleep(backoff)
            backoff = min(backoff * 2, self.policy.max_backoff_s)
        return self.report

    def _run_once(self) -> str | None:
        """Run the app until it needs a restart (returns why) or ends for good (None)."""
        self.heartbeat.parent.mkdir(parents=True, exist_ok=True)
        self.heartbeat.unlink(missing_ok=True)
        env = {**os.environ, HEARTBEAT_ENV: str(self.heartbeat)}
        self._child = child = subprocess.Popen(self.command, env=env)
        self.report.starts += 1
        started = self.clock()
        while True:
            code = child.poll()
            if code is not None:
                self.report.exit_code = code
                if code == 0:
                    log.info("kiosk app quit normally; watchdog stops")
                    return None
                return f"died (exit code {code})"
            if self._stopping:
                self._end(child)
                self.report.exit_code = 0
                return None
            if self._hung(started):
                self._end(child)
                return f"hung (no heartbeat for {self.policy.hang_timeout_s:.0f} s)"
            self.sleep(self.policy.poll_s)

    def _hung(self, started: float) -> bool:
        now = self.clock()
        try:
            silent_for = time.time() - self.heartbeat.stat().st_mtime
        except FileNotFoundError:
            return now - started > self.policy.startup_grace_s
        return silent_for > self.policy.hang_timeout_s

    def _end(self, child: subprocess.Popen[Any]) -> None:
        child.terminate()
        try:
            child.wait(self.policy.terminate_wait_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def install_signal_handlers(watchdog: Watchdog) -> None:
    signal.signal(signal.SIGTERM, watchdog.stop)
    signal.signal(signal.SIGINT, watchdog.stop)
