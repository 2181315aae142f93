"""`kiosk journey --diagram`: the transition table as a Mermaid state diagram."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import add_command


def _journey(args: argparse.Namespace) -> int:
    from kiosk.journey.table import all_transitions, mermaid

    if args.diagram:
        print(mermaid(), end="")
    else:
        for state, event, target in all_transitions():
            name = target.value
            print(f"{state.value:18} --{event.kind}--> {name}")
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "journey", _journey, "show the journey's transition table")
    parser.add_argument("--diagram", action="store_true", help="print a Mermaid state diagram")
