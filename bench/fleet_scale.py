"""The fleet service at province scale: 500 simulated kiosks' heartbeats and 10,000 help/stat
events against one `kiosk fleet-serve` (uvicorn, its own process) on PostgreSQL on this machine,
the load from this process's thread pool; then the dashboard with 500 kiosks: the status JSON and
the page loaded in Chromium until its figures are drawn. Prints events/s, p50/p99 latency and
page times (medians). Without --db a throwaway PostgreSQL cluster is started (as the tests do).

    python -m bench fleet_scale [--kiosks 500] [--events 10000] [--threads 16] [--db URL]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).parents[1]
OFFICES = 50  # communes: ten kiosks each at 500 kiosks


def _heartbeat(visits: int, paper: str = "ok") -> dict[str, Any]:
    return {
        "version": "0.1.0",
        "devices": {"reader": "ok", "camera": "ok", "printer": "ok", "paper": paper,
                    "speech": "ok"},
        "outbox": {"unsent": visits % 7, "oldest_unsent_s": 30 * (visits % 7), "soft_limit": 20},
        "today": {
            "visits": visits,
            "outcomes": {"birth_registration": {"submitted": visits // 2, "abandoned": 1},
                         "temporary_residence": {"submitted": visits // 3}},
            "median_step_s": {"scan_card": 11.5, "face_check": 6.0},
        },
    }  # fmt: skip


def _event(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "kind": kind, "at": datetime.now(UTC).isoformat(),
            "body": body}  # fmt: skip


def _help(help_id: str) -> dict[str, Any]:
    return _event("help", {"help_id": help_id, "step": "face_check", "step_number": 6,
                           "step_title": "Kiểm tra khuôn mặt", "reason": "citizen"})  # fmt: skip


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Load:
    """One sync per call, each with its own kiosk's token; latency per call in ms."""

    def __init__(self, url: str, tokens: dict[str, str], threads: int) -> None:
        self.url = url
        self.tokens = tokens
        self.threads = threads
        self.clients = [
            httpx.Client(base_url=url, timeout=30,
                         limits=httpx.Limits(max_connections=2, max_keepalive_connections=2))
            for _ in range(threads)
        ]  # fmt: skip

    def close(self) -> None:
        for client in self.clients:
            client.close()

    def run(self, calls: list[tuple[str, list[dict[str, Any]]]]) -> tuple[float, list[float], int]:
        """(seconds, latencies in ms, refused calls) for `calls` of (kiosk_id, events)."""

        def one(index: int) -> tuple[float, bool]:
            kiosk_id, events = calls[index]
            client = self.clients[index % self.threads]
            body = {"kiosk_id": kiosk_id, "sent_at": datetime.now(UTC).isoformat(),
                    "events": events, "have": {"catalogue": "", "trust": ""}}  # fmt: skip
            started = time.perf_counter()
            auth = {"Authorization": f"Bearer {self.tokens[kiosk_id]}"}
            answer = client.post("/api/v1/sync", json=body, headers=auth)
            return (time.perf_counter() - started) * 1000, answer.status_code == 200

        started = time.perf_counter()
        with ThreadPoolExecutor(self.threads) as pool:
            results = list(pool.map(one, range(len(calls))))
        seconds = time.perf_counter() - started
        return seconds, [ms for ms, _ in results], sum(1 for _, ok in results if not ok)


def _serve(db: str, port: int) -> subprocess.Popen[bytes]:
    import os

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "fleet-serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("kiosk fleet-serve did not start")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process `pid` (Linux /proc)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _page_times(url: str, access: str, loads: int) -> list[float]:
    """Dashboard page loads in Chromium (navigation to figures drawn), in ms."""
    from tests.fleet_e2e.browser import LAPTOP, browser_missing, chromium, sign_in, wait_for

    missing = browser_missing()
    if missing:
        print(f"page load: skipped ({missing})")
        return []
    times = []
    with chromium(LAPTOP) as driver:
        sign_in(driver, url, "/dashboard", access)
        loaded = "return document.body.dataset.loaded === 'true'"
        wait_for(lambda: driver.execute_script(loaded), 60, "the dashboard")
        for _ in range(loads):
            started = time.perf_counter()
            driver.get(url + "/dashboard")
            wait_for(lambda: driver.execute_script(loaded), 60, "the dashboard")
            times.append((time.perf_counter() - started) * 1000)
        rows = driver.execute_script("return document.querySelectorAll('#kiosks tbody tr').length")
        print(f"dashboard rows drawn: {rows}")
    return times


