"""The fleet link's rounds against the fleet test double (docs/fleet_link.md §2): what is queued
reaches the service once, a service that is down costs nothing, the counter's acks reach the help
desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from kiosk.fleet_link.errors import FleetError, FleetTokenInvalid
from kiosk.fleet_link.link import HELP_INTERVAL_S, FleetLink
from tests.kiosk.fleet_link.fleet_double import RunningFleetDouble, wait_until


@dataclass
class Request:
    help_id: str
    step: str = "face_check"
    step_number: int = 6
    step_title: str = "Kiểm tra khuôn mặt"
    reason: str = "face_failed"
    closed_at: datetime | None = None


class HelpDesk:
    """Stands in for kiosk.records.help_requests.HelpDesk (its interface only)."""

    def __init__(self) -> None:
        self.listeners: list[Any] = []
        self.acknowledged: list[tuple[str, str, str]] = []
        self.open: list[Request] = []

    def add_listener(self, callback: Any) -> None:
        self.listeners.append(callback)

    def acknowledge(self, help_id: str, state: str, by: str) -> None:
        self.acknowledged.append((help_id, state, by))

    def open_requests(self) -> list[Request]:
        return list(self.open)

    def raise_request(self, help_id: str) -> Request:
        request = Request(help_id)
        self.open.append(request)
        for listener in self.listeners:
            listener(request)
        return request

    def close(self, request: Request) -> None:
        request.closed_at = datetime.now()
        self.open.remove(request)
        for listener in self.listeners:
            listener(request)


def test_a_round_sends_a_heartbeat_and_the_audit_anchor(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    kiosk["audit"].append("system", "kiosk_started", {})
    report = link.run_round()
    assert sorted(double.fleet.kinds_received()) == ["anchor", "heartbeat"]
    assert report.accepted == 2 and report.unsent == 0


def test_the_anchor_is_shipped_again_only_when_it_moved(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    kiosk["audit"].append("system", "kiosk_started", {})
    link.run_round()
    link.run_round(heartbeat=False)
    kiosk["audit"].append("system", "something_else", {})
    link.run_round(heartbeat=False)
    anchors = [e["body"]["anchor"]["body"]["id"] for e in double.fleet.events.values()
               if e["kind"] == "anchor"]  # fmt: skip
    assert anchors == [1, 2]


def test_the_heartbeat_says_version_devices_backlog_and_today(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    link.run_round()
    (beat,) = [e["body"] for e in double.fleet.events.values() if e["kind"] == "heartbeat"]
    assert beat["version"]
    assert set(beat["devices"]) == {"reader", "camera", "printer", "paper", "speech"}
    assert beat["devices"]["reader"] == "ok"  # the simulated reader's probe
    assert beat["outbox"] == {"unsent": 0, "oldest_unsent_s": 0, "soft_limit": 20}
    assert beat["today"] == {"visits": 0, "outcomes": {}, "median_step_s": {}}


def test_an_event_sent_again_after_a_lost_answer_is_a_duplicate_and_counted_once(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    link.run_round()
    sent = list(double.fleet.events)
    from sqlalchemy import update

    from kiosk.store.models import FleetEvent

    with link.store.session() as session:  # as if the answer had been lost on the way back
        session.execute(update(FleetEvent).values(sent_at=None))
    report = link.run_round(heartbeat=False)
    assert report.duplicates == len(sent) and report.accepted == 0
    assert list(double.fleet.events) == sent
    assert report.unsent == 0


def test_a_service_that_is_down_keeps_everything_queued_and_backs_off(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    double.fleet.down = True
    for _ in range(3):
        with pytest.raises(FleetError):
            link.run_round(heartbeat=True)
        link.failures += 1  # what the thread counts
    assert link.queue.backlog().unsent == 3
    assert link.next_wait() > 4 * link.config.fleet.interval_s


def test_after_the_service_was_down_the_backlog_catches_up_in_batches(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    double.fleet.down = True
    for n in range(450):
        link.queue.add("heartbeat", {"n": n})
    link.queue.add("help", {"help_id": "h1"})
    with pytest.raises(FleetError):
        link.run_round(heartbeat=False)
    double.fleet.down = False
    report = link.run_round(heartbeat=False)
    assert report.accepted == 451 and report.unsent == 0
    assert [len(s["events"]) for s in double.fleet.syncs] == [200, 200, 51]
    assert double.fleet.syncs[0]["events"][0]["kind"] == "help"


def test_a_revoked_token_is_a_typed_error_and_the_queue_is_kept(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    double.fleet.revoked.update(double.fleet.tokens)
    with pytest.raises(FleetTokenInvalid) as refused:
        link.run_round(heartbeat=True)
    assert refused.value.code == "fleet_token_invalid"
    assert link.queue.backlog().unsent == 1


def test_a_help_request_is_queued_and_sent_with_its_step_and_no_one_s_name(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    desk = HelpDesk()
    link.attach_help_desk(desk)
    desk.raise_request("h-1")
    link.run_round(heartbeat=False)
    (help_event,) = [e for e in double.fleet.events.values() if e["kind"] == "help"]
    assert help_event["body"] == {
        "help_id": "h-1",
        "step": "face_check",
        "step_number": 6,
        "step_title": "Kiểm tra khuôn mặt",
        "reason": "face_failed",
        "office": "UBND xã Demo",
    }


def test_the_counter_s_acknowledgement_reaches_the_help_desk_once(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    desk = HelpDesk()
    link.attach_help_desk(desk)
    desk.raise_request("h-1")
    ack = {"help_id": "h-1", "state": "coming", "by": "Chị Lan", "at": "2026-12-03T10:00:00Z"}
    double.fleet.pending_acks = [ack, {"help_id": "h-1", "state": "bogus", "by": "x"}]
    report = link.run_round(heartbeat=False)
    double.fleet.pending_acks = [ack]  # sent again by the service: handed over once only
    link.run_round(heartbeat=False)
    assert desk.acknowledged == [("h-1", "coming", "Chị Lan")]
    assert report.acks == 1


def test_closing_a_help_request_queues_help_closed_and_slows_the_link_down(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    desk = HelpDesk()
    link.attach_help_desk(desk)
    request = desk.raise_request("h-1")
    assert link.next_wait() == HELP_INTERVAL_S
    desk.close(request)
    link.run_round(heartbeat=False)
    assert [e["kind"] for e in double.fleet.events.values()] == ["help", "help_closed"]
    assert link.next_wait() == link.config.fleet.interval_s


def test_the_thread_sends_a_new_help_request_at_once(
    link: FleetLink, double: RunningFleetDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = HelpDesk()
    link.attach_help_desk(desk)
    link.start()
    assert wait_until(lambda: "heartbeat" in double.fleet.kinds_received())
    desk.raise_request("h-2")
    assert wait_until(lambda: "help" in double.fleet.kinds_received(), timeout=1.5)


def test_a_serial_printer_is_not_probed_unless_the_kiosk_says_it_is_idle(
    kiosk: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from devices.printer import registry
    from kiosk.fleet_link.heartbeat import DeviceHealth

    probed: list[str] = []
    monkeypatch.setattr(registry, "probe", lambda spec, setup: probed.append(spec))
    config = kiosk["config"]
    serial = replace(config, devices=replace(config.devices, printer="escpos:/dev/ttyS9"))
    assert DeviceHealth(serial).states()["printer"] == "unknown"
    busy = DeviceHealth(serial, busy=lambda: True)
    assert busy.states()["printer"] == "unknown"
    assert probed == []
    DeviceHealth(serial, busy=lambda: False, probe_every_s=0).states()
    assert probed == ["escpos:/dev/ttyS9"]


def test_the_real_help_desk_s_acknowledgement_is_not_sent_as_a_second_request(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    from kiosk.records.help_requests import HelpDesk as StoredHelpDesk

    desk = StoredHelpDesk(kiosk["store"])
    link.attach_help_desk(desk)
    request = desk.raise_request("face_check", 6, "Kiểm tra khuôn mặt", "citizen")
    desk.acknowledge(request.help_id, "coming", "canbo1")  # the officer logged in at the kiosk
    desk.close(request.help_id)
    link.run_round(heartbeat=False)
    assert [e["kind"] for e in double.fleet.events.values()] == ["help", "help_closed"]
