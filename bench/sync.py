"""Outbox → portal under faults (exactly-once delivery): N dossiers committed through the dossier
service, then synced to a local portal run by `kiosk portal-serve` with an error rate and a drop
rate; the portal's own list (`kiosk portal-serve --list --json`) is compared with the outbox:
0 lost, 0 duplicated. Prints medians and the throughput ratio against a fault-free portal.

    python -m bench sync [--count 1000] [--error-rate 0.3] [--drop-rate 0.1] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


class _EveryDay:
    def add(self, start, days):  # type: ignore[no-untyped-def]
        return start + timedelta(days=days)


def _portal(db: Path, error_rate: float, drop_rate: float) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "portal-serve", "--port", "0", "--db", str(db),
         "--error-rate", str(error_rate), "--drop-rate", str(drop_rate), "--seed", "1"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()  # "local portal on http://127.0.0.1:PORT (db …)"
    return process, line.split()[3]


def _listed(db: Path) -> list[dict[str, str]]:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "portal-serve", "--list", "--db", str(db), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return list(json.loads(out.stdout))


def _run(count: int, error_rate: float, drop_rate: float, threads: int) -> dict[str, float]:
    from sqlalchemy import select

    from kiosk.config import KioskConfig, OutboxConfig, StorageConfig
    from kiosk.crypto import open_sealer
    from kiosk.domain.catalogue import load_catalogue
    from kiosk.domain.identity import CitizenIdentity
    from kiosk.portal.client import PortalClient, RetryPolicy
    from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from kiosk.records.outbox import Outbox
    from kiosk.records.sync import SyncWorker
    from kiosk.services.dossiers import KioskDossierService
    from kiosk.store import open_store
    from kiosk.store.models import OutboxEntry

    scratch = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    config = KioskConfig(storage=StorageConfig(data_dir=str(scratch / "kiosk")))
    config.data_dir.mkdir(parents=True)
    sealer = open_sealer(config.security, config.data_dir)
    store = open_store(config.database_url)
    limits = OutboxConfig(soft_limit_count=100000, hard_limit_count=100000)  # all queued first
    outbox = Outbox(
        store, limits, retry_base=timedelta(milliseconds=50), retry_cap=timedelta(seconds=1)
    )
    service = KioskDossierService(
        store, load_catalogue(), outbox, sealer, unit_code="000.00.12.H56",
        working_days=_EveryDay(), submit_wait_s=0,
    )  # fmt: skip
    who = CitizenIdentity("001095012345", "Nguyễn Văn An", date(1995, 3, 17),
                          place_of_residence="Thôn 1, Xã A")  # fmt: skip
    procedure = next(p for p in service.procedures() if p.code == "residence_confirmation")
    commit_ms = []
    for number in range(count):
        draft = service.prefill(procedure, who)
        draft.values.update(content="Thông tin về nơi cư trú", purpose=f"bench {number}")
        draft.attachments.append(
            service.capture_document(draft, procedure.document_names[0], lambda f, k: None)
        )
        start = time.perf_counter()
        service.submit(draft, who)
        commit_ms.append((time.perf_counter() - start) * 1000)

    db = scratch / "portal.db"
    server, url = _portal(db, error_rate, drop_rate)
    client = PortalClient(url, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET,
                          retry=RetryPolicy(attempts=4, base_s=0.05, cap_s=0.5))  # fmt: skip
    worker = SyncWorker(outbox, client, sealer, threads=threads, interval_s=0.05)
    start = time.perf_counter()
    worker.start()
    try:
        while outbox.counts()["accepted"] < count and time.perf_counter() - start < 900:
            time.sleep(0.1)
    finally:
        worker.stop()
        client.close()
    seconds = time.perf_counter() - start
    server.terminate()
    server.wait(timeout=10)
    with store.session() as session:
        keys = set(session.scalars(select(OutboxEntry.idempotency_key)))
    store.close()
    listed = _listed(db)
    portal_keys = [row["idempotency_key"] for row in listed]
    return {
        "commit_median_ms": statistics.median(commit_ms),
        "sync_seconds": seconds,
        "per_second": count / seconds,
        "lost": len(keys - set(portal_keys)),
        "duplicated": len(portal_keys) - len(set(portal_keys)),
        "at_portal": len(listed),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench sync")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--error-rate", type=float, default=0.3)
    parser.add_argument("--drop-rate", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    clean = _run(args.count, 0.0, 0.0, args.threads)
    faulty = _run(args.count, args.error_rate, args.drop_rate, args.threads)
    print(f"dossiers {args.count}, sync threads {args.threads}")
    print(f"{'portal':28} {'commit median':>14} {'sync s':>8} {'per s':>8} {'lost':>5} "
          f"{'dup':>4} {'at portal':>9}")  # fmt: skip
    for name, row in (("clean", clean),
                      (f"error {args.error_rate} drop {args.drop_rate}", faulty)):  # fmt: skip
        print(f"{name:28} {row['commit_median_ms']:11.1f} ms {row['sync_seconds']:8.1f} "
              f"{row['per_second']:8.1f} {row['lost']:5d} {row['duplicated']:4d} "
              f"{row['at_portal']:9d}")  # fmt: skip
    print(f"throughput ratio faulty/clean: {faulty['per_second'] / clean['per_second']:.2f}")
    return 0 if faulty["lost"] == faulty["duplicated"] == 0 == clean["lost"] else 1
