"""Help requests: kiosk → console (server-sent events) → officer's answer → the kiosk's next sync
(docs/fleet.md §6)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx

from kiosk.fleet_server.help_desk import reason_text
from tests.kiosk.fleet_server.conftest import bearer, event, help_event

OFFICE = "UBND xã Tân Phú"


def _events(response: httpx.Response) -> Iterator[tuple[str, dict]]:
    name = ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            yield name, json.loads(line.removeprefix("data: "))


def _stream(fleet, access: str, office: str = OFFICE):
    return fleet.http.stream(
        "GET", "/api/v1/console/stream", params={"office": office}, headers=bearer(access)
    )


def test_a_help_request_reaches_the_console_with_its_kiosk_and_step(fleet):
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    with _stream(fleet, access) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        fleet.sync(token, [help_event("h-1")])
        name, data = next(_events(stream))
    assert name == "help"
    assert data | {"at": ""} == {
        "help_id": "h-1",
        "kiosk_id": "K1",
        "office": OFFICE,
        "step": "face_check",
        "step_number": 6,
        "step_title": "Kiểm tra khuôn mặt",
        "reason": "face_tries_exhausted",
        "reason_text": "Máy báo: Máy chưa nhận ra khuôn mặt của công dân sau ba lần thử.",
        "at": "",
        "state": "open",
        "by": "",
    }


def test_an_acknowledgement_on_the_console_reaches_the_kiosk_in_its_next_sync(fleet):
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    with _stream(fleet, access) as stream:
        fleet.sync(token, [help_event("h-1")])
        events = _events(stream)
        next(events)
        answer = fleet.http.post(
            "/api/v1/help/h-1/ack",
            json={"state": "coming", "by": "Chị Lan"},
            headers=bearer(access),
        )
        name, data = next(events)
    assert answer.status_code == 200
    assert (name, data["state"], data["by"]) == ("ack", "coming", "Chị Lan")
    acks = fleet.sync(token, []).json()["acks"]
    assert [(a["help_id"], a["state"], a["by"]) for a in acks] == [("h-1", "coming", "Chị Lan")]


def _acknowledged(fleet, state: str = "acknowledged") -> str:
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    fleet.sync(token, [help_event("h-1")])
    fleet.http.post(
        "/api/v1/help/h-1/ack", json={"state": state, "by": "Anh Minh"}, headers=bearer(access)
    )
    return token


def test_an_acknowledgement_is_handed_again_until_the_kiosk_confirms_it(fleet):
    token = _acknowledged(fleet)
    assert len(fleet.sync(token, []).json()["acks"]) == 1  # this answer may be lost
    assert len(fleet.sync(token, []).json()["acks"]) == 1


def test_an_acknowledgement_the_kiosk_confirmed_is_not_handed_again(fleet):
    token = _acknowledged(fleet)
    applied = [{"help_id": "h-1", "state": "acknowledged"}]
    assert fleet.sync(token, [], acks_applied=applied).json()["acks"] == []
    assert fleet.sync(token, []).json()["acks"] == []


def test_a_confirmed_acknowledgement_followed_by_on_my_way_is_handed_again(fleet):
    token = _acknowledged(fleet)
    fleet.sync(token, [], acks_applied=[{"help_id": "h-1", "state": "acknowledged"}])
    fleet.http.post(
        "/api/v1/help/h-1/ack",
        json={"state": "coming", "by": "Anh Minh"},
        headers=bearer(fleet.access(OFFICE)),
    )
    acks = fleet.sync(token, []).json()["acks"]
    assert [(a["help_id"], a["state"]) for a in acks] == [("h-1", "coming")]


def test_an_ill_shaped_ack_confirmation_refuses_the_sync(fleet):
    token = _acknowledged(fleet)
    answer = fleet.sync(token, [], acks_applied=[{"help_id": "h-1", "state": "closed"}])
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")


def test_a_console_that_opens_late_sees_the_open_requests(fleet):
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    fleet.sync(token, [help_event("h-1")])
    with _stream(fleet, access) as stream:
        name, data = next(_events(stream))
    assert (name, data["help_id"]) == ("help", "h-1")


def test_a_closed_request_is_announced_and_leaves_the_console(fleet):
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    fleet.sync(token, [help_event("h-1")])
    with _stream(fleet, access) as stream:
        events = _events(stream)
        next(events)
        fleet.sync(token, [event("help_closed", {"help_id": "h-1"})])
        name, data = next(events)
    assert (name, data["state"]) == ("closed", "closed")
    listed = fleet.http.get("/api/v1/console/requests", headers=bearer(access)).json()
    assert listed["requests"] == []


def test_a_console_sees_only_its_own_offices_requests(fleet):
    here = fleet.enroll("K1", office=OFFICE)
    there = fleet.enroll("K2", office="UBND xã Khác")
    access = fleet.access(OFFICE)
    fleet.sync(there, [help_event("elsewhere")], kiosk_id="K2")
    fleet.sync(here, [help_event("here")])
    listed = fleet.http.get("/api/v1/console/requests", headers=bearer(access)).json()
    assert [r["help_id"] for r in listed["requests"]] == ["here"]


def test_an_office_token_cannot_open_another_offices_console(fleet):
    fleet.enroll(office=OFFICE)
    access = fleet.access(OFFICE)
    answer = fleet.http.get(
        "/api/v1/console/requests", params={"office": "UBND xã Khác"}, headers=bearer(access)
    )
    assert (answer.status_code, answer.json()["error"]) == (403, "forbidden")


def test_an_office_token_cannot_acknowledge_another_offices_request(fleet):
    there = fleet.enroll("K2", office="UBND xã Khác")
    fleet.sync(there, [help_event("elsewhere")], kiosk_id="K2")
    answer = fleet.http.post(
        "/api/v1/help/elsewhere/ack",
        json={"state": "coming", "by": "Chị Lan"},
        headers=bearer(fleet.access(OFFICE)),
    )
    assert answer.status_code == 403


def test_the_console_needs_an_access_token(fleet):
    answer = fleet.http.get("/api/v1/console/requests")
    assert (answer.status_code, answer.json()["error"]) == (401, "token_invalid")


def test_a_kiosk_token_does_not_open_the_console(fleet):
    token = fleet.enroll(office=OFFICE)
    assert fleet.http.get("/api/v1/console/requests", headers=bearer(token)).status_code == 401


def test_an_acknowledgement_needs_a_known_state_and_a_name(fleet):
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    fleet.sync(token, [help_event("h-1")])
    for body in ({"state": "done", "by": "Chị Lan"}, {"state": "coming", "by": "  "}):
        answer = fleet.http.post("/api/v1/help/h-1/ack", json=body, headers=bearer(access))
        assert answer.status_code == 400


def test_a_closed_request_cannot_be_acknowledged(fleet):
    token, access = fleet.enroll(office=OFFICE), fleet.access(OFFICE)
    fleet.sync(token, [help_event("h-1"), event("help_closed", {"help_id": "h-1"})])
    answer = fleet.http.post(
        "/api/v1/help/h-1/ack", json={"state": "coming", "by": "Chị Lan"}, headers=bearer(access)
    )
    assert answer.status_code == 409


def test_signing_in_sets_a_cookie_the_console_then_uses(fleet):
    fleet.enroll(office=OFFICE)
    access = fleet.access(OFFICE)
    assert fleet.http.post("/api/v1/login", json={"token": "wrong"}).status_code == 401
    signed_in = fleet.http.post("/api/v1/login", json={"token": access})
    assert signed_in.json() == {"office": OFFICE, "province": False, "label": "test"}
    assert "httponly" in signed_in.headers["set-cookie"].lower()
    assert fleet.http.get("/api/v1/console/requests").status_code == 200


def test_the_officer_reads_each_reason_in_vietnamese():
    assert reason_text("citizen") == "Công dân bấm “Gọi cán bộ”"
    assert reason_text("counter_ticket") == "Công dân đã lấy số, chờ làm thủ tục tại quầy"
    assert reason_text("card_expired") == "Máy báo: Thẻ căn cước của công dân đã hết hạn."
    assert reason_text("no_such_code") == "Máy báo lỗi (no_such_code)"
