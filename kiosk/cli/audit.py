"""`kiosk audit verify [--anchor FILE ...]`: check the keyed hash chain of the audit log (and
against signed anchors kept off the machine); `kiosk audit anchor`: print the newest signed anchor
as JSON, to keep elsewhere."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _verify(args: argparse.Namespace) -> int:
    from kiosk.records.audit_anchor import AnchorInvalid, read_exported_anchor
    from kiosk.runtime import open_kiosk_audit_log, open_kiosk_sealer
    from kiosk.store import open_store

    config = load_config_from_args(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    sealer = open_kiosk_sealer(config)
    store = open_store(config.database_url)
    try:
        log = open_kiosk_audit_log(config, store, sealer)
        public_key = _public_key(config.data_dir, sealer)
        kept = [
            read_exported_anchor(_read(path), public_key, str(path))
            for path in getattr(args, "anchor", None) or []
        ]
        verdict = log.verify(external=kept)
    except AnchorInvalid as exc:
        print(f"audit log cannot be trusted: {exc}")
        return 1
    finally:
        store.close()
    if verdict.ok:
        print(f"audit log intact: {verdict.entries} entries")
        return 0
    print(f"audit log broken at entry {verdict.first_broken_id}: {verdict.reason}")
    return 1


def _anchor(args: argparse.Namespace) -> int:
    from kiosk.records.audit_anchor import AnchorInvalid, export_anchor
    from kiosk.runtime import open_kiosk_sealer

    config = load_config_from_args(args)
    try:
        exported = export_anchor(config.data_dir, open_kiosk_sealer(config))
    except AnchorInvalid as exc:
        raise CliError(f"audit log cannot be trusted: {exc}") from None
    if exported is None:
        raise CliError("no signed audit anchor yet: it is written with the next audit entry")
    print(exported.decode("utf-8"))
    return 0


def _public_key(data_dir: Path, sealer: Any) -> str:
    from kiosk.records.audit_anchor import open_anchor

    return open_anchor(data_dir, sealer).public_key


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read the kept anchor {path}: {exc.strerror}") from None


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "audit", _verify, "the tamper-evident audit log")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    verify = add_command(
        actions, "verify", _verify, "exit 0 if the chain is intact, else name the entry"
    )
    verify.add_argument(
        "--anchor",
        action="append",
        metavar="FILE",
        help="also check against a signed anchor kept off the machine (kiosk audit anchor)",
    )
    add_command(
        actions, "anchor", _anchor, "print the newest signed anchor (JSON) to keep elsewhere"
    )
