"""The counter's queue numbers, from 1 each Vietnam-time day, kept in the store: a restart goes on
from the last number given, never back to 001 (docs/domain.md §6)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import update

from kiosk.store import Store
from kiosk.store.models import QueueTicketDay


class TicketBook:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()  # work runs on a pool; the store serialises other processes

    def take(self, day: date) -> int:
        """The next number of `day` (1 for its first ticket), counted in the same commit."""
        key = day.isoformat()
        with self._lock, self.store.session() as session:
            moved = session.execute(
                update(QueueTicketDay)
                .where(QueueTicketDay.day == key)
                .values(last=QueueTicketDay.last + 1)
                .returning(QueueTicketDay.last)
            ).scalar_one_or_none()
            if moved is None:
                session.add(QueueTicketDay(day=key, last=1))
                return 1
            return int(moved)

    def last(self, day: date) -> int:
        """The last number given on `day` (0: none yet)."""
        with self.store.session() as session:
            row = session.get(QueueTicketDay, day.isoformat())
            return row.last if row is not None else 0
