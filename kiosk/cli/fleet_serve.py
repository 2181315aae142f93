"""`kiosk fleet-serve --db URL [--host H] [--port P]`: the fleet service (province server).

Migrates the database, makes the update-signing key on first start, then serves the kiosk API,
the counter console (/console) and the dashboard (/dashboard) until stopped (docs/fleet.md §8).
"""

from __future__ import annotations

import argparse
import socket
import sys
from typing import Any

from kiosk.cli import CliError, add_command
from kiosk.cli.fleet_admin import add_secrets_key

DEFAULT_PORT = 8700


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 1 to 65535, got {text}")
    return value


def _check_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _serve(args: argparse.Namespace) -> int:
    from kiosk.cli.fleet_admin import open_db
    from kiosk.fleet_server.serve import serve

    _check_free(args.host, args.port)
    # A bad URL, a missing driver, a silent server or a secret that does not open: one line,
    # exit 2, before serving.
    db = open_db(args.db, args.secrets_key)
    secrets = db.secrets
    db.close()
    if not secrets.sealing:
        print(
            "fleet: warning: the signing key and kiosks' data keys are kept unsealed in the "
            "database; give --secrets-key FILE (docs/fleet.md §8)",
            file=sys.stderr,
        )
    print(
        f"fleet service on http://{args.host}:{args.port} (console /console, dashboard /dashboard)",
        flush=True,
    )
    serve(args.db, args.host, args.port, secrets=secrets)
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "fleet-serve", _serve, "run the fleet service")
    parser.add_argument(
        "--db",
        required=True,
        metavar="URL",
        help="postgresql+psycopg://user@host/db, or sqlite:////path/fleet.db",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="address to listen on (default 127.0.0.1, behind a TLS proxy)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="P")
    add_secrets_key(parser)