def _row(name: str, seconds: float, latencies: list[float], events: int, refused: int) -> None:
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    print(f"{name:22} {events:7d} {seconds:8.2f} {events / seconds:9.1f} "
          f"{p50:8.1f} {p99:8.1f} {refused:7d}")  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench fleet_scale")
    parser.add_argument("--kiosks", type=int, default=500)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--page-loads", type=int, default=5)
    parser.add_argument("--db", default="", help="a fleet database URL (default: throwaway)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from kiosk.fleet_server.admin import enroll, issue_access_token
    from kiosk.fleet_server.db import open_fleet_db
    from tests.support.postgres import PostgresCluster, free_port

    with ExitStack() as stack:
        db_url = args.db
        if not db_url:
            cluster = stack.enter_context(PostgresCluster())
            db_url = cluster.create_database("bench")
        db = open_fleet_db(db_url)
        now = datetime.now(UTC)
        ids = [f"K{n:04d}" for n in range(args.kiosks)]
        tokens = {k: enroll(db, k, f"UBND xã Số {n % OFFICES:02d}", now, replace=True)
                  for n, k in enumerate(ids)}  # fmt: skip
        access = issue_access_token(db, "", "bench", now)
        db.close()
        port = free_port()
        server = _serve(db_url, port)
        stack.callback(server.wait, 20)
        stack.callback(server.terminate)
        url = f"http://127.0.0.1:{port}"
        load = Load(url, tokens, args.threads)
        stack.callback(load.close)

        print(f"kiosks {args.kiosks}, events {args.events}, load threads {args.threads}, "
              f"one fleet-serve process on PostgreSQL")  # fmt: skip
        print(f"{'phase':22} {'events':>7} {'seconds':>8} {'events/s':>9} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'refused':>7}")  # fmt: skip
        cpu_before = _cpu_s(server.pid)
        beats = [(k, [_event("heartbeat", _heartbeat(n % 40))]) for n, k in enumerate(ids)]
        seconds, latencies, refused = load.run(beats)
        _row("heartbeats", seconds, latencies, len(beats), refused)

        # Help requests, their ends and stat heartbeats, a third each; one event per sync, as a
        # kiosk sends a help request the moment it is raised.
        calls: list[tuple[str, list[dict[str, Any]]]] = []
        for n in range(args.events):
            kiosk_id = ids[n % len(ids)]
            help_id = f"{kiosk_id}-h{n // (3 * len(ids))}"
            kind = n // len(ids) % 3
            if kind == 0:
                calls.append((kiosk_id, [_help(help_id)]))
            elif kind == 1:
                calls.append((kiosk_id, [_event("help_closed", {"help_id": help_id})]))
            else:
                calls.append((kiosk_id, [_event("heartbeat", _heartbeat(n % 40 + 1))]))
        seconds, latencies, refused = load.run(calls)
        _row("help/stat, 1 per sync", seconds, latencies, len(calls), refused)

        # The same volume as a kiosk catching up after a day offline sends it: 100 per sync.
        batch = 100
        caught_up = [
            (ids[n % len(ids)], [_event("heartbeat", _heartbeat(n % 40 + 1))
                                 for _ in range(batch)])
            for n in range(args.events // batch)
        ]  # fmt: skip
        seconds, latencies, refused = load.run(caught_up)
        _row(f"stats, {batch} per sync", seconds, latencies, len(caught_up) * batch, refused)
        print(f"fleet-serve CPU over the load: {_cpu_s(server.pid) - cpu_before:.1f} s")

        status_ms = []
        client = httpx.Client(base_url=url, timeout=60,
                              headers={"Authorization": f"Bearer {access}"})  # fmt: skip
        for _ in range(args.page_loads):
            started = time.perf_counter()
            answer = client.get("/api/v1/fleet/status")
            status_ms.append((time.perf_counter() - started) * 1000)
        client.close()
        kiosks = len(answer.json()["kiosks"])
        print(f"status JSON ({kiosks} kiosks, {len(answer.content) / 1024:.0f} KiB): median "
              f"{statistics.median(status_ms):.0f} ms, max {max(status_ms):.0f} ms")  # fmt: skip
        pages = _page_times(url, access, args.page_loads)
        if pages:
            print(f"dashboard page in Chromium: median {statistics.median(pages):.0f} ms, "
                  f"max {max(pages):.0f} ms")  # fmt: skip
    return 0
