"""`kiosk trust list|import|import-masterlist`: the CSCA trust store for passive authentication."""

from __future__ import annotations

import argparse
import json
import sys
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
        print(json.dumps([row.as_json() for row in rows], indent=2))
        return 0
    if not rows:
        print(f"trust store {folder.folder} is empty: passive authentication cannot succeed")
        return 0
    for row in rows:
        flag = {"expired": "EXPIRED", "expiring": f"expires in {row.days_left} days"}.get(
            row.status, ""
        )
        if not row.usable and row.status != "expired":
            flag = f"UNUSABLE: {row.reason}"
        key = f"{row.key_algorithm} {row.curve}".strip()
        until = f"{row.not_after:%Y-%m-%d}" if row.not_after else "?" * 10
        print(f"{row.country:3} {until}  {row.subject:50.50} {key:18.18} {row.file}  {flag}")
    soon = [r for r in rows if r.status == "expiring"]
    if soon:
        print(f"warning: {len(soon)} certificate(s) expire within {warn_days} days")
    return 0


def _print_report(report: Any, args: argparse.Namespace) -> None:
    if args.json:
        print(
            json.dumps(
                {
                    "added": list(report.added),
                    "already_present": report.already_present,
                    "signer": report.signer,
                }
            )
        )
        return
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
    """Exit 0 when the list's signature is VALID (and its usable CSCAs were written), 1 when it
    is not (nothing written; the reason goes to stderr), 2 when the file is no master list."""
    from kiosk.records.trust_store import TrustStoreError

    _, folder = _folder(args)
    try:
        report = folder.import_master_list(_read(args.file), args.accept_fingerprint)
    except TrustStoreError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        _print_master_list_report(report)
    if report.signature != "VALID":
        print(f"{args.file}: signature {report.signature}: {report.detail}", file=sys.stderr)
        return 1
    return 0


def _print_master_list_report(report: Any) -> None:
    if report.signature == "VALID":
        print(f"master list signature VALID (signer {report.signer})")
        print(
            f"imported {len(report.added)} certificate(s), {report.already_present} already present"
        )
    else:
        print(f"master list signature {report.signature}: nothing imported")
    for skipped in report.skipped:
        print(f"skipped: {skipped.subject}: {skipped.reason}")


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
