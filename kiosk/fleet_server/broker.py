"""Live console events (server-sent events): the sync handler publishes from a worker thread,
each open console stream reads its own queue on the event loop. One service process: a second
process would not see the first one's events (docs/fleet.md §6)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any

QUEUE_SIZE = 1000  # a console that stops reading loses events past this, never the service


@dataclass(eq=False)
class Subscriber:
    office: str  # empty: every office (a province access token)
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )


class ConsoleBroker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, office: str) -> Subscriber:
        """Call on the event loop that will read the queue."""
        subscriber = Subscriber(office, asyncio.get_running_loop())
        with self._lock:
            self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)

    def publish(self, event: str, data: dict[str, Any], office: str) -> None:
        """Hand `event` to every console of `office` (and the province-wide ones); any thread."""
        with self._lock:
            targets = [s for s in self._subscribers if s.office in ("", office)]
        for subscriber in targets:
            try:
                subscriber.loop.call_soon_threadsafe(_offer, subscriber.queue, (event, data))
            except RuntimeError:  # its loop is closed: the stream ended
                self.unsubscribe(subscriber)

    @property
    def listeners(self) -> int:
        with self._lock:
            return len(self._subscribers)


def _offer(
    queue: asyncio.Queue[tuple[str, dict[str, Any]]], item: tuple[str, dict[str, Any]]
) -> None:
    if not queue.full():
        queue.put_nowait(item)
