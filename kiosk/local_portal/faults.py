"""Fault injection for the local portal, so the kiosk's retries and offline queue can be exercised:
- `latency_ms`: every request waits this long first;
- `error_rate`: that share of requests is answered 502/503/504 WITHOUT being processed;
- `drop_rate`: that share of requests is processed, then the connection is closed without an
  answer (the client cannot know whether it worked — the idempotency key makes the retry safe).
The health check is never faulted."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

HEALTH_PATH = "/v1/health"


@dataclass
class Faults:
    error_rate: float = 0.0
    latency_ms: int = 0
    drop_rate: float = 0.0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be ≥ 0, got {self.latency_ms}")

    def refusal_before(self, path: str) -> int | None:
        """Wait the latency, then the HTTP status to answer unprocessed (None: process it)."""
        if path == HEALTH_PATH:
            return None
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        if self.error_rate and self.rng.random() < self.error_rate:
            return self.rng.choice((502, 503, 504))
        return None

    def drops_answer(self, path: str) -> bool:
        """True when the processed request's answer is to be dropped."""
        return path != HEALTH_PATH and bool(self.drop_rate) and self.rng.random() < self.drop_rate
