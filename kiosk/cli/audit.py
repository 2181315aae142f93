"""`kiosk audit verify`: check the hash chain of the audit log."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import add_command, load_config_from_args


def _verify(args: argparse.Namespace) -> int:
    from kiosk.records.audit_anchor import AnchorInvalid
    from kiosk.runtime import open_kiosk_audit_log
    from kiosk.store import open_store

    config = load_config_from_args(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        verdict = open_kiosk_audit_log(config, open_store(config.database_url)).verify()
    except AnchorInvalid as exc:
        print(f"audit log cannot be trusted: {exc}")
        return 1
    if verdict.ok:
        print(f"audit log intact: {verdict.entries} entries")
        return 0
    print(f"audit log broken at entry {verdict.first_broken_id}: {verdict.reason}")
    return 1


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "audit", _verify, "the tamper-evident audit log")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add_command(actions, "verify", _verify, "exit 0 if the chain is intact, else name the entry")
