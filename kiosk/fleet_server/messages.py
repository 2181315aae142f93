"""Reading what kiosks send (docs/fleet.md §2): the sync envelope and each event's body, checked
field by field. Only the fields the protocol names are kept, each held to a shape that cannot
carry personal data (codes, counts, seconds; a step's title from the catalogue)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.fleet_server.errors import BadRequest, TooLarge

MAX_EVENTS = 500
EVENT_KINDS = ("heartbeat", "help", "help_closed", "anchor")

ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_WORD = re.compile(r"[a-z_]{1,30}")
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")
_STEP = re.compile(r"[A-Za-z0-9_.-]{1,60}")
_REASON = re.compile(r"[a-z0-9_.:-]{1,60}")  # "citizen", or the error code that needs an officer
_VERSION = re.compile(r"[0-9A-Za-z.+_-]{1,40}")
_MAX_DEVICES = 16
_MAX_PROCEDURES = 200


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    at: datetime
    body: Mapping[str, Any]


@dataclass(frozen=True)
class SyncRequest:
    kiosk_id: str
    events: list[Event]
    have: dict[str, str] = field(default_factory=dict)
    # (help_id, state) of acknowledgements the kiosk has applied: not handed to it again
    acks_applied: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Heartbeat:
    version: str
    devices: dict[str, str]
    unsent: int
    oldest_unsent_s: int
    soft_limit: int | None
    visits: int
    outcomes: dict[str, dict[str, int]]
    median_step_s: dict[str, float]


@dataclass(frozen=True)
class HelpAsked:
    help_id: str
    step: str
    step_number: int | None
    step_title: str
    reason: str
    office: str | None


def parse_time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise BadRequest(f"{where} is not an ISO-8601 time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{where} is not an ISO-8601 time") from None
    if moment.tzinfo is None:
        raise BadRequest(f"{where} has no UTC offset")
    return moment


def _dict(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadRequest(f"{where} is not an object")
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise BadRequest(f"{where} is not a count")
    return value


def _matching(value: Any, pattern: re.Pattern[str], where: str) -> str:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise BadRequest(f"{where} is not a valid code")
    return value


def _text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit or any(ord(c) < 32 for c in value):
        raise BadRequest(f"{where} is not a short line of text")
    return value


def parse_sync(document: Any) -> SyncRequest:
    body = _dict(document, "the body")
    kiosk_id = _matching(body.get("kiosk_id"), ID_PATTERN, "kiosk_id")
    raw_events = body.get("events", [])
    if not isinstance(raw_events, list):
        raise BadRequest("events is not a list")
    if len(raw_events) > MAX_EVENTS:
        raise TooLarge(f"{len(raw_events)} events in one sync; at most {MAX_EVENTS}")
    events = [_event(item, index) for index, item in enumerate(raw_events)]
    have_raw = _dict(body.get("have", {}), "have")
    have = {k: str(v) for k, v in have_raw.items() if isinstance(k, str) and isinstance(v, str)}
    return SyncRequest(kiosk_id, events, have, _acks_applied(body.get("acks_applied", [])))


ACK_STATES = ("acknowledged", "coming")


def _acks_applied(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise BadRequest("acks_applied is not a list")
    if len(value) > MAX_EVENTS:
        raise TooLarge(f"{len(value)} acks_applied in one sync; at most {MAX_EVENTS}")
    applied = []
    for index, item in enumerate(value):
        entry = _dict(item, f"acks_applied[{index}]")
        help_id = _matching(entry.get("help_id"), ID_PATTERN, f"acks_applied[{index}].help_id")
        state = entry.get("state")
        if state not in ACK_STATES:
            raise BadRequest(f"acks_applied[{index}].state is not one of {', '.join(ACK_STATES)}")
        applied.append((help_id, str(state)))
    return applied


def _event(item: Any, index: int) -> Event:
    where = f"events[{index}]"
    entry = _dict(item, where)
    kind = entry.get("kind")
    if kind not in EVENT_KINDS:
        raise BadRequest(f"{where}.kind is not one of {', '.join(EVENT_KINDS)}")
    return Event(
        id=_matching(entry.get("id"), ID_PATTERN, f"{where}.id"),
        kind=str(kind),
        at=parse_time(entry.get("at"), f"{where}.at"),
        body=_dict(entry.get("body", {}), f"{where}.body"),
    )


def parse_heartbeat(body: Mapping[str, Any]) -> Heartbeat:
    devices_raw = _dict(body.get("devices", {}), "heartbeat devices")
    if len(devices_raw) > _MAX_DEVICES:
        raise BadRequest("heartbeat devices: too many")
    devices = {
        _matching(name, _WORD, "a device name"): _matching(state, _WORD, f"device {name}")
        for name, state in devices_raw.items()
    }
    outbox = _dict(body.get("outbox", {}), "heartbeat outbox")
    today = _dict(body.get("today", {}), "heartbeat today")
    outcomes_raw = _dict(today.get("outcomes", {}), "today.outcomes")
    if len(outcomes_raw) > _MAX_PROCEDURES:
        raise BadRequest("today.outcomes: too many procedures")
    outcomes = {
        _matching(code, _CODE, "a procedure code"): {
            _matching(outcome, _WORD, "an outcome"): _count(n, f"outcomes {code}")
            for outcome, n in _dict(per, f"outcomes {code}").items()
        }
        for code, per in outcomes_raw.items()
    }
    medians: dict[str, float] = {}
    for step, seconds in _dict(today.get("median_step_s", {}), "median_step_s").items():
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise BadRequest(f"median_step_s {step} is not seconds")
        medians[_matching(step, _STEP, "a step")] = float(seconds)
    soft_limit = outbox.get("soft_limit")
    version = body.get("version", "")
    return Heartbeat(
        version=_matching(version, _VERSION, "version") if version else "",
        devices=devices,
        unsent=_count(outbox.get("unsent", 0), "outbox.unsent"),
        oldest_unsent_s=_count(outbox.get("oldest_unsent_s", 0), "outbox.oldest_unsent_s"),
        soft_limit=None if soft_limit is None else _count(soft_limit, "outbox.soft_limit"),
        visits=_count(today.get("visits", 0), "today.visits"),
        outcomes=outcomes,
        median_step_s=medians,
    )


def parse_help(body: Mapping[str, Any]) -> HelpAsked:
    number = body.get("step_number")
    office = body.get("office")
    return HelpAsked(
        help_id=_matching(body.get("help_id"), ID_PATTERN, "help_id"),
        step=_matching(body.get("step", ""), _STEP, "step") if body.get("step") else "",
        step_number=None if number is None else _count(number, "step_number"),
        step_title=_text(body.get("step_title", ""), "step_title", 120),
        reason=_matching(body.get("reason", "citizen"), _REASON, "reason"),
        office=None if office is None else _text(office, "office", 120),
    )


def parse_help_closed(body: Mapping[str, Any]) -> str:
    return _matching(body.get("help_id"), ID_PATTERN, "help_id")


def parse_anchor(body: Mapping[str, Any]) -> Mapping[str, Any]:
    return _dict(body.get("anchor"), "anchor")
