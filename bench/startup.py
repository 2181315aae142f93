"""Cold start to the welcome screen, against a bare PySide6 window showing one label.

Both are measured the same way in the same run, alternating: milliseconds from process start
(/proc) to the first event-loop turn after the window is shown. Also the peak RSS of each
process (ru_maxrss via wait4). Usage: python -m bench startup [RUNS]
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile

BARE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from kiosk.ops.startup_clock import elapsed_ms
app = QApplication(sys.argv)
label = QLabel("Xin chào"); label.resize(1366, 768); label.show()
def ready():
    print(f"ready: welcome screen in {elapsed_ms():.0f} ms"); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float | None, float]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    out = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{args} exited {process.returncode}: {out}")
    welcome = float(re.search(r"welcome screen in (\d+)", out).group(1))  # type: ignore[union-attr]
    services = re.search(r"services ready in (\d+)", out)
    return welcome, float(services.group(1)) if services else None, usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 7
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # As deployed: bytecode cached (a kiosk PC writes .pyc once; a frozen build ships it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kiosk_ms, bare_ms, services_ms, kiosk_rss, bare_rss = [], [], [], [], []
    with tempfile.TemporaryDirectory() as data:
        env["KIOSK_DATA_DIR"] = data
        _run([sys.executable, "-m", "kiosk", "run", "--demo", "--exit-when-ready"], env)  # warm
        _run([sys.executable, "-c", BARE], env)
        for _ in range(runs):
            welcome, services, rss = _run(
                [sys.executable, "-m", "kiosk", "run", "--demo", "--exit-when-ready"], env
            )
            kiosk_ms.append(welcome)
            services_ms.append(services or 0.0)
            kiosk_rss.append(rss)
            welcome, _, rss = _run([sys.executable, "-c", BARE], env)
            bare_ms.append(welcome)
            bare_rss.append(rss)
    k, b = statistics.median(kiosk_ms), statistics.median(bare_ms)
    print(f"runs: {runs} each, alternating, after one warm-up run of each (bytecode cached)")
    print(f"{'':28}{'median':>10}{'min':>10}{'max':>10}")
    print(f"{'kiosk welcome screen (ms)':28}{k:10.0f}{min(kiosk_ms):10.0f}{max(kiosk_ms):10.0f}")
    print(f"{'bare PySide6 label (ms)':28}{b:10.0f}{min(bare_ms):10.0f}{max(bare_ms):10.0f}")
    print(f"{'kiosk services ready (ms)':28}{statistics.median(services_ms):10.0f}")
    print(f"ratio kiosk / bare: {k / b:.2f} (target <= 2.5)")
    print(
        f"peak RSS: kiosk {statistics.median(kiosk_rss):.0f} MiB, "
        f"bare {statistics.median(bare_rss):.0f} MiB"
    )
    return 0
