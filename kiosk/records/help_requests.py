"""A citizen's call for staff ("Gọi cán bộ"), made durable: stored, audited, acknowledged.

A request records the step the citizen was at (id, number, title), why help was called (a reason
code: "citizen" for the button, or the error code of a screen that hands over to staff) and its
state: waiting → acknowledged | coming → closed. It holds no personal data. Listeners (the
journey engine, the counter console's fleet link) are told after every change, on the thread that
made it. See docs/ui.md §12.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.records.audit import AuditLog
from kiosk.store import Store
from kiosk.store.models import HelpRequestRow


class HelpState(StrEnum):
    WAITING = "waiting"  # stored; no one has answered yet
    ACKNOWLEDGED = "acknowledged"  # an officer has seen it
    COMING = "coming"  # an officer is on the way
    CLOSED = "closed"  # helped, or the citizen left


ANSWERS = (HelpState.ACKNOWLEDGED, HelpState.COMING)  # what `acknowledge` may set
OPEN = (HelpState.WAITING, *ANSWERS)


class HelpDeskError(Exception):
    """Base class of help-request errors (each kind has its own `code`)."""


class HelpRequestUnknown(HelpDeskError):
    """No help request has this id."""

    code = "help_request_unknown"


class HelpRequestInvalid(HelpDeskError):
    """The change is not one a help request can make (a closed request, an unknown state)."""

    code = "help_request_invalid"


@dataclass(frozen=True)
class HelpRequest:
    help_id: str
    step: str
    step_number: int
    step_title: str
    reason: str
    state: HelpState
    acknowledged_by: str
    raised_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.state is not HelpState.CLOSED


HelpListener = Callable[[HelpRequest], None]


class HelpDesk:
    def __init__(
        self,
        store: Store,
        audit: AuditLog | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.audit = audit
        self.clock = clock
        self._listeners: list[HelpListener] = []
        self._lock = threading.Lock()

    def add_listener(self, callback: HelpListener) -> None:
        """Called with the request after every raise, acknowledge and close."""
        with self._lock:
            self._listeners.append(callback)

    def raise_request(
        self, step: str, step_number: int, step_title: str, reason: str
    ) -> HelpRequest:
        row = HelpRequestRow(
            id=uuid.uuid4().hex,
            step=step,
            step_number=step_number,
            step_title=step_title,
            reason=reason,
            state=HelpState.WAITING.value,
            acknowledged_by="",
            raised_at=self.clock(),
        )
        with self.store.session() as session:
            session.add(row)
            session.flush()
            request = _request(row)
        self._audit("citizen", "help_requested", request, step=step, reason=reason)
        self._tell(request)
        return request

    def acknowledge(self, help_id: str, state: str, by: str) -> None:
        """An officer answered: `state` is "acknowledged" or "coming". A request never moves
        back (coming stays coming); the first answer's time is kept."""
        try:
            answer = HelpState(state)
        except ValueError:
            answer = HelpState.CLOSED  # refused below, with the same error
        if answer not in ANSWERS:
            raise HelpRequestInvalid(f"a help request is acknowledged as {ANSWERS}, not {state!r}")
        with self.store.session() as session:
            row = self._row(session, help_id)
            if row.state == HelpState.CLOSED:
                raise HelpRequestInvalid(f"help request {help_id} is closed")
            if row.state != HelpState.COMING:
                row.state = answer.value
            row.acknowledged_by = by
            row.acknowledged_at = row.acknowledged_at or self.clock()
            request = _request(row)
        self._audit(f"staff:{by}", "help_acknowledged", request, state=answer.value)
        self._tell(request)

    def close(self, help_id: str) -> None:
        """Closed (helped, or the citizen left); closing a closed request changes nothing."""
        with self.store.session() as session:
            row = self._row(session, help_id)
            if row.state == HelpState.CLOSED:
                return
            row.state = HelpState.CLOSED.value
            row.closed_at = self.clock()
            request = _request(row)
        self._audit("system", "help_closed", request)
        self._tell(request)

    def get(self, help_id: str) -> HelpRequest:
        with self.store.session() as session:
            return _request(self._row(session, help_id))

    def open_requests(self) -> list[HelpRequest]:
        """Every request not yet closed, oldest first."""
        with self.store.session() as session:
            rows = session.scalars(
                select(HelpRequestRow)
                .where(HelpRequestRow.state.in_([state.value for state in OPEN]))
                .order_by(HelpRequestRow.raised_at, HelpRequestRow.id)
            )
            return [_request(row) for row in rows]

    @staticmethod
    def _row(session: Session, help_id: str) -> HelpRequestRow:
        row = session.get(HelpRequestRow, help_id)
        if row is None:
            raise HelpRequestUnknown(f"no help request {help_id!r}")
        return row

    def _audit(self, actor: str, action: str, request: HelpRequest, **detail: str) -> None:
        if self.audit is not None:
            self.audit.append(actor, action, {"help_id": request.help_id, **detail})

    def _tell(self, request: HelpRequest) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(request)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive times


def _request(row: HelpRequestRow) -> HelpRequest:
    raised = _aware(row.raised_at)
    assert raised is not None
    return HelpRequest(
        help_id=row.id,
        step=row.step,
        step_number=row.step_number,
        step_title=row.step_title,
        reason=row.reason,
        state=HelpState(row.state),
        acknowledged_by=row.acknowledged_by,
        raised_at=raised,
        acknowledged_at=_aware(row.acknowledged_at),
        closed_at=_aware(row.closed_at),
    )
