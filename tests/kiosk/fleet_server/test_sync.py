"""POST /api/v1/sync over real HTTP against uvicorn and PostgreSQL (docs/fleet.md §2)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kiosk.fleet_server.models import Kiosk, ReceivedEvent
from kiosk.fleet_server.status import fleet_status
from tests.kiosk.fleet_server.conftest import START, bearer, event, heartbeat, help_event


def _kiosk(fleet, kiosk_id="K1"):
    status = fleet_status(fleet.db, fleet.clock())
    return next(k for k in status["kiosks"] if k["kiosk_id"] == kiosk_id)


def test_a_heartbeat_is_accepted_and_the_kiosk_shows_online_with_its_devices(fleet):
    token = fleet.enroll()
    beat = heartbeat(paper="low", unsent=4)
    answer = fleet.sync(token, [beat])
    assert answer.status_code == 200
    body = answer.json()
    assert body["accepted"] == [beat["id"]] and body["duplicates"] == []
    kiosk = _kiosk(fleet)
    assert kiosk["online"] is True
    assert kiosk["devices"]["paper"] == "low"
    assert kiosk["outbox"] == {"unsent": 4, "oldest_unsent_s": 60}
    assert kiosk["today"] == {"visits": 3}


def test_the_answer_carries_every_key_of_the_protocol(fleet):
    token = fleet.enroll()
    body = fleet.sync(token, []).json()
    assert set(body) == {"accepted", "duplicates", "acks", "updates", "server_time"}
    assert body["server_time"] == START.isoformat()


def test_a_replayed_event_is_a_duplicate_and_changes_nothing(fleet):
    token = fleet.enroll()
    first = heartbeat(unsent=1)
    fleet.sync(token, [first])
    replay = dict(first, body=dict(first["body"], outbox={"unsent": 99, "oldest_unsent_s": 9}))
    body = fleet.sync(token, [replay]).json()
    assert body == body | {"accepted": [], "duplicates": [first["id"]]}
    assert _kiosk(fleet)["outbox"]["unsent"] == 1


def test_the_same_event_twice_in_one_batch_is_accepted_once(fleet):
    token = fleet.enroll()
    beat = heartbeat()
    body = fleet.sync(token, [beat, beat]).json()
    assert (body["accepted"], body["duplicates"]) == ([beat["id"]], [beat["id"]])


def test_event_ids_are_unique_per_kiosk_not_across_kiosks(fleet):
    one, two = fleet.enroll("K1"), fleet.enroll("K2")
    beat = heartbeat()
    fleet.sync(one, [beat], kiosk_id="K1")
    assert fleet.sync(two, [beat], kiosk_id="K2").json()["accepted"] == [beat["id"]]


def test_the_database_refuses_a_second_row_with_the_same_kiosk_and_event_id(fleet):
    import pytest
    from sqlalchemy import exc

    fleet.enroll()
    row = {"kiosk_id": "K1", "event_id": "e1", "kind": "heartbeat", "at": START}
    with pytest.raises(exc.IntegrityError), fleet.db.session() as session:
        session.add(ReceivedEvent(**row))
        session.flush()
        session.add(ReceivedEvent(**row))


def test_the_token_is_kept_only_as_its_hash(fleet):
    token = fleet.enroll()
    with fleet.db.session() as session:
        stored = session.scalars(select(Kiosk.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_an_unknown_token_is_401_token_invalid(fleet):
    fleet.enroll()
    answer = fleet.sync("not-a-token", [heartbeat()])
    assert (answer.status_code, answer.json()["error"]) == (401, "token_invalid")


def test_a_revoked_token_is_401(fleet):
    from kiosk.fleet_server.admin import revoke

    token = fleet.enroll()
    assert fleet.sync(token, []).status_code == 200
    revoke(fleet.db, "K1", fleet.clock())
    answer = fleet.sync(token, [heartbeat()])
    assert (answer.status_code, answer.json()["error"]) == (401, "token_invalid")


def test_a_body_naming_another_kiosk_is_403_kiosk_mismatch(fleet):
    token = fleet.enroll("K1")
    fleet.enroll("K2")
    answer = fleet.sync(token, [heartbeat()], kiosk_id="K2")
    assert (answer.status_code, answer.json()["error"]) == (403, "kiosk_mismatch")
    assert _kiosk(fleet, "K2")["last_seen"] is None


def test_a_body_over_one_mebibyte_is_413(fleet):
    token = fleet.enroll()
    padding = "x" * (1024 * 1024)
    answer = fleet.sync(token, [heartbeat()], padding=padding)
    assert (answer.status_code, answer.json()["error"]) == (413, "too_large")


def test_more_than_500_events_is_413(fleet):
    token = fleet.enroll()
    answer = fleet.sync(token, [event("help_closed", {"help_id": "h"}) for _ in range(501)])
    assert (answer.status_code, answer.json()["error"]) == (413, "too_large")


def test_500_events_are_accepted(fleet):
    token = fleet.enroll()
    answer = fleet.sync(token, [event("help_closed", {"help_id": "h"}) for _ in range(500)])
    assert len(answer.json()["accepted"]) == 500


def test_a_body_that_is_not_json_is_400(fleet):
    token = fleet.enroll()
    answer = fleet.http.post("/api/v1/sync", content=b"{nope", headers=bearer(token))
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")


def test_an_event_of_an_unknown_kind_is_refused_and_nothing_is_recorded(fleet):
    token = fleet.enroll()
    answer = fleet.sync(token, [heartbeat(), event("selfie", {})])
    assert answer.status_code == 400 and "kind" in answer.json()["detail"]
    with fleet.db.session() as session:
        assert session.scalars(select(ReceivedEvent)).all() == []


def test_a_heartbeat_with_free_text_where_a_code_belongs_is_refused(fleet):
    token = fleet.enroll()
    beat = heartbeat()
    beat["body"]["devices"]["reader"] = "Nguyễn Văn An 001095012345"
    assert fleet.sync(token, [beat]).status_code == 400


def test_an_event_time_without_utc_offset_is_refused(fleet):
    token = fleet.enroll()
    beat = heartbeat()
    beat["at"] = "2026-12-03T10:00:00"
    assert fleet.sync(token, [beat]).status_code == 400


def test_an_older_heartbeat_arriving_late_does_not_overwrite_the_newer_state(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(at=START, unsent=2)])
    fleet.sync(token, [heartbeat(at=START - timedelta(hours=1), unsent=40)])
    assert _kiosk(fleet)["outbox"]["unsent"] == 2


def test_events_older_than_30_days_are_accepted_but_not_counted(fleet):
    token = fleet.enroll()
    old = heartbeat(at=START - timedelta(days=31), visits=7)
    assert fleet.sync(token, [old]).json()["accepted"] == [old["id"]]
    status = fleet_status(fleet.db, fleet.clock())
    assert status["figures"]["month"]["visits"] == 0


def test_a_sent_at_far_from_server_time_is_still_accepted(fleet):
    token = fleet.enroll()
    answer = fleet.sync(token, [heartbeat()], sent_at=(START + timedelta(hours=3)).isoformat())
    assert answer.status_code == 200


def test_a_heartbeat_flood_from_one_kiosk_waits_with_429_and_retry_after(fleet_db, clock):
    from kiosk.fleet_server.serve import BackgroundServer
    from tests.kiosk.fleet_server.conftest import Fleet

    with BackgroundServer(fleet_db, clock, rate_per_s=0.01, rate_burst=3) as server:
        flood = Fleet(fleet_db, clock, server)
        token = flood.enroll()
        codes = [flood.sync(token, [heartbeat()]).status_code for _ in range(4)]
        refused = flood.sync(token, [heartbeat()])
        flood.http.close()
    assert codes == [200, 200, 200, 429]
    assert refused.json()["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) >= 1


def test_a_help_request_event_is_kept_without_personal_fields(fleet):
    from kiosk.fleet_server.models import HelpRequest

    token = fleet.enroll()
    asked = help_event(help_id="h-1", name="Nguyễn Văn An", id_number="001095012345")
    fleet.sync(token, [asked])
    with fleet.db.session() as session:
        row = session.get(HelpRequest, "h-1")
        kept = " ".join(str(v) for v in vars(row).values())
    assert "Nguyễn Văn An" not in kept and "001095012345" not in kept
    assert row.step_title == "Kiểm tra khuôn mặt"


def test_sync_works_on_sqlite_for_a_single_office(any_fleet_db, clock):
    from kiosk.fleet_server.serve import BackgroundServer
    from tests.kiosk.fleet_server.conftest import Fleet

    with BackgroundServer(any_fleet_db, clock) as server:
        office = Fleet(any_fleet_db, clock, server)
        token = office.enroll()
        beat = heartbeat()
        first = office.sync(token, [beat]).json()
        second = office.sync(token, [beat]).json()
        office.http.close()
    assert (first["accepted"], second["duplicates"]) == ([beat["id"]], [beat["id"]])


def test_a_help_request_the_kiosks_link_builds_is_accepted(fleet):
    from types import SimpleNamespace

    from kiosk.fleet_link.help_desk import help_body

    token = fleet.enroll()
    request = SimpleNamespace(
        help_id="h-9",
        step="face_check",
        step_number=6,
        step_title="Kiểm tra khuôn mặt",
        reason="card_access_denied",
    )
    answer = fleet.sync(token, [event("help", help_body(request, "UBND xã Tân Phú"))])
    assert answer.status_code == 200 and len(answer.json()["accepted"]) == 1
