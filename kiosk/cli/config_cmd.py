"""`kiosk config check|show`: validate a kiosk.toml, print the effective configuration."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import add_command, load_config_from_args


def _check(args: argparse.Namespace) -> int:
    config = load_config_from_args(args)
    print(f"ok: {config.source}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from kiosk.config import config_as_toml

    print(config_as_toml(load_config_from_args(args)), end="")
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "config", lambda a: _check(a), "validate or show kiosk.toml")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(
        actions, "check", _check, "validate the configuration (exit 2 with one line if bad)"
    )
    add_command(actions, "show", _show, "print the effective configuration as TOML")
