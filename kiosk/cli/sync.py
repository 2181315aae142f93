"""`kiosk sync [--once]` sends the outbox to the portal; `kiosk outbox [--json]` lists it."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _open(args: argparse.Namespace) -> Any:
    from kiosk.records.outbox import Outbox
    from kiosk.store import open_store

    config = load_config_from_args(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    return config, store, Outbox(store, config.outbox)


def _sync(args: argparse.Namespace) -> int:
    from kiosk.records.sync import SyncReport, SyncWorker
    from kiosk.runtime import connect_portal, open_kiosk_sealer

    config, store, outbox = _open(args)
    client, local = connect_portal(config)
    worker = SyncWorker(
        outbox,
        client,
        open_kiosk_sealer(config),
        interval_s=config.outbox.sync_interval_s,
        parallel=config.outbox.senders,
    )
    total = SyncReport()
    try:
        recovered = worker.recover()
        outbox.wake_all()  # an operator asked: try every pending entry now
        while True:
            total.add(worker.run_once())
            if args.once:
                break
            time.sleep(config.outbox.sync_interval_s)
    except KeyboardInterrupt:
        pass
    finally:
        client.close()
        if local is not None:
            local.stop()
    counts = outbox.counts()
    guard = outbox.guardrail()
    store.close()
    summary = {
        "recovered": recovered,
        "accepted": total.accepted,
        "rejected": total.rejected,
        "needs_staff": total.needs_staff,
        "deferred": total.deferred,
        "outbox": counts,
        "guardrail": guard.level.value,
        "health": worker.health,
        "errors": sorted(set(total.errors))[:10],
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(
            f"sent: accepted {total.accepted}, rejected {total.rejected}, needs staff "
            f"{total.needs_staff}, deferred {total.deferred}"
            + (f" (recovered {recovered} interrupted sends)" if recovered else "")
        )
        print("outbox: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if guard.staff_text:
            print(guard.staff_text)
        for error in summary["errors"]:
            print(f"  {error}")
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from kiosk.records.outbox import OutboxState

    _config, store, outbox = _open(args)
    try:
        if args.requeue is not None:
            if not outbox.requeue(args.requeue):
                raise CliError(f"no needs-staff outbox entry with id {args.requeue}")
            print(f"entry {args.requeue} will be sent again (same idempotency key)")
            return 0
        states = tuple(args.state) if args.state else ()
        unknown = set(states) - {s.value for s in OutboxState}
        if unknown:
            raise CliError(
                f"unknown state {sorted(unknown)[0]!r}; states: pending, sending, "
                "accepted, rejected, needs_staff"
            )
        rows = outbox.entries(states)
        guard = outbox.guardrail()
        counts = outbox.counts()
    finally:
        store.close()
    if args.json:
        document = {
            "counts": counts,
            "guardrail": {
                "level": guard.level.value,
                "unsent": guard.unsent,
                "staff_text": guard.staff_text,
            },
            "entries": [
                {
                    k: (v.isoformat() if hasattr(v, "isoformat") else v)
                    for k, v in asdict(row).items()
                }
                for row in rows
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        code = row.portal_code or "-"
        why = row.reason or row.last_error
        print(
            f"{row.id:5} {row.state:11} {row.kiosk_reference:20} {code:26} "
            f"{row.procedure_code:28} tries {row.attempts}" + (f"  {why}" if why else "")
        )
    print("outbox: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if guard.staff_text:
        print(guard.staff_text)
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "sync", _sync, "send the outbox to the portal")
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.add_argument("--json", action="store_true", help="machine-readable summary")
    parser = add_command(subparsers, "outbox", _outbox, "list outbox entries and their states")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--state", action="append", metavar="STATE", help="only entries in this state (repeatable)"
    )
    parser.add_argument(
        "--requeue",
        type=int,
        metavar="ID",
        help="send a needs-staff entry again after fixing its cause",
    )
