"""`kiosk simulate --citizens N [--seed S] [--json]`: scripted citizens through the real engine."""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _simulate(args: argparse.Namespace) -> int:
    from kiosk.ops.session_record import attach_recorder
    from kiosk.ops.simulate import simulate
    from kiosk.runtime import open_runtime

    if args.citizens < 1:
        raise CliError(f"--citizens must be at least 1, got {args.citizens}")
    config = load_config_from_args(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-simulate-") as scratch:
        data_dir = args.data_dir or scratch
        config = replace(config, storage=replace(config.storage, data_dir=data_dir))
        runtime = open_runtime(config, demo=True)
        try:
            summary = simulate(
                runtime.services,
                args.citizens,
                args.seed,
                engine_hook=attach_recorder(runtime),
                otp_source=runtime.otp_source,
            )
            from kiosk.cli.fleet import send_queued

            send_queued(runtime)  # with a [fleet] url: what the run queued, and a heartbeat
        finally:
            runtime.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            f"citizens {summary['citizens']}: completed {summary['completed']}, "
            f"failed {summary['failed']}"
        )
        for reason, count in summary["failures"].items():
            print(f"  failed ×{count}: {reason}")
        for step, row in summary["steps"].items():
            counts = ", ".join(f"{k} {v}" for k, v in row.items() if k != "median_s")
            print(f"  {step:18} {counts}; median {row['median_s']} s")
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "simulate", _simulate, "run scripted citizen journeys headless (demo devices)"
    )
    parser.add_argument("--citizens", type=int, default=10, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--json", action="store_true", help="machine-readable summary")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep the store here (default: a temporary folder)"
    )
