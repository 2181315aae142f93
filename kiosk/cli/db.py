"""`kiosk db upgrade|downgrade REV|current`: the store's schema migrations."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import add_command, load_config_from_args


def _store(args: argparse.Namespace) -> Any:
    from kiosk.store.db import Store, create_store_engine

    config = load_config_from_args(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    return Store(create_store_engine(config.database_url))


def _upgrade(args: argparse.Namespace) -> int:
    store = _store(args)
    store.migrate()
    print(store.current_revision())
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    store = _store(args)
    store.downgrade(args.revision)
    print(store.current_revision() or "base")
    return 0


def _current(args: argparse.Namespace) -> int:
    print(_store(args).current_revision() or "base")
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "db", _current, "the store's schema migrations")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add_command(actions, "upgrade", _upgrade, "migrate to the newest schema")
    down = add_command(actions, "downgrade", _downgrade, "migrate down to REVISION (or base)")
    down.add_argument("revision")
    add_command(actions, "current", _current, "print the current schema revision")
