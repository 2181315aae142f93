"""HTTP client of the fleet service (protocol v1, docs/fleet_link.md §1): bounded like the portal
client — every request ends by its deadline whatever the peer does, and an answer is read only
up to a size cap (`kiosk.portal.bounded`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from kiosk.fleet_link.errors import (
    FleetBatchRefused,
    FleetError,
    FleetProtocolError,
    FleetTokenInvalid,
)
from kiosk.portal.bounded import (
    BodyTooLarge,
    BoundedTransport,
    Deadline,
    UnknownEncoding,
    bounded_by,
    environment_proxy,
    read_capped,
)

SYNC_PATH = "/api/v1/sync"
UPDATES_PREFIX = "/api/v1/updates/"
UPDATE_KEY_PATH = "/api/v1/update-key"
DEADLINE_S = 20.0
MAX_ANSWER_BYTES = 1_048_576
MAX_UPDATE_BYTES = 64 * 1_048_576  # a CSCA master list is a few MB; base64 and JSON around it


@dataclass(frozen=True)
class SyncAnswer:
    accepted: list[str]
    duplicates: list[str]
    acks: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    server_time: datetime | None
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


class FleetClient:
    def __init__(
        self,
        url: str,
        token: str,
        deadline_s: float = DEADLINE_S,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.deadline_s = deadline_s
        self._client = httpx.Client(
            transport=transport or BoundedTransport(proxy=environment_proxy(url)),
            timeout=deadline_s,
            headers={"Authorization": f"Bearer {token}"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def sync(self, request: dict[str, Any]) -> SyncAnswer:
        answer = self._call("POST", SYNC_PATH, request, MAX_ANSWER_BYTES)
        try:
            return SyncAnswer(
                accepted=[str(i) for i in answer.get("accepted", [])],
                duplicates=[str(i) for i in answer.get("duplicates", [])],
                acks=[a for a in answer.get("acks", []) if isinstance(a, dict)],
                updates=[u for u in answer.get("updates", []) if isinstance(u, dict)],
                server_time=_time(answer.get("server_time")),
                raw=answer,
            )
        except (TypeError, AttributeError):
            raise FleetProtocolError(f"{self.url} answered sync with malformed lists") from None

    def update(self, path: str) -> dict[str, Any]:
        """The signed update document at `path` (a path the sync answer named)."""
        if not path.startswith(UPDATES_PREFIX) or ".." in path or "//" in path:
            raise FleetProtocolError(f"update location {path[:80]!r} is not under {UPDATES_PREFIX}")
        return self._call("GET", path, None, MAX_UPDATE_BYTES)

    def update_key(self) -> str:
        """The fleet's update public key (base64 raw 32 bytes), for trust on first use."""
        answer = self._call("GET", UPDATE_KEY_PATH, None, MAX_ANSWER_BYTES)
        key = answer.get("key_b64")
        if not isinstance(key, str):
            raise FleetProtocolError(f"{self.url} sent no update key")
        return key

    def _call(self, method: str, path: str, body: Any, cap: int) -> dict[str, Any]:
        deadline = Deadline(self.deadline_s)
        try:
            with (
                bounded_by(deadline),
                self._client.stream(method, self.url + path, json=body) as response,
            ):
                data = read_capped(response, cap, deadline)
                status = response.status_code
        except httpx.HTTPError as exc:
            raise FleetError(
                f"fleet service {self.url} not reachable in {self.deadline_s:.0f} s "
                f"({type(exc).__name__})"
            ) from None
        except (BodyTooLarge, UnknownEncoding) as exc:
            raise FleetProtocolError(f"{self.url}{path} answered badly: {exc}") from None
        if status == 401:
            raise FleetTokenInvalid(
                f"fleet service {self.url} refused this kiosk's token (revoked or wrong "
                "[fleet] token); events wait in the queue"
            )
        if status >= 500 or status in (408, 429):
            raise FleetError(f"fleet service {self.url} answered {status}")
        if status in (400, 413) and path == SYNC_PATH:
            detail = _refusal_detail(data)
            raise FleetBatchRefused(
                f"fleet service {self.url} refused the sync ({status}): {detail}", status, detail
            )
        if status != 200:
            raise FleetProtocolError(f"fleet service {self.url}{path} answered {status}")
        try:
            answer = json.loads(data)
        except ValueError:
            raise FleetProtocolError(f"{self.url}{path} answered with something not JSON") from None
        if not isinstance(answer, dict):
            raise FleetProtocolError(f"{self.url}{path} answered with a JSON {type(answer)}")
        return answer


def _refusal_detail(data: bytes) -> str:
    """The refusal's `detail` (docs/fleet.md §2), one short line."""
    try:
        refusal = json.loads(data)
        detail = str(refusal.get("detail") or refusal.get("error") or "")
    except (ValueError, AttributeError):
        detail = ""
    return " ".join(detail.split())[:200] or "no detail"


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None
