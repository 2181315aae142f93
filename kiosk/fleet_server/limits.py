"""Flood guards: the request body size and a per-kiosk call rate (docs/fleet.md §2)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from starlette.requests import Request

from kiosk.fleet_server.errors import TooLarge, TooManyRequests

MAX_BODY_BYTES = 1_048_576


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refused with 413 past `limit` bytes (whatever Content-Length claims)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the body is {declared} bytes; at most {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class RateLimiter:
    """A token bucket per kiosk: `burst` calls at once, then `per_second` on average. A kiosk
    past it gets 429 with Retry-After and sends the same events again later (nothing is lost)."""

    def __init__(
        self, per_second: float, burst: int, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_second = per_second
        self.burst = burst
        self._monotonic = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        now = self._monotonic()
        with self._lock:
            tokens, since = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - since) * self.per_second)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.per_second
                raise TooManyRequests(f"too many calls: wait {wait:.1f} s", wait)
            self._buckets[key] = (tokens - 1, now)
