"""`kiosk trust list|import|import-masterlist`: the CSCA trust store for passive authentication."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _folder(args: argparse.Namespace) -> tuple[Any, Any]:
    from kiosk.records.trust_store import TrustStoreFolder

    config = load_config_from_args(args)
    return config, TrustStoreFolder(config.trust_store)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None


def _list(args: argparse.Namespace) -> int:
    config, folder = _folder(args)
    warn_days = config.security.trust_expiry_warn_days
    rows = folder.entries(warn_days=warn_days)
    if args.json:
        print(
            json.dumps(
                [{**row.__dict__, "not_after": row.not_after.isoformat()} for row in rows], indent=2
            )
        )
        return 0
    if not rows:
        print(f"trust store {folder.folder} is empty: passive authentication cannot succeed")
        return 0
    for row in rows:
        flag = {"expired": "EXPIRED", "expiring": f"expires in {row.days_left} days"}.get(
            row.status, ""
        )
        print(f"{row.country:3} {row.not_after:%Y-%m-%d}  {row.subject:50.50} {row.file}  {flag}")
    soon = [r for r in rows if r.status == "expiring"]
    if soon:
        print(f"warning: {len(soon)} certificate(s) expire within {warn_days} days")
    return 0


def _print_report(report: Any, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
        return
    if report.signer:
        print(f"master list signature verified (signer {report.signer})")
    print(f"added {len(report.added)} certificate(s), {report.already_present} already present")


def _import(args: argparse.Namespace) -> int:
    from kiosk.records.trust_store import TrustStoreError

    _, folder = _folder(args)
    for path in args.files:
        try:
            report = folder.import_certificates(_read(path))
        except TrustStoreError as exc:
            raise CliError(f"{path}: {exc}") from None
        _print_report(report, args)
    return 0


def _import_master_list(args: argparse.Namespace) -> int:
    from kiosk.records.trust_store import TrustStoreError

    _, folder = _folder(args)
    try:
        report = folder.import_master_list(_read(args.file), args.accept_fingerprint)
    except TrustStoreError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    _print_report(report, args)
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "trust", _list, "CSCA certificates for passive authentication")
    parser.set_defaults(json=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = add_command(actions, "list", _list, "certificates with expiry dates and warnings")
    listing.add_argument("--json", action="store_true")
    cert = add_command(actions, "import", _import, "import CSCA certificates (DER or PEM)")
    cert.add_argument("files", nargs="+", metavar="FILE")
    cert.add_argument("--json", action="store_true")
    master = add_command(
        actions,
        "import-masterlist",
        _import_master_list,
        "import an ICAO CSCA master list after verifying its signature",
    )
    master.add_argument("file", metavar="FILE")
    master.add_argument(
        "--accept-fingerprint",
        default="",
        metavar="SHA256",
        help="the signer's CSCA fingerprint, confirmed with the issuing state's publication",
    )
    master.add_argument("--json", action="store_true")
