"""`kiosk keys status|rotate`: the keys that seal personal data at rest."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _open(args: argparse.Namespace) -> tuple[Any, Any]:
    from kiosk.crypto.errors import CryptoError
    from kiosk.runtime import open_kiosk_sealer

    config = load_config_from_args(args)
    try:
        return config, open_kiosk_sealer(config)
    except CryptoError as exc:
        raise CliError(str(exc)) from None


def _status(args: argparse.Namespace) -> int:
    from kiosk.crypto.sealer import keyring_path

    config, sealer = _open(args)
    ring = sealer.keyring
    info = {
        "machine_key": ring.machine_key.kind,
        "machine_key_file": str(config.machine_key_file) if ring.machine_key.kind == "file" else "",
        "keyring": str(keyring_path(config.data_dir)),
        "current_data_key": ring.current.hex(),
        "data_keys": sorted(k.hex() for k in ring.data_keys),
    }
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            print(f"{key:17} {', '.join(value) if isinstance(value, list) else value}")
    return 0


def _rotate(args: argparse.Namespace) -> int:
    from kiosk.crypto.rotation import rotate_data_key
    from kiosk.crypto.sealer import attachment_dir
    from kiosk.runtime import open_kiosk_audit_log
    from kiosk.store import open_store

    config, sealer = _open(args)
    store = open_store(config.database_url)
    try:
        report = rotate_data_key(sealer, store, attachment_dir(config.data_dir))
        open_kiosk_audit_log(config, store, sealer).append(
            "admin:cli",
            "keys_rotated",
            {"key": report.new_key_id, "values": report.values, "files": report.files},
        )
    finally:
        store.close()
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
    else:
        print(
            f"new data key {report.new_key_id}: re-wrapped {report.values} stored values and "
            f"{report.files} files; destroyed {len(report.retired)} old key(s)"
        )
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "keys", _status, "keys that seal personal data at rest")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    status = add_command(actions, "status", _status, "show the machine key kind and data keys")
    status.add_argument("--json", action="store_true")
    rotate = add_command(
        actions, "rotate", _rotate, "new data key; re-wrap every sealed value; destroy old keys"
    )
    rotate.add_argument("--json", action="store_true")
    parser.set_defaults(json=False)
