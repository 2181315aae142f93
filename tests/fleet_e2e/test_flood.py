"""A heartbeat flood from one kiosk (docs/fleet.md §2): it is slowed with 429 and Retry-After,
the service stays up and every other kiosk is answered as usual."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.kiosk.fleet_server.conftest import bearer, heartbeat


def test_a_flooding_kiosk_gets_429_while_the_others_are_answered(fleet):
    flooder, neighbour = fleet.enroll("K1"), fleet.enroll("K2")

    def flood(_n: int) -> int:
        with httpx.Client(base_url=fleet.server.url, timeout=30) as client:
            body = {"kiosk_id": "K1", "sent_at": fleet.clock().isoformat(),
                    "events": [heartbeat()], "have": {}}  # fmt: skip
            return client.post("/api/v1/sync", json=body, headers=bearer(flooder)).status_code

    with ThreadPoolExecutor(8) as pool:
        flooding = pool.map(flood, range(150))
        answers = [fleet.sync(neighbour, [heartbeat()], kiosk_id="K2") for _ in range(5)]
        statuses = list(flooding)
    assert 429 in statuses and set(statuses) <= {200, 429}
    assert [a.status_code for a in answers] == [200] * 5
    assert fleet.http.get("/api/v1/health").status_code == 200
