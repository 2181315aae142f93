"""The fleet status: per kiosk, and today's and this month's figures per office and procedure
(docs/fleet.md §7)."""

from __future__ import annotations

from datetime import timedelta

from kiosk.fleet_server.status import fleet_status
from tests.kiosk.fleet_server.conftest import START, bearer, heartbeat


def test_figures_sum_visits_and_outcomes_per_office_and_procedure(fleet):
    one = fleet.enroll("K1", office="Xã A")
    two = fleet.enroll("K2", office="Xã A")
    three = fleet.enroll("K3", office="Xã B")
    fleet.sync(one, [heartbeat(visits=3)], kiosk_id="K1")
    fleet.sync(two, [heartbeat(visits=4)], kiosk_id="K2")
    fleet.sync(three, [heartbeat(visits=5)], kiosk_id="K3")
    today = fleet_status(fleet.db, fleet.clock())["figures"]["today"]
    assert [(o["office"], o["visits"]) for o in today["offices"]] == [("Xã A", 7), ("Xã B", 5)]
    assert today["procedures"] == {"birth_registration": {"completed": 6, "cancelled": 3}}
    assert today["date"] == "2026-12-03"


def test_the_newest_heartbeat_of_a_day_replaces_that_days_counts(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(visits=3)])
    fleet.sync(token, [heartbeat(at=START + timedelta(minutes=1), visits=8)])
    assert fleet_status(fleet.db, fleet.clock())["kiosks"][0]["today"] == {"visits": 8}


def test_the_month_adds_up_the_days_and_today_only_today(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(at=START - timedelta(days=1), visits=10), heartbeat(visits=2)])
    figures = fleet_status(fleet.db, fleet.clock())["figures"]
    assert (figures["today"]["visits"], figures["month"]["visits"]) == (2, 12)
    assert figures["month"]["month"] == "2026-12"


def test_days_are_counted_in_vietnam_time(fleet):
    token = fleet.enroll()
    late_evening_utc = START.replace(hour=17, minute=30)  # 00:30 the next day in Vietnam
    fleet.clock.now = late_evening_utc
    fleet.sync(token, [heartbeat(at=late_evening_utc, visits=1)])
    assert fleet_status(fleet.db, fleet.clock())["figures"]["today"]["date"] == "2026-12-04"
    assert fleet_status(fleet.db, fleet.clock())["figures"]["today"]["visits"] == 1


def test_the_status_api_answers_the_dashboards_json_for_a_province_token(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat()])
    answer = fleet.http.get("/api/v1/fleet/status", headers=bearer(fleet.access()))
    assert answer.json() == fleet_status(fleet.db, fleet.clock())


def test_an_office_token_does_not_open_the_province_status(fleet):
    fleet.enroll()
    answer = fleet.http.get("/api/v1/fleet/status", headers=bearer(fleet.access("Xã A")))
    assert answer.status_code == 403


def test_a_revoked_access_token_is_refused(fleet):
    from kiosk.fleet_server.admin import revoke_access_tokens

    access = fleet.access()
    revoke_access_tokens(fleet.db, "", "", fleet.clock())
    assert fleet.http.get("/api/v1/fleet/status", headers=bearer(access)).status_code == 401
