"""One kiosk's sync (docs/fleet.md §2): record each new event once, apply it, and answer with the
accepted and duplicate ids, the officers' acknowledgements and the updates the kiosk lacks."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.fleet_server.clock import iso, local_day
from kiosk.fleet_server.db import FleetDb, aware
from kiosk.fleet_server.errors import KioskMismatch, TokenInvalid
from kiosk.fleet_server.help_desk import help_view
from kiosk.fleet_server.messages import (
    Event,
    SyncRequest,
    parse_anchor,
    parse_heartbeat,
    parse_help,
    parse_help_closed,
)
from kiosk.fleet_server.models import (
    Alert,
    AnchorRecord,
    HelpRequest,
    Kiosk,
    KioskDay,
    ReceivedEvent,
)
from kiosk.fleet_server.updates import current_updates

log = logging.getLogger(__name__)

COUNTED_DAYS = 30  # older events are recorded, not counted into the figures
# Console events to publish once the sync is committed: (event, data, office).
Published = list[tuple[str, dict[str, Any], str]]


def sync(
    db: FleetDb, kiosk_id: str, request: SyncRequest, now: datetime, token_hash: str = ""
) -> tuple[dict[str, Any], Published]:
    """The sync answer, and the console events to publish once it is committed. With
    `token_hash`, the kiosk's token is checked again inside the transaction (a revoked or
    replaced token is refused even when the caller looked it up earlier).

    Two syncs racing with the same event ids: the unique constraint stops the second insert;
    the retry then finds the ids already there and lists them as duplicates."""
    if request.kiosk_id != kiosk_id:
        raise KioskMismatch(f"the token belongs to {kiosk_id}, the body names {request.kiosk_id}")
    for attempt in range(3):
        try:
            with db.session() as session:
                return _sync_once(session, kiosk_id, request, now, token_hash)
        except sa_exc.IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _sync_once(
    session: Session, kiosk_id: str, request: SyncRequest, now: datetime, token_hash: str
) -> tuple[dict[str, Any], Published]:
    kiosk = session.get(Kiosk, kiosk_id, with_for_update=True)
    if kiosk is None or kiosk.revoked_at is not None:
        raise TokenInvalid("the kiosk was revoked")
    if token_hash and kiosk.token_hash != token_hash:
        raise TokenInvalid("the kiosk was enrolled again with another token")
    ids = [event.id for event in request.events]
    known = set()
    if ids:
        known = set(
            session.scalars(
                select(ReceivedEvent.event_id).where(
                    ReceivedEvent.kiosk_id == kiosk_id, ReceivedEvent.event_id.in_(ids)
                )
            )
        )
    accepted: list[str] = []
    duplicates: list[str] = []
    published: Published = []
    for event in request.events:
        if event.id in known:
            duplicates.append(event.id)
            continue
        known.add(event.id)
        session.add(
            ReceivedEvent(
                kiosk_id=kiosk_id, event_id=event.id, kind=event.kind, at=event.at, received_at=now
            )
        )
        published += _apply(session, kiosk, event, now)
        accepted.append(event.id)
    session.flush()  # a replay racing this one fails here, inside the retry
    kiosk.last_seen = now
    # An acknowledgement is handed over in every answer until the kiosk lists it as applied:
    # an answer lost on the way loses nothing (docs/fleet.md §6).
    confirmed = set(request.acks_applied)
    acks = []
    for row in session.scalars(
        select(HelpRequest).where(HelpRequest.kiosk_id == kiosk_id, HelpRequest.ack_pending)
    ):
        if (row.help_id, row.state) in confirmed:
            row.ack_pending = False
            continue
        acks.append(
            {
                "help_id": row.help_id,
                "state": row.state,
                "by": row.by,
                "at": iso(aware(row.acked_at or now)),
            }
        )
    updates = [
        {"kind": kind, "sha256": sha, "url": f"/api/v1/updates/{kind}/{sha}"}
        for kind, sha in current_updates(session).items()
        if request.have.get(kind, "") != sha
    ]
    answer = {
        "accepted": accepted,
        "duplicates": duplicates,
        "acks": acks,
        "updates": updates,
        "server_time": iso(now),
    }
    return answer, published


def _apply(session: Session, kiosk: Kiosk, event: Event, now: datetime) -> Published:
    if event.kind == "heartbeat":
        _heartbeat(session, kiosk, event, now)
    elif event.kind == "help":
        return _help(session, kiosk, event)
    elif event.kind == "help_closed":
        return _help_closed(session, kiosk, event, now)
    elif event.kind == "anchor":
        _anchor(session, kiosk, event, now)
    return []


def _heartbeat(session: Session, kiosk: Kiosk, event: Event, now: datetime) -> None:
    beat = parse_heartbeat(event.body)
    if kiosk.state_at is None or aware(kiosk.state_at) <= event.at:  # a late batch is older
        kiosk.state_at = event.at
        kiosk.version = beat.version or kiosk.version
        kiosk.devices = json.dumps(beat.devices, sort_keys=True)
        kiosk.outbox_unsent, kiosk.outbox_oldest_s = beat.unsent, beat.oldest_unsent_s
        kiosk.outbox_soft_limit = beat.soft_limit
    if not now - timedelta(days=COUNTED_DAYS) <= event.at <= now + timedelta(days=1):
        return
    day = local_day(event.at)
    row = session.get(KioskDay, (kiosk.kiosk_id, day))
    if row is None:
        row = KioskDay(kiosk_id=kiosk.kiosk_id, day=day, reported_at=event.at)
        session.add(row)
    elif aware(row.reported_at) > event.at:
        return
    row.office, row.visits, row.reported_at = kiosk.office, beat.visits, event.at
    row.outcomes = json.dumps(beat.outcomes, sort_keys=True)
    row.median_step_s = json.dumps(beat.median_step_s, sort_keys=True)


def _help(session: Session, kiosk: Kiosk, event: Event) -> Published:
    asked = parse_help(event.body)
    if session.get(HelpRequest, asked.help_id) is not None:
        return []  # the same request under a new event id: already on the console
    row = HelpRequest(
        help_id=asked.help_id,
        kiosk_id=kiosk.kiosk_id,
        office=asked.office or kiosk.office,
        step=asked.step,
        step_number=asked.step_number,
        step_title=asked.step_title,
        reason=asked.reason,
        at=event.at,
        state="open",
        by="",
        ack_pending=False,
    )
    session.add(row)
    return [("help", help_view(row), row.office)]


def _help_closed(session: Session, kiosk: Kiosk, event: Event, now: datetime) -> Published:
    row = session.get(HelpRequest, parse_help_closed(event.body))
    if row is None or row.kiosk_id != kiosk.kiosk_id or row.state == "closed":
        return []
    row.state, row.closed_at, row.ack_pending = "closed", now, False
    return [("closed", help_view(row), row.office)]


def _anchor(session: Session, kiosk: Kiosk, event: Event, now: datetime) -> None:
    """Keep the anchor; raise `anchor_mismatch` when it does not extend the previous one."""
    from kiosk.records.audit_anchor import AnchorInvalid, verify_anchor

    document = parse_anchor(event.body)
    signed = document.get("body")
    body: dict[str, Any] = signed if isinstance(signed, dict) else {}
    kiosk_key = str(body.get("kiosk_key", ""))[:64]
    try:
        anchored = verify_anchor(document, kiosk_key, f"from {kiosk.kiosk_id}")
    except AnchorInvalid as exc:
        _alert(session, kiosk, "invalid_signature", f"{exc}", now)
        return
    last = session.scalars(
        select(AnchorRecord)
        .where(AnchorRecord.kiosk_id == kiosk.kiosk_id)
        .order_by(AnchorRecord.id.desc())
        .limit(1)
    ).first()
    session.add(
        AnchorRecord(
            kiosk_id=kiosk.kiosk_id,
            entry_id=anchored.entry_id,
            entry_hash=anchored.entry_hash,
            kiosk_key=kiosk_key,
            document=json.dumps(document, sort_keys=True),
            received_at=now,
        )
    )
    if last is None:
        return
    if last.kiosk_key != kiosk_key:
        reason, problem = "other_key", "signed by another anchor key than before"
    elif anchored.entry_id < last.entry_id:
        reason = "removed"
        problem = f"entry {anchored.entry_id} after entry {last.entry_id}: entries were removed"
    elif anchored.entry_id == last.entry_id and anchored.entry_hash != last.entry_hash:
        reason = "rewritten"
        problem = f"entry {anchored.entry_id} has another hash than before: the log was rewritten"
    else:
        return
    _alert(session, kiosk, reason, problem, now)


def _alert(session: Session, kiosk: Kiosk, reason: str, detail: str, now: datetime) -> None:
    """An `anchor_mismatch` alert (the only stored kind) with its reason code."""
    log.warning("fleet alert anchor_mismatch on %s: %s", kiosk.kiosk_id, detail)
    session.add(
        Alert(
            kiosk_id=kiosk.kiosk_id,
            kind="anchor_mismatch",
            reason=reason,
            detail=detail[:300],
            raised_at=now,
        )
    )
