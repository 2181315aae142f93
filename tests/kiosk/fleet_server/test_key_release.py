"""The data-key release for key custody "fleet" (docs/fleet.md §3)."""

from __future__ import annotations

import base64

from kiosk.fleet_server.admin import revoke
from tests.kiosk.fleet_server.conftest import bearer

KEY = base64.b64encode(bytes(range(32))).decode()
NEW = base64.b64encode(bytes(range(1, 33))).decode()


def test_a_held_key_is_released_to_its_kiosk(fleet):
    token = fleet.enroll()
    assert (
        fleet.http.put("/api/v1/key", json={"key_b64": KEY}, headers=bearer(token)).status_code
        == 201
    )
    assert fleet.http.get("/api/v1/key", headers=bearer(token)).json() == {"key_b64": KEY}


def test_a_second_key_is_refused_with_409(fleet):
    token = fleet.enroll()
    fleet.http.put("/api/v1/key", json={"key_b64": KEY}, headers=bearer(token))
    again = fleet.http.put("/api/v1/key", json={"key_b64": NEW}, headers=bearer(token))
    assert again.status_code == 409
    assert fleet.http.get("/api/v1/key", headers=bearer(token)).json() == {"key_b64": KEY}


def test_a_revoked_kiosk_gets_no_key(fleet):
    token = fleet.enroll()
    fleet.http.put("/api/v1/key", json={"key_b64": KEY}, headers=bearer(token))
    revoke(fleet.db, "K1", fleet.clock())
    assert fleet.http.get("/api/v1/key", headers=bearer(token)).status_code == 401


def test_one_kiosk_never_gets_another_kiosks_key(fleet):
    one, two = fleet.enroll("K1"), fleet.enroll("K2")
    fleet.http.put("/api/v1/key", json={"key_b64": KEY}, headers=bearer(one))
    assert fleet.http.get("/api/v1/key", headers=bearer(two)).status_code == 404


def test_a_key_that_is_not_32_bytes_is_refused(fleet):
    token = fleet.enroll()
    short = base64.b64encode(b"short").decode()
    assert (
        fleet.http.put("/api/v1/key", json={"key_b64": short}, headers=bearer(token)).status_code
        == 400
    )


def test_rotation_needs_the_old_key(fleet):
    token = fleet.enroll()
    fleet.http.put("/api/v1/key", json={"key_b64": KEY}, headers=bearer(token))
    wrong = fleet.http.post(
        "/api/v1/key/rotate", json={"old_b64": NEW, "new_b64": NEW}, headers=bearer(token)
    )
    right = fleet.http.post(
        "/api/v1/key/rotate", json={"old_b64": KEY, "new_b64": NEW}, headers=bearer(token)
    )
    assert (wrong.status_code, right.status_code) == (409, 200)
    assert fleet.http.get("/api/v1/key", headers=bearer(token)).json() == {"key_b64": NEW}
