"""The local store: SQLAlchemy 2 over SQLite (WAL) by default; any SQLAlchemy URL works."""

from kiosk.store.db import Store, open_store

__all__ = ["Store", "open_store"]
