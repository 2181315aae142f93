"""The citizen's flow, finished: one fee everywhere, "Quay lại" from the form, the ID once on
the review (issue 13, second wave)."""

from __future__ import annotations

import dataclasses

from kiosk.domain.model import FeeRule, FormField
from kiosk.journey import events as ev
from kiosk.journey.context import Journey
from kiosk.journey.engine import HeadlessRunner, JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from tests.fakes import FakeTickets, fake_services
from tests.sample_session import RESIDENCE, sample_identity

# Listed free, 8.000 đồng once the date asked is more than 60 days ago (docs/domain.md §6).
LATE_BIRTH = dataclasses.replace(
    RESIDENCE,
    code="KS",
    fee=FeeRule("free_within_days", days=60, date_field="born", amount_after_vnd=8000),
    fields=(*RESIDENCE.fields, FormField("born", "Ngày sinh của cháu", kind="date")),
)
ON_TIME = "01/01/2026"  # the fakes price on 23/04/2026: 112 days later, so late
LATE = "01/01/2020"


def _engine(procedure=LATE_BIRTH):
    services = fake_services()
    services.dossiers.procedures = lambda: [procedure]  # type: ignore[method-assign]
    engine = JourneyEngine(services)
    return engine, services, HeadlessRunner(engine)


def _to_review(engine, runner, born: str) -> None:
    for event in (ev.ChoseSubmit(), ev.Consented()):
        engine.dispatch(event)
        runner.settle()
    for event in (
        ev.ProcedureChosen("KS"),
        ev.Confirmed(),  # what it takes
        ev.Confirmed(),  # the chip's card
        ev.FieldCorrected("born", born),
    ):
        assert engine.dispatch(event), f"{engine.state} refused {event}"
        runner.settle()
    assert engine.state is StepId.REVIEW


def test_a_late_birth_registration_shows_and_asks_the_fee_its_answers_cost():
    engine, services, runner = _engine()
    _to_review(engine, runner, LATE)
    rows = {r.label: r.value for r in view_for(StepId.REVIEW, engine.ctx).rows}
    assert rows["Lệ phí"] == "8.000 đồng"
    shown = []
    engine.add_listener(lambda t, ctx: shown.append(view_for(t.new, ctx)))
    engine.dispatch(ev.Confirmed())
    runner.settle()
    fee_screen = next(view for view in shown if view.step is StepId.FEE)
    assert fee_screen.big_text == "8.000 đồng"
    assert services.payments.requested == [8000]  # type: ignore[attr-defined]


def test_a_free_dossier_goes_from_sending_to_the_receipt_without_the_fee_screen():
    engine, services, runner = _engine()
    _to_review(engine, runner, ON_TIME.replace("01/01", "01/04"))  # 22 days: free
    seen = []
    engine.add_listener(lambda t, ctx: seen.append(t.new))
    engine.dispatch(ev.Confirmed())
    runner.settle()
    assert StepId.FEE not in seen and engine.state is StepId.DONE
    assert services.payments.requested == []  # type: ignore[attr-defined]
    assert view_for(StepId.DONE, engine.ctx).notice == ""  # nothing to pay at the counter


def test_back_from_the_chips_card_returns_to_the_procedure_just_chosen():
    engine, _, runner = _engine()
    for event in (ev.ChoseSubmit(), ev.Consented(), ev.ProcedureChosen("KS"), ev.Confirmed()):
        engine.dispatch(event)
        runner.settle()
    assert (engine.state, engine.ctx.field_index) == (StepId.FORM, 0)
    assert engine.dispatch(ev.Back())
    assert engine.state is StepId.PROCEDURE_DETAIL and engine.ctx.procedure == LATE_BIRTH


def test_the_review_shows_the_id_number_once():
    with_id = dataclasses.replace(
        RESIDENCE,
        fields=(
            FormField("applicant_id", "Số định danh", "id_number", prefill_from="id_number"),
            *RESIDENCE.fields,
        ),
    )
    engine = JourneyEngine(fake_services())
    ctx = engine.ctx
    ctx.journey, ctx.identity, ctx.procedure = Journey.SUBMIT, sample_identity(), with_id
    ctx.draft = engine.services.dossiers.prefill(with_id, ctx.identity)
    ctx.draft.values["applicant_id"] = ctx.identity.id_number
    rows = view_for(StepId.REVIEW, ctx).rows
    assert sum(ctx.identity.id_number in (r.value, r.reveal) for r in rows) == 1


def test_a_counter_procedure_takes_its_number_from_the_ticket_service():
    at_counter = dataclasses.replace(RESIDENCE, counter_reason="Cán bộ cần xem bản chính.")
    engine, services, runner = _engine(at_counter)
    for event in (ev.ChoseSubmit(), ev.Consented(), ev.ProcedureChosen(at_counter.code)):
        engine.dispatch(event)
        runner.settle()
    assert engine.dispatch(ev.TicketRequested())
    runner.settle()
    assert engine.state is StepId.COUNTER_TICKET and engine.ctx.ticket == "001"
    assert services.tickets.issued == [at_counter.code]  # type: ignore[attr-defined]
    assert "trên màn hình" in view_for(StepId.COUNTER_TICKET, engine.ctx).say  # not printed


def test_a_printed_counter_ticket_is_not_to_be_remembered_from_the_screen():
    at_counter = dataclasses.replace(RESIDENCE, counter_reason="Cán bộ cần xem bản chính.")
    engine, services, runner = _engine(at_counter)
    services.tickets = FakeTickets(printed=True)  # type: ignore[misc]
    for event in (ev.ChoseSubmit(), ev.Consented(), ev.ProcedureChosen(at_counter.code)):
        engine.dispatch(event)
        runner.settle()
    engine.dispatch(ev.TicketRequested())
    runner.settle()
    say = view_for(StepId.COUNTER_TICKET, engine.ctx).say
    assert "vừa in ra" in say and "trên màn hình" not in say


def test_the_card_holders_own_ethnicity_is_the_first_answer_for_the_childs():
    from kiosk.domain.catalogue import load_catalogue
    from kiosk.journey.steps.form import question_view_choices

    birth = next(p for p in load_catalogue().procedures if p.code == "birth_registration")
    ethnicity = next(f for f in birth.fields if f.key == "child_ethnicity")
    holder = dataclasses.replace(sample_identity(), ethnicity="Tày")
    choices = question_view_choices(ethnicity, holder)
    assert choices[0] == "Tày" and sorted(choices) == sorted(ethnicity.choices)
