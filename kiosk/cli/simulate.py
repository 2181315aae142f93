"""`kiosk simulate --citizens N [--seed S] [--json]`: scripted citizens through the real engine;
with `--ui --screenshots DIR [--size WxH]` through the real window (ui/simulate_walk.py)."""

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
        if args.ui:
            summary = _walk_ui(args, config)
        else:
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
        if args.ui:
            print(f"screenshots {summary['screenshots']}, sentences said {summary['said']}")
            for problem in summary["layout_problems"]:
                print(f"  layout: {problem}")
    return 0


def _walk_ui(args: argparse.Namespace, config: Any) -> dict[str, Any]:
    from pathlib import Path

    from ui.simulate_walk import parse_size, run_walk  # the UI layer: only with --ui

    if not args.screenshots:
        raise CliError("--ui needs --screenshots DIR")
    try:
        size = parse_size(args.size)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    summary: dict[str, Any] = run_walk(
        config, args.citizens, args.seed, Path(args.screenshots), size
    )
    return summary


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
    parser.add_argument("--ui", action="store_true", help="walk the real window (offscreen)")
    parser.add_argument("--screenshots", metavar="DIR", help="with --ui: PNGs and said.txt here")
    parser.add_argument("--size", default="1366x768", metavar="WxH", help="with --ui: window size")
