"""Choosing the procedure from the catalogue."""

from __future__ import annotations

from dataclasses import replace

from kiosk import texts
from kiosk.domain.model import Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Back,
    Event,
    Failed,
    ProcedureChosen,
    ProceduresLoaded,
    Unavailable,
)
from kiosk.journey.steps.base import STAY, SUBMIT, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import StepView
from kiosk.services.interfaces import Services
from printing.wording import money


def _load_procedures(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    ctx.procedures = services.dossiers.procedures()
    return ProceduresLoaded()


def _choose_procedure(ctx: JourneyContext, event: Event) -> None:
    if not isinstance(event, ProcedureChosen):
        return
    chosen = next((p for p in ctx.procedures if p.code == event.code), None)
    if chosen is None or ctx.identity is None:
        raise ValueError(f"unknown procedure {event.code!r}")
    ctx.procedure = chosen
    ctx.draft = None  # prefilled by the form step's work, off the GUI thread
    ctx.field_index = 0


def _procedure_choices(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    free = texts.get("ui.free", language)
    return replace(
        view,
        choices=tuple(
            (p.code, p.name + " — " + (money(p.fee_vnd) if p.fee_vnd else free))
            for p in ctx.procedures
        ),
    )


CHOOSE_PROCEDURE = Step(
    id=StepId.CHOOSE_PROCEDURE,
    screen="choose_procedure",
    transitions={
        ProceduresLoaded: STAY,  # the catalogue is loaded and shown
        ProcedureChosen: StepId.FORM,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.WELCOME,
    },
    work=_load_procedures,
    leave=_choose_procedure,
    view=_procedure_choices,
    holds_card=True,
    report_label="Chọn thủ tục",
    progress_in=SUBMIT,
    after_identity_of=SUBMIT,
)


STEPS = (CHOOSE_PROCEDURE,)
