"""A kiosk token stops working at the next sync once it is revoked or replaced, even though the
service remembers which kiosk a token that worked belongs to (docs/fleet.md §3, §10)."""

from __future__ import annotations

from kiosk.fleet_server.admin import enroll, revoke
from tests.kiosk.fleet_server.conftest import heartbeat


def test_a_replaced_token_is_refused_at_the_next_sync(fleet):
    old = fleet.enroll("K1")
    assert fleet.sync(old, [heartbeat()]).status_code == 200
    new = enroll(fleet.db, "K1", "", fleet.clock(), replace=True)
    answer = fleet.sync(old, [heartbeat()])
    assert (answer.status_code, answer.json()["error"]) == (401, "token_invalid")
    assert fleet.sync(new, [heartbeat()]).status_code == 200


def test_a_revoked_token_stays_refused_on_every_later_sync(fleet):
    token = fleet.enroll("K1")
    assert fleet.sync(token, []).status_code == 200
    revoke(fleet.db, "K1", fleet.clock())
    assert [fleet.sync(token, [heartbeat()]).status_code for _ in range(3)] == [401] * 3


def test_a_revoked_kiosks_events_are_not_recorded(fleet):
    token = fleet.enroll("K1")
    fleet.sync(token, [])
    revoke(fleet.db, "K1", fleet.clock())
    fleet.sync(token, [heartbeat(visits=9)])
    status = fleet.http.get(
        "/api/v1/fleet/status", headers={"Authorization": f"Bearer {fleet.access()}"}
    ).json()
    assert status["kiosks"][0]["today"]["visits"] == 0
