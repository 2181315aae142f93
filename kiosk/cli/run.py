"""`kiosk run [--demo] [--windowed] [--exit-when-ready]`: start the kiosk.

The one place in `kiosk/` that reaches up to `ui/`: the entry point has to start the screens.
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import add_command, load_config_from_args


def _run(args: argparse.Namespace) -> int:
    from ui.app import run_kiosk

    config = load_config_from_args(args)
    return run_kiosk(
        config,
        demo=args.demo,
        windowed=args.windowed,
        exit_when_ready=args.exit_when_ready,
        english=args.english,
    )


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "run", _run, "start the kiosk (full screen)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="simulated card reader and cards, sample camera, printer to a folder, local portal",
    )
    parser.add_argument("--windowed", action="store_true", help="a window, not full screen")
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="start, reach the welcome screen, print the time to ready in ms and exit 0",
    )
    parser.add_argument("--english", action="store_true", help="start in English")
