"""The local store: SQLAlchemy 2 over SQLite (WAL) by default, or PostgreSQL (psycopg 3); what
differs between the two is in `kiosk.store.dialect` (docs/architecture.md §7)."""

from kiosk.store.db import Store, open_store

__all__ = ["Store", "open_store"]
