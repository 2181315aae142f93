"""Choosing the procedure: the list, what it takes (before choosing), and a queue number for the
procedures done at the counter (docs/domain.md §6)."""

from __future__ import annotations

from dataclasses import replace

from kiosk import texts
from kiosk.domain.model import Procedure, Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Back,
    Confirmed,
    Event,
    Failed,
    ProcedureChosen,
    ProceduresLoaded,
    TicketIssued,
    TicketRequested,
    Unavailable,
)
from kiosk.journey.steps.base import STAY, SUBMIT, Handled, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.texts import phrase
from kiosk.journey.view_data import ProcedureCard, Row, StepView
from kiosk.services.interfaces import Services
from printing.wording import money

TICKET_PRINTED = "ticket_printed"  # ctx.extras: the ticket came out of the printer


def _load_procedures(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    ctx.procedures = services.dossiers.procedures()
    return ProceduresLoaded()


def _preview_procedure(ctx: JourneyContext, event: Event) -> None:
    if not isinstance(event, ProcedureChosen):
        return
    chosen = next((p for p in ctx.procedures if p.code == event.code), None)
    if chosen is None or ctx.identity is None:
        raise ValueError(f"unknown procedure {event.code!r}")
    if ctx.procedure != chosen:
        ctx.draft = None  # prefilled by the form step's work, off the GUI thread
        ctx.field_index = 0
    ctx.procedure = chosen


def fee_text(procedure: Procedure, language: str) -> str:
    return money(procedure.fee_vnd) if procedure.fee_vnd else texts.get("ui.free", language)


def _procedure_list(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    cards = tuple(
        ProcedureCard(
            code=p.code,
            name=p.display_name,
            fee=fee_text(p, language),
            pictogram=p.pictogram,
            at_counter=p.counter_reason,
        )
        for p in ctx.procedures
    )
    return replace(view, procedures=cards, choices=tuple((c.code, c.name) for c in cards))


CHOOSE_PROCEDURE = Step(
    id=StepId.CHOOSE_PROCEDURE,
    screen="choose_procedure",
    transitions={
        ProceduresLoaded: STAY,  # the catalogue is loaded and shown
        ProcedureChosen: StepId.PROCEDURE_DETAIL,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.WELCOME,
    },
    work=_load_procedures,
    leave=_preview_procedure,
    view=_procedure_list,
    holds_card=True,
    report_label="Chọn thủ tục",
    progress_in=SUBMIT,
    after_identity_of=SUBMIT,
)


def _legal_time(procedure: Procedure, language: str) -> str:
    if procedure.same_day is not None:
        return texts.get("ui.same_day", language)
    return texts.get("ui.working_days", language, value=str(procedure.processing_days))


def _detail_rows(procedure: Procedure, language: str) -> tuple[Row, ...]:
    papers = [d.name for d in procedure.documents if d.source != "form"]
    bring = "\n".join(f"• {name}" for name in papers) or texts.get("ui.no_papers", language)
    rows = [
        Row(texts.get("ui.row_bring", language), bring),
        Row(texts.get("ui.row_who", language), procedure.who_comes or "—"),
        Row(texts.get("ui.row_fee", language), fee_text(procedure, language)),
        Row(texts.get("ui.row_days", language), _legal_time(procedure, language)),
    ]
    if procedure.at_counter:
        rows.append(Row(texts.get("ui.at_counter", language), procedure.counter_reason))
    return tuple(rows)


def _procedure_detail(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    procedure = ctx.procedure
    if procedure is None:
        return view
    say = view.say
    if procedure.at_counter:
        say = texts.get("phrase.at_counter", language, form)
    return replace(
        view,
        title=procedure.display_name,
        say=say,
        rows=_detail_rows(procedure, language),
        pictogram=procedure.pictogram,
        notice=procedure.counter_reason,
    )


def _refuse_form_for_counter(ctx: JourneyContext, event: Event) -> Handled | None:
    """A procedure done at the counter never goes to the form: the screen offers a number."""
    at_counter = ctx.procedure is not None and ctx.procedure.at_counter
    return Handled.REFUSED if at_counter and isinstance(event, Confirmed) else None


# What a procedure takes, before the citizen commits to it: papers, who comes, fee, days.
PROCEDURE_DETAIL = Step(
    id=StepId.PROCEDURE_DETAIL,
    screen="procedure_detail",
    transitions={
        Confirmed: StepId.FORM,
        TicketRequested: StepId.COUNTER_TICKET,
        Back: StepId.CHOOSE_PROCEDURE,
    },
    handle=_refuse_form_for_counter,
    view=_procedure_detail,
    holds_card=True,
    report_label="Xem thủ tục",
    progress_in=SUBMIT,
    answer=Confirmed(),
)


def _issue_ticket(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    """The day's next number (kept in the store), printed, and staff told (docs/domain.md §6)."""
    if not ctx.ticket and ctx.procedure is not None:
        ticket = services.tickets.issue(ctx.procedure)
        ctx.ticket = ticket.number
        ctx.extras[TICKET_PRINTED] = ticket.printed
    return TicketIssued()  # the number is the step's result: it stays on screen


def _ticket_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.procedure is None:
        return view
    rows = (Row(texts.get("ui.row_ticket", language), ctx.ticket),) if ctx.ticket else ()
    view = replace(view, big_text=ctx.ticket, rows=rows, ready=bool(ctx.ticket), pictogram="staff")
    if ctx.extras.get(TICKET_PRINTED):  # the number is on paper: nothing to remember
        view = replace(view, say=phrase("ticket_printed", language, form))
    return view


# A procedure done at the counter ends here at once, not after a form: a number, shown large.
COUNTER_TICKET = Step(
    id=StepId.COUNTER_TICKET,
    screen="counter_ticket",
    transitions={TicketIssued: STAY, Confirmed: StepId.GOODBYE},
    work=_issue_ticket,
    view=_ticket_view,
    report_label="Lấy số gặp cán bộ",
    answer=Confirmed(),
    ends_journey=True,
)


STEPS = (CHOOSE_PROCEDURE, PROCEDURE_DETAIL, COUNTER_TICKET)
