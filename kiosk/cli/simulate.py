"""`kiosk simulate --citizens N [--seed S] [--json] [--data-dir DIR]`: scripted citizens through
the real engine, on the simulation's own store (`kiosk.ops.simulate`), with demo devices and the
configured portal (none: the local demo portal); with `--ui --screenshots DIR [--size WxH]`
through the real window (ui/simulate_walk.py)."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _simulate(args: argparse.Namespace) -> int:
    from kiosk.ops.simulate import kiosk_data_in, simulation_config
    from kiosk.runtime import DEMO_DEVICES

    if args.citizens < 1:
        raise CliError(f"--citizens must be at least 1, got {args.citizens}")
    config = load_config_from_args(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-simulate-") as scratch:
        data_dir = Path(args.data_dir or scratch).expanduser()
        config = simulation_config(config, data_dir, DEMO_DEVICES)
        config.data_dir.mkdir(parents=True, exist_ok=True)
        found = kiosk_data_in(config.database_url)
        if found:
            raise CliError(
                f"{data_dir} holds a kiosk's store ({found}), not a simulation's: "
                "simulate in another --data-dir, or without one (a temporary folder)"
            )
        summary = _walk_ui(args, config) if args.ui else _run_headless(args, config)
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


def _run_headless(args: argparse.Namespace, config: Any) -> dict[str, Any]:
    from devices.card.simulator import simulated_citizens
    from kiosk.cli.fleet import send_queued
    from kiosk.journey.steps.identity import vietnam_today
    from kiosk.ops.session_record import attach_recorder
    from kiosk.ops.simulate import mark_simulation_store, simulate
    from kiosk.runtime import open_runtime

    people = simulated_citizens(args.citizens, args.seed, vietnam_today())
    # demo devices, but not demo mode: a configured [portal] url gets the dossiers
    runtime = open_runtime(config, demo=False)
    try:
        mark_simulation_store(runtime.store, runtime.audit)
        summary: dict[str, Any] = simulate(
            runtime.services,
            args.citizens,
            args.seed,
            engine_hook=attach_recorder(runtime),
            otp_source=runtime.otp_source,
            people=people,
        )
        send_queued(runtime)  # with a [fleet] url: what the run queued, and a heartbeat
    finally:
        runtime.close()
    return summary


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
        "--data-dir",
        metavar="DIR",
        help="keep the simulation's store here (default: a temporary folder); "
        "refused if it holds a kiosk's dossiers",
    )
    parser.add_argument("--ui", action="store_true", help="walk the real window (offscreen)")
    parser.add_argument("--screenshots", metavar="DIR", help="with --ui: PNGs and said.txt here")
    parser.add_argument("--size", default="1366x768", metavar="WxH", help="with --ui: window size")
