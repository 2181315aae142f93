"""`kiosk retention purge|forget`: delete personal data that is no longer needed.

`kiosk retention forget --staff NAME --reason TEXT --id-stdin [--json]` is a supervisor's act,
confirmed by that supervisor's PIN: standard input gives the citizen's ID number on its first line
and the PIN on its second (without --id-stdin both are asked on the terminal, not echoed). A wrong
PIN, a locked or unknown account, or an officer: exit 2 with one line, audited, nothing deleted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args
from kiosk.cli.staff import staff_refusal


def _open(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from kiosk.crypto.errors import CryptoError
    from kiosk.runtime import (
        open_kiosk_audit_log,
        open_kiosk_sealer,
        open_print_queue,
        open_retention,
    )
    from kiosk.store import open_store

    config = load_config_from_args(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        sealer = open_kiosk_sealer(config)
    except CryptoError as exc:
        raise CliError(str(exc)) from None
    store = open_store(config.database_url)
    audit = open_kiosk_audit_log(config, store, sealer)
    retention = open_retention(config, store, audit, open_print_queue(config, sealer))
    return config, sealer, retention


def _purge(args: argparse.Namespace) -> int:
    config, _, retention = _open(args)
    try:
        report = retention.purge(dry_run=args.dry_run)
    finally:
        retention.store.close()
    if args.json:
        print(json.dumps(report.__dict__))
    else:
        verb = "would delete" if args.dry_run else "deleted"
        print(
            f"{verb} {report.dossiers} dossier(s) accepted more than "
            f"{config.security.retention_days} days ago, {report.drafts} expired draft(s), "
            f"{report.files} attachment file(s), {report.print_jobs} print job(s) and "
            f"{report.prints} printed file(s) older than {config.security.print_queue_days} days"
        )
    return 0


def _forget(args: argparse.Namespace) -> int:
    from kiosk.records.retention import RetentionError

    id_number, pin = _read_id_and_pin(args)
    if not re.fullmatch(r"\d{12}", id_number):
        raise CliError("the ID number must be 12 digits")
    config, sealer, retention = _open(args)
    try:
        _confirm_supervisor(config, retention, args.staff, pin)
        report = retention.forget_citizen(
            sealer, id_number, args.staff, args.reason, include_unsent=args.withdraw
        )
    except RetentionError as exc:
        raise CliError(str(exc)) from None
    finally:
        retention.store.close()
    if args.json:
        print(json.dumps(report.__dict__))
    else:
        print(
            f"citizen {report.masked_id}: deleted {report.dossiers} dossier(s), "
            f"{report.drafts} draft(s), {report.files} file(s), {report.print_jobs} print job(s) "
            f"and {report.prints} printed file(s); kept {report.kept_unsent} "
            "dossier(s) not yet accepted by the portal"
            + ("" if args.withdraw else " (use --withdraw to delete those too)")
        )
    return 0


def _read_id_and_pin(args: argparse.Namespace) -> tuple[str, str]:
    """The citizen's ID number and the supervisor's PIN: two lines of standard input with
    --id-stdin, else asked on the terminal without echo."""
    if args.id_stdin:
        id_number = sys.stdin.readline().strip()
        pin = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        id_number = getpass.getpass("ID number (12 digits, not echoed): ").strip()
        pin = getpass.getpass(f"PIN of supervisor {args.staff}: ")
    else:
        raise CliError("no terminal to ask for the ID number and PIN: use --id-stdin")
    if not pin:
        raise CliError(
            f"no PIN for {args.staff}: give the supervisor's PIN on the second line of stdin"
        )
    return id_number, pin


def _confirm_supervisor(config: Any, retention: Any, username: str, pin: str) -> None:
    """`username` is a supervisor and `pin` is theirs, or CliError (each refusal is audited by
    the staff directory, wrong PINs count towards the account's lockout)."""
    from kiosk.records.staff import NotPermitted, Permission, StaffError
    from kiosk.runtime import open_staff_directory

    directory = open_staff_directory(config, retention.store, retention.audit)
    try:
        user = directory.authenticate(username, pin)
        directory.require(user, Permission.FORGET_CITIZEN)
    except NotPermitted:
        raise CliError(
            f"{username} is not a supervisor: only a supervisor may forget a citizen"
        ) from None
    except StaffError as exc:
        raise CliError(
            f"not confirmed: {staff_refusal(exc, username)}; nothing was deleted"
        ) from None


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "retention", _purge, "delete personal data that is no longer needed"
    )
    parser.set_defaults(json=False, dry_run=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    purge = add_command(
        actions, "purge", _purge, "delete dossiers synced longer ago than retention_days"
    )
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    purge.add_argument("--json", action="store_true")
    forget = add_command(
        actions,
        "forget",
        _forget,
        "forget one citizen, confirmed by a supervisor's PIN (the ID number and PIN are read, "
        "never arguments)",
    )
    forget.add_argument("--reason", required=True, help="why (recorded in the audit log)")
    forget.add_argument(
        "--staff", required=True, metavar="NAME", help="the supervisor's username (PIN confirms)"
    )
    forget.add_argument(
        "--withdraw", action="store_true", help="also delete dossiers not yet sent (withdraws them)"
    )
    forget.add_argument(
        "--id-stdin",
        action="store_true",
        help="read the ID number (first line) and the supervisor's PIN (second line) from stdin",
    )
    forget.add_argument("--json", action="store_true")
