"""Fleet events carry no personal data (docs/fleet_link.md §2): after simulated citizens went
through the real engine (dossiers, phones, audit events, session records) and one asked for
help, neither the queued event bodies nor what reached the fleet service holds any citizen's
name, ID number, phone, address or date of birth — in any spelling a leak would take."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from kiosk.cli.fleet import send_queued
from kiosk.config import KioskConfig
from kiosk.ops.session_record import attach_recorder
from kiosk.ops.simulate import simulate
from kiosk.runtime import open_runtime
from kiosk.store.models import Dossier, FleetEvent
from tests.kiosk.fleet_link.fleet_double import RunningFleetDouble
from tests.kiosk.test_plaintext_scan import needles


@dataclass
class Request:
    help_id: str = "h-1"
    step: str = "face_check"
    step_number: int = 6
    step_title: str = "Kiểm tra khuôn mặt"
    reason: str = "citizen"


def _personal_values(runtime: object) -> set[str]:
    """Every value the citizens gave: opened from the sealed dossiers themselves."""
    from devices.card.simulator import demo_citizens

    found: set[str] = set()
    for person in demo_citizens():
        found |= {person.id_number, person.full_name, person.place_of_residence}
        found.add(person.date_of_birth.isoformat())
    with runtime.store.session() as session:  # type: ignore[attr-defined]
        rows = session.execute(select(Dossier.kiosk_reference, Dossier.payload_sealed)).all()
    for reference, sealed in rows:
        payload = json.loads(runtime.sealer.open(sealed, f"dossier:{reference}".encode()))  # type: ignore[attr-defined]
        stack: list[object] = [payload["applicant"], payload["values"]]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and len(value) >= 6:
                found.add(value)
    return found


def test_no_queued_or_sent_fleet_event_holds_a_citizen_s_data(
    tmp_path: Path, config: KioskConfig, double: RunningFleetDouble
) -> None:
    config = replace(config, storage=replace(config.storage, data_dir=str(tmp_path / "sim")))
    runtime = open_runtime(config, demo=True)
    try:
        assert runtime.fleet is not None
        simulate(runtime.services, 4, 1, engine_hook=attach_recorder(runtime),
                 otp_source=runtime.otp_source)  # fmt: skip
        runtime.fleet.on_help_request(Request())
        report = send_queued(runtime)
        assert report is not None and report.unsent == 0
        personal = _personal_values(runtime)
        with runtime.store.session() as session:
            queued = [body for (body,) in session.execute(select(FleetEvent.body)).all()]
    finally:
        runtime.close()
    assert len(personal) > 10, "the simulation stored no citizen data: nothing was looked for"
    sent = [json.dumps(e, ensure_ascii=False) for e in double.fleet.events.values()]
    heartbeats = [e["body"] for e in double.fleet.events.values() if e["kind"] == "heartbeat"]
    assert heartbeats[-1]["today"]["visits"] == 4  # the figures were there to leak from
    texts = [text.encode("utf-8") for text in (*queued, *sent)]
    leaks = sorted(
        value
        for value in personal
        for needle in needles(value)
        if any(needle in text for text in texts)
    )
    assert leaks == []
