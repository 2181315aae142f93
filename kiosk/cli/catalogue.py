"""`kiosk catalogue list|check|seal`: the procedure catalogue (fees, times, forms) as data.

A supervisor edits `<data_dir>/procedures.json` (copy it from `kiosk catalogue list --json`'s
source), runs `kiosk catalogue check FILE`, then `kiosk catalogue seal FILE`; the kiosk refuses a
file whose seal does not match.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _load(args: argparse.Namespace) -> Any:
    from kiosk.domain.catalogue import CatalogueError, catalogue_for_data_dir, load_catalogue

    try:
        if getattr(args, "file", None):
            return load_catalogue(Path(args.file))
        return catalogue_for_data_dir(load_config_from_args(args).data_dir)
    except CatalogueError as exc:
        raise CliError(str(exc)) from None


def _list(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    if args.json:
        print(
            json.dumps(
                {
                    "version": catalogue.version,
                    "source": catalogue.source,
                    "sha256": catalogue.sha256,
                    "procedures": [
                        {
                            "code": p.code,
                            "name": p.name,
                            "authority": p.authority,
                            "fee_vnd": p.fee.base_vnd,
                            "processing_days": p.processing_days,
                            "same_day": p.same_day is not None,
                            "receipt_form": p.receipt_form,
                            "online": p.online,
                            "fields": len(p.fields),
                            "documents": len(p.documents),
                        }
                        for p in catalogue.procedures
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    print(f"catalogue {catalogue.version} ({catalogue.source}, sha256 {catalogue.sha256[:12]}…)")
    for p in catalogue.procedures:
        days = "same day" if p.same_day else f"{p.processing_days} working days"
        print(f"  {p.code:28} {p.name} — {p.fee.base_vnd:,} đ, {days}, form {p.receipt_form}")
    return 0


def _check(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    print(
        f"ok: {catalogue.source} version {catalogue.version}, "
        f"{len(catalogue.procedures)} procedures, seal matches"
    )
    return 0


def _seal(args: argparse.Namespace) -> int:
    from kiosk.domain.catalogue import CatalogueError, seal_catalogue, seal_path

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no catalogue file {path}")
    try:
        catalogue = seal_catalogue(path)
    except CatalogueError as exc:
        raise CliError(f"not sealed: {exc}") from None
    print(
        f"sealed {path} → {seal_path(path).name} (version {catalogue.version}, "
        f"sha256 {catalogue.sha256[:12]}…)"
    )
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "catalogue", _list, "the procedure catalogue")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = add_command(actions, "list", _list, "list the procedures in use")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(json=False)
    check = add_command(actions, "check", _check, "validate a catalogue and its seal")
    check.add_argument("file", nargs="?", help="default: the catalogue in use")
    seal = add_command(actions, "seal", _seal, "validate FILE and write its seal FILE.sha256")
    seal.add_argument("file")
