"""`kiosk keys init|status|rotate|move-to`: the keys that seal personal data at rest; `status` says
where the machine key lives (`file`, `tpm2`, `dpapi`, `fleet`) and whether it lies beside the
data. With `machine_key = "fleet"` the key is made by `init` and left at the fleet service only
(docs/fleet_link.md §4)."""

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
    from kiosk.crypto.custody import describe
    from kiosk.crypto.sealer import keyring_path, machine_key_path

    config, sealer = _open(args)
    ring = sealer.keyring
    key_file = machine_key_path(config.security, config.data_dir)
    custody = describe(ring.machine_key.kind, key_file, config.data_dir, config.fleet.url)
    info = {
        "machine_key": ring.machine_key.kind,
        "machine_key_file": str(key_file) if ring.machine_key.kind == "file" else "",
        "key_location": custody.location,
        "sealed_key_file": str(key_file) if ring.machine_key.kind == "tpm2" else "",
        "beside_data": custody.beside_data,
        "fleet_url": config.fleet.url if ring.machine_key.kind == "fleet" else "",
        "keyring": str(keyring_path(config.data_dir)),
        "current_data_key": ring.current.hex(),
        "data_keys": sorted(k.hex() for k in ring.data_keys),
    }
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"{key:17} {str(shown).lower() if isinstance(shown, bool) else shown}")
    return 0


def _init(args: argparse.Namespace) -> int:
    """Create the keys of a new kiosk; with custody `fleet`, deposit the key at the fleet."""
    from kiosk.crypto.errors import CryptoError
    from kiosk.crypto.sealer import keyring_path

    config = load_config_from_args(args)
    ring_file = keyring_path(config.data_dir)
    if config.security.machine_key != "fleet":
        if ring_file.exists():
            raise CliError(f"keyring {ring_file} exists already: nothing to do")
        _open(args)  # file, tpm2, dpapi: the first open creates them
        print(f"created keyring {ring_file} ({config.security.machine_key} machine key)")
        return 0
    from kiosk.crypto.fleet_custody import init_fleet_keyring

    try:
        init_fleet_keyring(config.fleet, ring_file)
    except CryptoError as exc:
        raise CliError(str(exc)) from None
    print(
        f"created keyring {ring_file}; its machine key is held by the fleet service "
        f"{config.fleet.url} only (nothing on this disk opens it)"
    )
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


def _move_to(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.crypto.errors import CryptoError
    from kiosk.crypto.keyring import machine_key_for
    from kiosk.crypto.sealer import machine_key_path

    config, sealer = _open(args)
    ring = sealer.keyring
    old_kind, old_file = ring.machine_key.kind, machine_key_path(config.security, config.data_dir)
    if args.kind == old_kind:
        raise CliError(f"the keyring is already wrapped by the {old_kind} machine key")
    target = replace(config.security, machine_key=args.kind, machine_key_file="")
    new_file = machine_key_path(target, config.data_dir)
    try:
        if args.kind == "fleet":
            from kiosk.crypto.fleet_custody import deposit_key

            if not config.fleet.url:
                raise CliError("moving the key to the fleet needs [fleet] url, kiosk_id, token")
            ring.rewrap_with(deposit_key(config.fleet))
        else:
            ring.rewrap_with(machine_key_for(args.kind, new_file, create=True))
    except CryptoError as exc:
        raise CliError(str(exc)) from None
    if old_kind == "file":
        _destroy(old_file)
    print(
        f"the keyring is now wrapped by the {args.kind} machine key"
        + (f" (sealed object {new_file})" if args.kind == "tpm2" else "")
        + f'; the {old_kind} key is destroyed. Now set [security] machine_key = "{args.kind}"'
        + (" and remove machine_key_file" if config.security.machine_key_file else "")
        + f" in {config.source}"
    )
    return 0


def _destroy(path: Any) -> None:
    """Overwrite the old key file, then remove it (best effort against undelete)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
        path.unlink()
    except OSError as exc:
        raise CliError(f"could not destroy the old key file {path}: {exc.strerror}") from None


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "keys", _status, "keys that seal personal data at rest")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    status = add_command(actions, "status", _status, "show the machine key kind and data keys")
    status.add_argument("--json", action="store_true")
    rotate = add_command(
        actions, "rotate", _rotate, "new data key; re-wrap every sealed value; destroy old keys"
    )
    rotate.add_argument("--json", action="store_true")
    move = add_command(
        actions,
        "move-to",
        _move_to,
        "wrap the keyring with another machine key custody (e.g. tpm2); destroys a key file",
    )
    move.add_argument("kind", choices=["tpm2", "dpapi", "file", "fleet"])
    add_command(
        actions,
        "init",
        _init,
        "create a new kiosk's keys (machine_key = fleet: the key goes to the fleet service only)",
    )
    parser.set_defaults(json=False)
