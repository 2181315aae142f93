"""`kiosk watchdog [options] -- COMMAND ...`: restart the kiosk app if it dies or hangs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _watchdog(args: argparse.Namespace) -> int:
    from kiosk.ops.watchdog import Watchdog, WatchdogPolicy, install_signal_handlers

    command = list(args.app_command)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        raise CliError("give the command to watch after --, e.g. kiosk watchdog -- kiosk run")
    if args.hang_timeout <= 0 or args.grace <= 0:
        raise CliError("--hang-timeout and --grace must be positive seconds")
    config = load_config_from_args(args)
    heartbeat = Path(args.heartbeat) if args.heartbeat else config.data_dir / "heartbeat"
    watchdog = Watchdog(
        command,
        heartbeat,
        WatchdogPolicy(hang_timeout_s=args.hang_timeout, startup_grace_s=args.grace),
    )
    install_signal_handlers(watchdog)
    report = watchdog.run()
    return report.exit_code


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "watchdog", _watchdog, "run COMMAND; restart it when it dies or hangs"
    )
    parser.add_argument("--heartbeat", metavar="FILE", help="default: <data_dir>/heartbeat")
    parser.add_argument(
        "--hang-timeout", type=float, default=30.0, metavar="S", help="seconds without heartbeat"
    )
    parser.add_argument(
        "--grace", type=float, default=60.0, metavar="S", help="seconds allowed for start-up"
    )
    parser.add_argument("app_command", nargs=argparse.REMAINDER, metavar="-- COMMAND ...")
