"""Help requests between kiosks and the counter console (docs/fleet.md §6): what a console shows,
and an officer's acknowledgement, handed to the kiosk in its next sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from kiosk import texts
from kiosk.fleet_server.clock import iso
from kiosk.fleet_server.db import FleetDb, aware
from kiosk.fleet_server.errors import BadRequest, Conflict, Forbidden, NotFound
from kiosk.fleet_server.models import HelpRequest
from kiosk.texts import errors

ACK_STATES = ("acknowledged", "coming")
OPEN_STATES = ("open", *ACK_STATES)
# Reasons that are not error codes (docs/fleet.md §6); an error code is said with the kiosk's
# own sentence for it, about "công dân".
REASONS = {
    "citizen": "Công dân bấm “Gọi cán bộ”",
    "counter_ticket": "Công dân đã lấy số, chờ làm thủ tục tại quầy",
    "staff_help": "Máy cần cán bộ giúp công dân",
}


def reason_text(reason: str) -> str:
    """What the officer reads for a request's reason, in Vietnamese, with no personal data."""
    if reason in REASONS:
        return REASONS[reason]
    if errors.known(reason) == reason:
        return "Máy báo: " + texts.get(f"error.{reason}.citizen", "vi", "công dân")
    return f"Máy báo lỗi ({reason})"


def help_view(row: HelpRequest) -> dict[str, Any]:
    """The console's `help` event: which kiosk, which step; no personal data."""
    return {
        "help_id": row.help_id,
        "kiosk_id": row.kiosk_id,
        "office": row.office,
        "step": row.step,
        "step_number": row.step_number,
        "step_title": row.step_title,
        "reason": row.reason,
        "reason_text": reason_text(row.reason),
        "at": iso(aware(row.at)),
        "state": row.state,
        "by": row.by,
    }


def open_requests(db: FleetDb, office: str) -> list[dict[str, Any]]:
    """Requests not yet closed, oldest first, of `office` (empty: every office)."""
    with db.session() as session:
        query = select(HelpRequest).where(HelpRequest.state.in_(OPEN_STATES))
        if office:
            query = query.where(HelpRequest.office == office)
        return [help_view(row) for row in session.scalars(query.order_by(HelpRequest.at))]


def acknowledge(
    db: FleetDb, help_id: str, state: str, by: str, scope_office: str, now: datetime
) -> dict[str, Any]:
    """Record an officer's answer; `scope_office` is the access token's office (empty: any)."""
    if state not in ACK_STATES:
        raise BadRequest(f"state must be one of {', '.join(ACK_STATES)}")
    by = " ".join(str(by).split())[:80]
    if not by:
        raise BadRequest("by (the officer's name as the kiosk shows it) is empty")
    with db.session() as session:
        row = session.get(HelpRequest, help_id)
        if row is None:
            raise NotFound(f"no help request {help_id}")
        if scope_office and row.office != scope_office:
            raise Forbidden("this help request belongs to another office")
        if row.state == "closed":
            raise Conflict("the help request is already closed")
        row.state, row.by, row.acked_at, row.ack_pending = state, by, now, True
        return help_view(row)
