"""Checking the status of the citizen's dossiers."""

from __future__ import annotations

from dataclasses import replace

from kiosk.domain.model import Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import Back, Confirmed, Event, Failed, StatusFound, Unavailable
from kiosk.journey.steps.base import STATUS, STAY, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import Row, StepView
from kiosk.services.interfaces import Services


def _lookup_status(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.identity is not None
    ctx.statuses = services.status.lookup(ctx.identity)
    return StatusFound()


def _status_rows(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    return replace(view, rows=tuple(Row(s.procedure_name, s.status) for s in ctx.statuses))


STATUS_LIST = Step(
    id=StepId.STATUS_LIST,
    screen="status",
    transitions={
        StatusFound: STAY,
        Confirmed: StepId.GOODBYE,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.WELCOME,
    },
    work=_lookup_status,
    view=_status_rows,
    holds_card=True,
    report_label="Xem tình trạng hồ sơ",
    progress_in=STATUS,
    after_identity_of=STATUS,
    ends_journey=True,
)

STEPS = (STATUS_LIST,)
