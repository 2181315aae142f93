"""The help desk: a call for staff stored, answered and closed, audited, told to listeners."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from kiosk.records.audit import AuditLog
from kiosk.records.help_requests import (
    HelpDesk,
    HelpRequest,
    HelpRequestInvalid,
    HelpRequestUnknown,
    HelpState,
)
from kiosk.store import open_store
from kiosk.store.models import AuditEvent


@pytest.fixture
def desk(store_url: str) -> HelpDesk:
    store = open_store(store_url)
    return HelpDesk(store, AuditLog(store))


def _raise(desk: HelpDesk) -> HelpRequest:
    return desk.raise_request("form", 6, "Kiểm tra thông tin", "citizen")


def test_a_raised_request_is_stored_waiting_with_its_step_and_reason(desk):
    request = _raise(desk)
    stored = desk.get(request.help_id)
    assert (stored.step, stored.step_number, stored.step_title, stored.reason) == (
        "form",
        6,
        "Kiểm tra thông tin",
        "citizen",
    )
    assert stored.state is HelpState.WAITING and stored.raised_at.tzinfo is not None


def test_a_request_survives_a_new_desk_on_the_same_store(desk):
    request = _raise(desk)
    assert HelpDesk(desk.store).get(request.help_id).state is HelpState.WAITING


def test_acknowledging_records_the_state_the_officer_and_the_time(desk):
    request = _raise(desk)
    desk.acknowledge(request.help_id, "coming", "lan")
    answered = desk.get(request.help_id)
    assert answered.state is HelpState.COMING
    assert answered.acknowledged_by == "lan" and answered.acknowledged_at is not None


def test_a_request_coming_is_not_moved_back_to_acknowledged(desk):
    request = _raise(desk)
    desk.acknowledge(request.help_id, "coming", "lan")
    desk.acknowledge(request.help_id, "acknowledged", "binh")
    assert desk.get(request.help_id).state is HelpState.COMING


def test_closed_requests_are_not_open(desk):
    first, second = _raise(desk), _raise(desk)
    desk.close(first.help_id)
    assert [r.help_id for r in desk.open_requests()] == [second.help_id]
    assert desk.get(first.help_id).closed_at is not None


def test_listeners_hear_the_raise_the_answer_and_the_close(desk):
    heard: list[HelpState] = []
    desk.add_listener(lambda request: heard.append(request.state))
    request = _raise(desk)
    desk.acknowledge(request.help_id, "acknowledged", "lan")
    desk.close(request.help_id)
    assert heard == [HelpState.WAITING, HelpState.ACKNOWLEDGED, HelpState.CLOSED]


def test_every_change_is_audited_without_personal_data(desk):
    request = _raise(desk)
    desk.acknowledge(request.help_id, "coming", "lan")
    desk.close(request.help_id)
    with desk.store.session() as session:
        rows = [
            (e.actor, e.action, json.loads(e.detail)) for e in session.scalars(select(AuditEvent))
        ]
    assert [(actor, action) for actor, action, _ in rows] == [
        ("citizen", "help_requested"),
        ("staff:lan", "help_acknowledged"),
        ("system", "help_closed"),
    ]
    assert all(detail["help_id"] == request.help_id for _, _, detail in rows)


@pytest.mark.parametrize("state", ["waiting", "closed", "nonsense"])
def test_acknowledging_with_a_state_that_is_not_an_answer_is_refused(desk, state):
    request = _raise(desk)
    with pytest.raises(HelpRequestInvalid) as refused:
        desk.acknowledge(request.help_id, state, "lan")
    assert refused.value.code == "help_request_invalid"


def test_a_closed_request_cannot_be_acknowledged(desk):
    request = _raise(desk)
    desk.close(request.help_id)
    with pytest.raises(HelpRequestInvalid):
        desk.acknowledge(request.help_id, "coming", "lan")


def test_an_unknown_request_is_a_typed_error(desk):
    with pytest.raises(HelpRequestUnknown) as unknown:
        desk.close("no-such-id")
    assert unknown.value.code == "help_request_unknown"
