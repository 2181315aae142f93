"""`kiosk portal-serve`: the local portal (demo, training, tests) on loopback, with faults.

kiosk portal-serve --port P --db FILE [--error-rate R] [--latency-ms L] [--drop-rate D]
kiosk portal-serve --list --db FILE [--json]     the dossiers it received
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _port(text: str) -> int:
    value = _non_negative(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 0 to 65535, got {text}")
    return value


def _list(args: argparse.Namespace) -> int:
    from kiosk.local_portal.schema import list_received

    try:
        received = list_received(Path(args.db))
    except FileNotFoundError:
        raise CliError(f"no local portal database at {args.db}") from None
    if args.json:
        rows = [
            {
                "portal_code": r.portal_code,
                "idempotency_key": r.idempotency_key,
                "received_at": r.received_at,
            }
            for r in received
        ]
        print(json.dumps(rows, indent=1))
    else:
        for r in received:
            print(f"{r.portal_code}  {r.received_at}  {r.idempotency_key}")
        print(f"{len(received)} dossiers")
    return 0


def _serve(args: argparse.Namespace) -> int:
    if args.list:
        return _list(args)
    if args.port is None:
        raise CliError("--port is required (0: any free port)")
    import random
    import signal

    from kiosk.local_portal.server import Faults, LocalPortal

    faults = Faults(args.error_rate, args.latency_ms, args.drop_rate, random.Random(args.seed))
    try:
        portal = LocalPortal(Path(args.db), port=args.port, faults=faults)
    except OSError as exc:
        raise CliError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"local portal on {portal.url} (db {args.db})", flush=True)
    try:
        portal.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        portal.stop()
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "portal-serve", _serve, "run the local portal (demo/tests) on loopback"
    )
    parser.add_argument("--port", type=_port, metavar="P", help="TCP port (0: any free)")
    parser.add_argument("--db", required=True, metavar="FILE", help="the portal's SQLite file")
    parser.add_argument(
        "--error-rate",
        type=_rate,
        default=0.0,
        metavar="R",
        help="share of requests answered 502/503/504 unprocessed (0..1)",
    )
    parser.add_argument(
        "--latency-ms",
        type=_non_negative,
        default=0,
        metavar="L",
        help="delay added to every request",
    )
    parser.add_argument(
        "--drop-rate",
        type=_rate,
        default=0.0,
        metavar="D",
        help="share of requests processed, then dropped unanswered (0..1)",
    )
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="fault RNG seed")
    parser.add_argument("--list", action="store_true", help="print the received dossiers")
    parser.add_argument("--json", action="store_true", help="with --list: JSON")
