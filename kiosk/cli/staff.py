"""`kiosk staff add|list|disable|unlock`: staff accounts (a PIN of 6-12 digits, officer or
supervisor).

`staff add` refuses a PIN the policy calls weak (`kiosk.records.pin_policy`) and says why.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _directory(args: argparse.Namespace) -> Any:
    from kiosk.runtime import open_staff_directory
    from kiosk.store import open_store

    config = load_config_from_args(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    return open_staff_directory(config, open_store(config.database_url))


def _read_secret(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask for the PIN: use --pin-stdin")
    import getpass

    first = getpass.getpass("PIN (6-12 digits 0-9): ")
    if getpass.getpass("again: ") != first:
        raise CliError("the two entries differ")
    return first


def _add(args: argparse.Namespace) -> int:
    from kiosk.records.staff import BadStaffInput

    directory = _directory(args)
    try:
        info = directory.add(args.username, _read_secret(args), args.role, args.name)
    except BadStaffInput as exc:
        raise CliError(str(exc)) from None
    finally:
        directory.store.close()
    print(f"added {info.username} ({info.role.value})")
    return 0


def _list(args: argparse.Namespace) -> int:
    directory = _directory(args)
    try:
        accounts = directory.accounts()
    finally:
        directory.store.close()
    if args.json:
        rows = [
            {
                "username": a.username,
                "name": a.display_name,
                "role": a.role.value,
                "disabled": a.disabled,
                "locked_until": a.locked_until.isoformat() if a.locked_until else None,
            }
            for a in accounts
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not accounts:
        print("no staff accounts (add one: kiosk staff add USERNAME --role supervisor)")
    for a in accounts:
        state = "disabled" if a.disabled else "active"
        if a.locked_until:
            state += f", locked until {a.locked_until:%Y-%m-%d %H:%M} UTC"
        print(f"{a.username:20} {a.role.value:10} {state:10} {a.display_name}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    from kiosk.records.staff import BadStaffInput

    directory = _directory(args)
    try:
        directory.disable(args.username)
    except BadStaffInput as exc:
        raise CliError(str(exc)) from None
    finally:
        directory.store.close()
    print(f"disabled {args.username}")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    from kiosk.records.staff import BadStaffInput, NotPermitted, StaffError

    directory = _directory(args)
    pin = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else ""
    if not pin and sys.stdin.isatty():
        import getpass

        pin = getpass.getpass(f"PIN of supervisor {args.staff}: ")
    try:
        supervisor = directory.authenticate(args.staff, pin)
        directory.unlock(supervisor, args.target)
    except NotPermitted:
        raise CliError(f"{args.staff} is not a supervisor: only a supervisor unlocks") from None
    except BadStaffInput as exc:
        raise CliError(str(exc)) from None
    except StaffError as exc:
        raise CliError(f"not unlocked: {exc}") from None
    finally:
        directory.store.close()
    print(f"unlocked {args.target}")
    return 0


def staff_refusal(exc: Exception, username: str) -> str:
    """One line saying why a staff confirmation (name + PIN) was refused."""
    from kiosk.records.staff import Disabled, LockedOut, WrongPin

    if isinstance(exc, WrongPin):
        return f"wrong PIN or no staff account {username!r}"
    if isinstance(exc, LockedOut):
        return f"{username} is locked after repeated wrong PINs until {exc.until:%H:%M} UTC"
    if isinstance(exc, Disabled):
        return f"staff account {username!r} is disabled"
    return str(exc)


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "staff", _list, "staff accounts (officers, supervisors)")
    parser.set_defaults(json=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add = add_command(actions, "add", _add, "add an account; asks for its PIN (6-12 digits)")
    add.add_argument("username")
    add.add_argument("--role", choices=["officer", "supervisor"], default="officer")
    add.add_argument("--name", default="", help="display name, e.g. 'Trần Thị Bình'")
    add.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from one line of standard input"
    )
    listing = add_command(actions, "list", _list, "list accounts with role and state")
    listing.add_argument("--json", action="store_true")
    disable = add_command(actions, "disable", _disable, "disable an account (no more logins)")
    disable.add_argument("username")
    unlock = add_command(
        actions, "unlock", _unlock, "end a lockout after wrong PINs (a supervisor's PIN on stdin)"
    )
    unlock.add_argument("target", help="the locked account's username, or pin_pad")
    unlock.add_argument("--staff", required=True, metavar="NAME", help="the supervisor")
