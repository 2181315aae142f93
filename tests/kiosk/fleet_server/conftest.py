"""The fleet service on a real PostgreSQL (tests/support/postgres.py), served by uvicorn on a free
port; a few tests run on SQLite too (the single-office setup), never instead of PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from kiosk.fleet_server.admin import enroll, issue_access_token
from kiosk.fleet_server.db import FleetDb, open_fleet_db
from kiosk.fleet_server.serve import BackgroundServer

START = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


class FakeClock:
    """The service's clock, moved by the test."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fleet_db(postgres_url: str) -> Iterator[FleetDb]:
    db = open_fleet_db(postgres_url)
    yield db
    db.close()


@pytest.fixture(params=["postgresql", "sqlite"])
def any_fleet_db(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[FleetDb]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'fleet.db'}"
    db = open_fleet_db(url)
    yield db
    db.close()


class Fleet:
    """A running service and helpers to talk to it as kiosks and officers do."""

    def __init__(self, db: FleetDb, clock: FakeClock, server: BackgroundServer) -> None:
        self.db = db
        self.clock = clock
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=10)

    def enroll(self, kiosk_id: str = "K1", office: str = "UBND xã Tân Phú") -> str:
        return enroll(self.db, kiosk_id, office, self.clock())

    def access(self, office: str = "") -> str:
        return issue_access_token(self.db, office, "test", self.clock())

    def sync(
        self, token: str, events: list[dict[str, Any]], kiosk_id: str = "K1", **extra: Any
    ) -> httpx.Response:
        body = {
            "kiosk_id": kiosk_id,
            "sent_at": self.clock().isoformat(),
            "events": events,
            "have": {"catalogue": "", "trust": ""},
        } | extra
        return self.http.post("/api/v1/sync", json=body, headers=bearer(token))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def event(
    kind: str, body: dict[str, Any], at: datetime | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "at": (at or START).isoformat(),
        "body": body,
    } | fields


def heartbeat(
    at: datetime | None = None,
    paper: str = "ok",
    unsent: int = 0,
    visits: int = 3,
    **outbox: int,
) -> dict[str, Any]:
    return event(
        "heartbeat",
        {
            "version": "0.1.0",
            "devices": {
                "reader": "ok",
                "camera": "ok",
                "printer": "ok",
                "paper": paper,
                "speech": "ok",
            },
            "outbox": {"unsent": unsent, "oldest_unsent_s": 60 if unsent else 0, **outbox},
            "today": {
                "visits": visits,
                "outcomes": {"birth_registration": {"completed": 2, "cancelled": 1}},
                "median_step_s": {"scan_card": 12.5},
            },
        },
        at,
    )


def help_event(help_id: str = "", at: datetime | None = None, **body: Any) -> dict[str, Any]:
    return event(
        "help",
        {
            "help_id": help_id or str(uuid.uuid4()),
            "step": "face_check",
            "step_number": 6,
            "step_title": "Kiểm tra khuôn mặt",
            "reason": "face_tries_exhausted",
        }
        | body,
        at,
    )


@pytest.fixture
def fleet(fleet_db: FleetDb, clock: FakeClock) -> Iterator[Fleet]:
    with BackgroundServer(fleet_db, clock, keepalive_s=0.5) as server:
        running = Fleet(fleet_db, clock, server)
        yield running
        running.http.close()
