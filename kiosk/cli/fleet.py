"""`kiosk fleet …`: the fleet service's side (`admin`); the kiosk's side (`check`, `send`) joins
here from the fleet link."""

from __future__ import annotations

from typing import Any

from kiosk.cli import CliError, add_command


def _help(_args: Any) -> int:
    raise CliError("kiosk fleet: name an action (kiosk fleet --help)")


def register(subparsers: Any) -> None:
    from kiosk.cli.fleet_admin import register_admin

    parser = add_command(subparsers, "fleet", _help, "the province fleet service")
    actions = parser.add_subparsers(dest="fleet_command", metavar="ACTION")
    register_admin(actions)
