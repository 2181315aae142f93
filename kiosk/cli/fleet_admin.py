"""`kiosk fleet admin --db URL …`: the fleet service's database, on the province server
(docs/fleet.md §3, §4).

  enroll --kiosk-id ID [--office NAME] [--replace] [--json]   {"kiosk_id": "...", "token": "..."}
  revoke --kiosk-id ID                                         the kiosk's token answers 401
  status [--json]                                              every kiosk, alerts, figures
  push-catalogue FILE / push-trust FILE                        sign and offer an update
  update-key [--json]                                          the public key kiosks pin
  access-token [--office NAME] [--label L] [--json]            console/dashboard sign-in
  revoke-access [--office NAME] [--label L]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command


def open_db(url: str, secrets_key: str | None = None) -> Any:
    """The migrated fleet database with its secrets opened (and sealed, given a secrets key:
    `--secrets-key FILE` or KIOSK_FLEET_SECRETS_KEY); every failure is one line (exit 2)."""
    from kiosk.crypto.errors import CryptoError
    from kiosk.fleet_server.db import open_fleet_db
    from kiosk.fleet_server.secrets import SecretsLocked, load_secrets, seal_and_check
    from kiosk.store.db import StoreError

    try:
        secrets = load_secrets(secrets_key)
    except CryptoError as exc:
        raise CliError(f"fleet secrets key: {exc}") from None
    try:
        db = open_fleet_db(url, secrets=secrets)
    except StoreError as exc:
        remedy = exc.remedy if "driver" in exc.what else "check the database server and --db"
        raise CliError(f"fleet database: {exc.what} ({exc.where}); {remedy}") from None
    try:
        sealed = seal_and_check(db)
    except SecretsLocked as exc:
        db.close()
        raise CliError(str(exc)) from None
    if sealed:
        print(f"fleet: sealed {sealed} secrets with the secrets key", file=sys.stderr)
    return db


def _now() -> datetime:
    return datetime.now(UTC)


def _with_db(action: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        db = open_db(args.db, args.secrets_key)
        try:
            return int(action(db, args))
        finally:
            db.close()

    return run


def _enroll(db: Any, args: argparse.Namespace) -> int:
    from kiosk.fleet_server.admin import EnrollRefused, enroll

    try:
        token = enroll(db, args.kiosk_id, args.office, _now(), replace=args.replace)
    except EnrollRefused as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps({"kiosk_id": args.kiosk_id, "token": token}))
    else:
        print(f"kiosk {args.kiosk_id} enrolled; its [fleet] token (shown once):")
        print(token)
    return 0


def _revoke(db: Any, args: argparse.Namespace) -> int:
    from kiosk.fleet_server.admin import EnrollRefused, revoke

    try:
        revoke(db, args.kiosk_id, _now())
    except EnrollRefused as exc:
        raise CliError(str(exc)) from None
    print(f"kiosk {args.kiosk_id} revoked: its token is refused and no data key is released")
    return 0


def _status(db: Any, args: argparse.Namespace) -> int:
    from kiosk.fleet_server.status import fleet_status

    status = fleet_status(db, _now())
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1))
        return 0
    for kiosk in status["kiosks"]:
        state = "revoked" if kiosk["revoked"] else "online" if kiosk["online"] else "OFFLINE"
        devices = " ".join(f"{k}={v}" for k, v in sorted(kiosk["devices"].items()))
        print(
            f"{kiosk['kiosk_id']:<16} {kiosk['office'][:24]:<24} {state:<8} "
            f"last seen {kiosk['last_seen'] or 'never'}  unsent {kiosk['outbox']['unsent']}  "
            f"visits today {kiosk['today']['visits']}  {devices}"
        )
    for alert in status["alerts"]:
        print(f"ALERT {alert['kind']} {alert['kiosk_id']}: {alert['detail']}")
    print(f"{len(status['kiosks'])} kiosks, {len(status['alerts'])} alerts")
    return 0


def _read(path: str) -> bytes:
    return Path(path).read_bytes()  # an OSError becomes one line in kiosk.cli.main


def _push_catalogue(db: Any, args: argparse.Namespace) -> int:
    from kiosk.domain.catalogue import CatalogueError, parse_catalogue
    from kiosk.fleet_server.updates import push_update

    data = _read(args.file)
    try:
        parse_catalogue(data, args.file)
    except CatalogueError as exc:
        raise CliError(f"not a procedure catalogue: {exc}") from None
    return _pushed(push_update(db, "catalogue", data, _now()), args)


def _push_trust(db: Any, args: argparse.Namespace) -> int:
    from devices.card.errors import CardError
    from devices.card.trust_store import is_master_list, master_list_certificates, read_certificates
    from kiosk.fleet_server.updates import push_update

    data = _read(args.file)
    try:
        found = (
            len(master_list_certificates(data))
            if is_master_list(data)
            else len(read_certificates(data))
        )
    except CardError as exc:
        raise CliError(f"not a CSCA master list or PEM/DER certificates: {exc}") from None
    if not found:
        raise CliError(f"{args.file} holds no certificate")
    return _pushed(push_update(db, "trust", data, _now()), args)


def _pushed(pushed: dict[str, str], args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(pushed))
    else:
        print(
            f"{pushed['kind']} {pushed['sha256']} signed (key {pushed['key_id'][:16]}…); "
            "kiosks fetch it at their next sync"
        )
    return 0


def _update_key(db: Any, args: argparse.Namespace) -> int:
    from kiosk.fleet_server.updates import update_public_key

    key = update_public_key(db)
    print(json.dumps(key) if args.json else key["public_key"])
    return 0


def _access_token(db: Any, args: argparse.Namespace) -> int:
    from kiosk.fleet_server.admin import issue_access_token

    token = issue_access_token(db, args.office, args.label, _now())
    if args.json:
        print(json.dumps({"office": args.office, "label": args.label, "token": token}))
    else:
        where = f"the console of {args.office}" if args.office else "the dashboard and consoles"
        print(f"access token for {where} (shown once):")
        print(token)
    return 0


def _revoke_access(db: Any, args: argparse.Namespace) -> int:
    from kiosk.fleet_server.admin import revoke_access_tokens

    count = revoke_access_tokens(db, args.office, args.label, _now())
    print(f"{count} access tokens revoked")
    return 0


def register_admin(fleet_subparsers: Any) -> None:
    """`admin` under `kiosk fleet`."""
    admin = add_command(
        fleet_subparsers,
        "admin",
        _no_action,
        "manage the fleet service's database (province server)",
    )
    admin.add_argument(
        "--db",
        required=True,
        metavar="URL",
        help="the fleet database, e.g. postgresql+psycopg://fleet@localhost/fleet",
    )
    add_secrets_key(admin)
    actions = admin.add_subparsers(dest="admin_command", metavar="ACTION")

    enroll = add_command(actions, "enroll", _with_db(_enroll), "enroll a kiosk: print its token")
    enroll.add_argument("--kiosk-id", required=True, metavar="ID")
    enroll.add_argument("--office", default="", metavar="NAME", help="the commune office")
    enroll.add_argument("--replace", action="store_true", help="issue a new token (old refused)")
    enroll.add_argument("--json", action="store_true")

    revoke = add_command(actions, "revoke", _with_db(_revoke), "refuse a kiosk's token from now")
    revoke.add_argument("--kiosk-id", required=True, metavar="ID")

    status = add_command(actions, "status", _with_db(_status), "every kiosk's status and alerts")
    status.add_argument("--json", action="store_true")

    for name, handler, what in (
        ("push-catalogue", _push_catalogue, "sign and offer a procedures.json to every kiosk"),
        ("push-trust", _push_trust, "sign and offer a CSCA master list or PEM bundle"),
    ):
        push = add_command(actions, name, _with_db(handler), what)
        push.add_argument("file", metavar="FILE")
        push.add_argument("--json", action="store_true")

    key = add_command(
        actions,
        "update-key",
        _with_db(_update_key),
        "print the update-signing public key ([fleet] update_key)",
    )
    key.add_argument("--json", action="store_true")

    access = add_command(
        actions,
        "access-token",
        _with_db(_access_token),
        "issue a console (--office) or dashboard sign-in token",
    )
    access.add_argument("--office", default="", metavar="NAME", help="empty: the province")
    access.add_argument("--label", default="", metavar="L", help="who holds it")
    access.add_argument("--json", action="store_true")

    revoke_access = add_command(
        actions,
        "revoke-access",
        _with_db(_revoke_access),
        "revoke console/dashboard sign-in tokens",
    )
    revoke_access.add_argument("--office", default="", metavar="NAME")
    revoke_access.add_argument("--label", default="", metavar="L", help="empty: all of them")


def add_secrets_key(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--secrets-key",
        metavar="FILE",
        help="32-byte key sealing the database's signing and data keys (made if missing; "
        "default: $KIOSK_FLEET_SECRETS_KEY, else kept unsealed)",
    )


def _no_action(_args: argparse.Namespace) -> int:
    raise CliError(
        "kiosk fleet admin: name an action (enroll, revoke, status, push-catalogue, "
        "push-trust, update-key, access-token, revoke-access)"
    )
