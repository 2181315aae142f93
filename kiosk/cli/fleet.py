"""`kiosk fleet check|send`: this kiosk's link to the province's fleet service (docs/fleet_link.md).

`check` asks the service once and prints one line each for the connection, the token and the
clock (exit 2 when one fails); `send` sends what is queued now, with a fresh heartbeat, and prints
the counts. On the fleet server, `kiosk fleet admin …` is added by `kiosk.cli.fleet_admin` when
that module is installed.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.cli import EXIT_BAD_INPUT, CliError, add_command, load_config_from_args

MAX_CLOCK_SKEW = timedelta(minutes=2)  # as `kiosk doctor` allows against the portal


def _fleet_config(args: argparse.Namespace) -> Any:
    config = load_config_from_args(args)
    if not config.fleet.url:
        raise CliError(f"no [fleet] url in {config.source}: this kiosk has no fleet service")
    return config


def _check(args: argparse.Namespace) -> int:
    from kiosk.fleet_link.client import FleetClient
    from kiosk.fleet_link.errors import FleetError, FleetTokenInvalid

    config = _fleet_config(args)
    fleet = config.fleet
    client = FleetClient(fleet.url, fleet.token)
    request = {
        "kiosk_id": fleet.kiosk_id,
        "sent_at": datetime.now(UTC).isoformat(),
        "events": [],
        "have": {"catalogue": "", "trust": ""},
    }
    try:
        answer = client.sync(request)
    except FleetTokenInvalid:
        print(f"connection  ok     {fleet.url}")
        print(f"token       FAIL   refused (revoked or wrong [fleet] token for {fleet.kiosk_id})")
        return EXIT_BAD_INPUT
    except FleetError as exc:
        print(f"connection  FAIL   {exc}")
        return EXIT_BAD_INPUT
    finally:
        client.close()
    print(f"connection  ok     {fleet.url}")
    print(f"token       ok     kiosk {fleet.kiosk_id}")
    if answer.server_time is None:
        print("clock       FAIL   the service sent no server_time")
        return EXIT_BAD_INPUT
    skew = (datetime.now(UTC) - answer.server_time).total_seconds()
    verdict = "ok  " if abs(skew) <= MAX_CLOCK_SKEW.total_seconds() else "FAIL"
    print(f"clock       {verdict}   {skew:+.1f} s against the fleet service's clock")
    if verdict != "ok  ":
        print("            → enable time synchronisation (NTP) on this PC", file=sys.stderr)
        return EXIT_BAD_INPUT
    _pin_update_key(config)
    return 0


def _pin_update_key(config: Any) -> None:
    """Trust on first use: pin the fleet's update key now, when none is pinned yet."""
    from kiosk.crypto.signed_update import raw_key_id as key_id
    from kiosk.fleet_link.client import FleetClient
    from kiosk.fleet_link.errors import FleetError
    from kiosk.fleet_link.queue import FleetQueue
    from kiosk.fleet_link.updates import PINNED_KEY, UpdateApplier
    from kiosk.runtime import open_kiosk_audit_log
    from kiosk.store import open_store

    if config.fleet.update_key:
        print("update key  ok     configured ([fleet] update_key)")
        return
    store = open_store(config.database_url)
    try:
        queue = FleetQueue(store)
        pinned = queue.get_state(PINNED_KEY)
        if not pinned:
            client = FleetClient(config.fleet.url, config.fleet.token)
            try:
                offered = client.update_key()
                applier = UpdateApplier(
                    config.data_dir,
                    config.trust_store,
                    queue,
                    open_kiosk_audit_log(config, store),
                )
                raw = base64.b64decode(offered, validate=True)
                applier.public_key(client, key_id(raw))
                pinned = offered
            except (FleetError, ValueError) as exc:
                print(f"update key  --     not pinned yet ({exc}); pinned at the first update")
                return
            finally:
                client.close()
        print(f"update key  ok     pinned {key_id(base64.b64decode(pinned))[:16]}…")
    finally:
        store.close()


def send_queued(runtime: Any) -> Any:
    """Send the runtime's queued fleet events now (with a fresh heartbeat); None without a
    fleet link. A service that cannot be reached leaves them queued (one line on stderr)."""
    from kiosk.fleet_link.errors import FleetError

    link = getattr(runtime, "fleet", None)
    if link is None:
        return None
    try:
        return link.run_round(heartbeat=True)
    except FleetError as exc:
        print(f"kiosk: fleet: {exc}; the events stay queued", file=sys.stderr)
        return None


def _send(args: argparse.Namespace) -> int:
    from kiosk.fleet_link.errors import FleetError
    from kiosk.fleet_link.link import open_fleet_link
    from kiosk.runtime import open_kiosk_audit_log, open_kiosk_sealer
    from kiosk.store import open_store

    config = _fleet_config(args)
    store = open_store(config.database_url)
    try:
        sealer = open_kiosk_sealer(config)
        link = open_fleet_link(config, store, open_kiosk_audit_log(config, store, sealer), sealer)
        try:
            report = link.run_round(heartbeat=True)
        except FleetError as exc:
            backlog = link.queue.backlog()
            raise CliError(f"fleet: {exc}; {backlog.unsent} event(s) stay queued") from None
        finally:
            link.client.close()
    finally:
        store.close()
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
        return 0
    applied = sum(u.applied for u in report.updates)
    print(
        f"sent {report.sent} event(s) (accepted {report.accepted}, duplicates "
        f"{report.duplicates}); acks {report.acks}; updates applied {applied}, refused "
        f"{len(report.updates) - applied}; still queued {report.unsent}"
    )
    return 0


def _admin_hook(actions: Any) -> None:
    """`kiosk fleet admin …` on the fleet server, when its module is installed."""
    try:
        from kiosk.cli.fleet_admin import register_admin  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    register_admin(actions)


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "fleet", _check, "this kiosk's link to the province's fleet service"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add_command(actions, "check", _check, "connection, token and clock against the fleet service")
    send = add_command(actions, "send", _send, "send the queued fleet events now; print counts")
    send.add_argument("--json", action="store_true")
    parser.set_defaults(json=False)
    _admin_hook(actions)
