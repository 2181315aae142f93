"""The kiosk's fleet link against the real fleet service on PostgreSQL, for what only the two
together show (docs/fleet.md §10, the issue's "Bad input"): an event the service refuses does
not hold the queue back, an acknowledgement whose answer was lost still reaches the citizen, a
revoked token and a service down for a day lose nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kiosk.crypto import open_sealer
from kiosk.fleet_link.client import FleetClient
from kiosk.fleet_link.errors import FleetError, FleetTokenInvalid
from kiosk.fleet_link.link import FleetLink, open_fleet_link
from kiosk.fleet_server.admin import revoke
from kiosk.fleet_server.models import HelpRequest as ServedHelpRequest
from kiosk.fleet_server.models import ReceivedEvent
from kiosk.portal.bounded import BoundedTransport
from kiosk.records.audit_anchor import open_audit_log
from kiosk.records.help_requests import HelpDesk
from kiosk.store import open_store
from kiosk.store.models import AuditEvent
from tests.kiosk.fleet_link.conftest import KIOSK_ID, kiosk_config

OFFICE = "UBND xã Tân Phú"


class LosingTransport(BoundedTransport):
    """Delivers every request; loses the answer of the next `lose` sync calls on the way back
    (the service did the work, the kiosk never hears of it)."""

    def __init__(self) -> None:
        super().__init__()
        self.lose = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if self.lose and request.url.path == "/api/v1/sync":
            self.lose -= 1
            response.read()
            response.close()
            raise httpx.ReadError("the answer was lost", request=request)
        return response


@pytest.fixture
def kiosk(fleet: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    token = fleet.enroll(KIOSK_ID, OFFICE)
    config = kiosk_config(tmp_path / "data", fleet.server.url, token)
    config.data_dir.mkdir(parents=True)
    store = open_store(config.database_url)
    sealer = open_sealer(config.security, config.data_dir, config.fleet)
    audit = open_audit_log(config.data_dir, store, sealer)
    transport = LosingTransport()
    link = open_fleet_link(
        config, store, audit, sealer,
        FleetClient(config.fleet.url, config.fleet.token, deadline_s=10, transport=transport),
    )  # fmt: skip
    desk = HelpDesk(store, audit)
    link.attach_help_desk(desk)
    yield {"link": link, "desk": desk, "store": store, "transport": transport, "fleet": fleet}
    link.stop()
    store.close()


def _received(fleet: Any) -> list[str]:
    with fleet.db.session() as session:
        return list(session.scalars(select(ReceivedEvent.kind).order_by(ReceivedEvent.id)))


def _audited(store: Any, action: str) -> list[dict[str, Any]]:
    with store.session() as session:
        rows = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        return [json.loads(detail) for detail in rows]


def _ack(fleet: Any, help_id: str, state: str = "coming") -> None:
    answer = fleet.http.post(
        f"/api/v1/help/{help_id}/ack",
        json={"state": state, "by": "Chị Lan"},
        headers={"Authorization": f"Bearer {fleet.access()}"},  # a province token
    )
    assert answer.status_code == 200


# --- an event the service refuses ---------------------------------------------------------------


def test_an_event_the_service_refuses_is_dropped_and_audited_and_the_rest_delivered(kiosk):
    link: FleetLink = kiosk["link"]
    for _ in range(5):
        link.queue_heartbeat()
    bad = link.queue.add("heartbeat", {"devices": {"reader": "Nguyễn Văn A"}})  # free text
    for _ in range(5):
        link.queue_heartbeat()
    report = link.run_round(heartbeat=False)
    assert (report.refused, report.unsent) == (1, 0)
    assert _received(kiosk["fleet"]).count("heartbeat") == 10
    refused = _audited(kiosk["store"], "fleet_event_refused")
    assert [(r["event_id"], r["kind"]) for r in refused] == [(bad, "heartbeat")]


def test_a_refused_event_is_not_sent_again(kiosk):
    link: FleetLink = kiosk["link"]
    link.queue.add("heartbeat", {"devices": {"reader": "Nguyễn Văn A"}})
    link.run_round(heartbeat=False)
    assert link.run_round(heartbeat=False).refused == 0
    assert link.queue.backlog().unsent == 0


def test_a_refused_envelope_keeps_every_event(kiosk):
    link: FleetLink = kiosk["link"]
    link.queue_heartbeat()
    fleet_config = replace(link.config.fleet, kiosk_id="not a kiosk id!")
    link.config = replace(link.config, fleet=fleet_config)
    with pytest.raises(FleetError):
        link.run_round(heartbeat=False)
    assert link.queue.backlog().unsent == 1


# --- acknowledgements ---------------------------------------------------------------------------


def test_an_acknowledgement_whose_answer_was_lost_reaches_the_help_desk_next_time(kiosk):
    link, desk = kiosk["link"], kiosk["desk"]
    request = desk.raise_request("face_check", 6, "Kiểm tra khuôn mặt", "citizen")
    link.run_round(heartbeat=False)
    _ack(kiosk["fleet"], request.help_id)
    kiosk["transport"].lose = 1
    with pytest.raises(FleetError):
        link.run_round(heartbeat=False)
    assert desk.get(request.help_id).state == "waiting"
    link.run_round(heartbeat=False)
    assert (desk.get(request.help_id).state, desk.get(request.help_id).acknowledged_by) == (
        "coming",
        "Chị Lan",
    )


def test_an_applied_acknowledgement_is_confirmed_and_applied_once(kiosk):
    link, desk, fleet = kiosk["link"], kiosk["desk"], kiosk["fleet"]
    request = desk.raise_request("face_check", 6, "Kiểm tra khuôn mặt", "citizen")
    link.run_round(heartbeat=False)
    _ack(fleet, request.help_id)
    link.run_round(heartbeat=False)  # applied
    link.run_round(heartbeat=False)  # confirmed
    with fleet.db.session() as session:
        assert session.get(ServedHelpRequest, request.help_id).ack_pending is False
    assert len(_audited(kiosk["store"], "help_acknowledged")) == 1


def test_a_link_restarted_after_applying_an_ack_does_not_apply_it_twice(kiosk, fleet):
    link, desk = kiosk["link"], kiosk["desk"]
    request = desk.raise_request("face_check", 6, "Kiểm tra khuôn mặt", "citizen")
    link.run_round(heartbeat=False)
    _ack(fleet, request.help_id)
    link.run_round(heartbeat=False)  # applied; the confirmation never leaves (a restart)
    link._acked.clear()
    link._to_confirm.clear()
    link.run_round(heartbeat=False)  # handed again: the desk has it already
    assert len(_audited(kiosk["store"], "help_acknowledged")) == 1


# --- a revoked token, a service down for a day ------------------------------------------------


def test_a_revoked_kiosk_keeps_its_queue_and_catches_up_when_enrolled_again(kiosk, fleet):
    link: FleetLink = kiosk["link"]
    revoke(fleet.db, KIOSK_ID, fleet.clock())
    link.queue_heartbeat()
    with pytest.raises(FleetTokenInvalid):
        link.run_round(heartbeat=False)
    assert link.queue.backlog().unsent == 1


def test_a_day_without_the_service_is_sent_in_batches_when_it_is_back(kiosk, fleet):
    link: FleetLink = kiosk["link"]
    url = link.client.url
    link.client.url = "http://127.0.0.1:9"  # nothing listens there
    for _ in range(24 * 60 // 5):  # a heartbeat every 5 minutes for a day
        link.queue_heartbeat()
    with pytest.raises(FleetError):
        link.run_round(heartbeat=False)
    assert link.queue.backlog().unsent == 288
    link.client.url = url
    report = link.run_round(heartbeat=False)
    assert (report.sent, report.unsent) == (288, 0)
    assert _received(fleet).count("heartbeat") == 288
