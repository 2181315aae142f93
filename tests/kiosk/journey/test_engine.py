"""The journey engine: every transition of the table, the journeys end to end, and the rules
handled once for all steps (cancel, idle, card removal, stale work, overrides, wiping)."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import pytest

from kiosk.domain.model import FormField
from kiosk.journey import events as ev
from kiosk.journey.context import Journey
from kiosk.journey.engine import HeadlessRunner, JourneyEngine
from kiosk.journey.events import Event
from kiosk.journey.steps import StepId
from kiosk.journey.table import (
    AFTER_IDENTITY,
    AFTER_IDENTITY_TARGETS,
    RESUME,
    SKIP,
    all_transitions,
    mermaid,
)
from kiosk.services.unavailable import UnavailableQr
from tests.fakes import FakeFace, fake_services
from tests.sample_session import RESIDENCE, sample_identity


def engine_at(state: StepId, journey: Journey = Journey.SUBMIT) -> JourneyEngine:
    engine = JourneyEngine(fake_services())
    engine.state = state
    ctx = engine.ctx
    ctx.journey = journey
    ctx.identity = sample_identity()
    ctx.procedures = [RESIDENCE]
    ctx.failed_step = StepId.FACE_CHECK.value
    ctx.resume_step = StepId.CARD_READ.value
    ctx.error_code = "card_not_placed"  # a failure that a retry can mend (docs/ui.md §12)
    return engine


SAMPLES: dict[type[Event], Event] = {
    ev.ProcedureChosen: ev.ProcedureChosen(RESIDENCE.code),
    ev.StaffOverride: ev.StaffOverride("lan", "old chip photo, checked in person"),
    ev.PhoneEntered: ev.PhoneEntered("0912345678"),
    ev.OtpEntered: ev.OtpEntered("123456"),
    ev.Failed: ev.Failed("internal"),
    ev.FaceFailed: ev.FaceFailed("face_no_match"),
    ev.Unavailable: ev.Unavailable("card QR scan"),
    ev.DeviceError: ev.DeviceError("camera_unavailable"),
    ev.FieldCorrected: ev.FieldCorrected("phone", "0912345678"),
    ev.FieldSkipped: ev.FieldSkipped("phone"),
}
# RESIDENCE with one thing the chip cannot know: an optional phone number.
ASKING = dataclasses.replace(
    RESIDENCE,
    fields=(*RESIDENCE.fields, FormField("phone", "Số điện thoại", kind="phone", required=False)),
)


def event_for(event_type: type[Event]) -> Event:
    return SAMPLES[event_type] if event_type in SAMPLES else event_type()


def expected(target: object, engine: JourneyEngine, state: StepId) -> StepId:
    if target == AFTER_IDENTITY:
        return AFTER_IDENTITY_TARGETS[engine.ctx.journey.value]  # type: ignore[union-attr]
    if target == RESUME:
        return StepId(engine.ctx.resume_step)  # type: ignore[arg-type]
    if target == SKIP:
        return AFTER_IDENTITY_TARGETS[engine.ctx.journey.value]  # type: ignore[union-attr]
    if target == "STAY":
        return state
    assert isinstance(target, StepId)
    return target


TRANSITIONS = all_transitions()


@pytest.mark.parametrize(
    ("state", "event_type", "target"),
    TRANSITIONS,
    ids=[f"{s.value}-{e.kind}" for s, e, _ in TRANSITIONS],
)
def test_every_transition_of_the_table_is_taken(state, event_type, target):
    engine = engine_at(state)
    want = expected(target, engine, state)
    # The form: the chip's card (index 0) is left by CONFIRMED when nothing is asked, by BACK
    # and "this is wrong"; the last question is left by its answer or its skip.
    if state is StepId.FORM:
        answering = event_type in (ev.FieldCorrected, ev.FieldSkipped)
        procedure = ASKING if answering else RESIDENCE
        engine.ctx.draft = engine.services.dossiers.prefill(procedure, engine.ctx.identity)
        engine.ctx.field_index = 1 if answering else 0
    assert engine.dispatch(event_for(event_type)) is True
    assert engine.state is want


def test_every_step_is_reachable_and_has_a_way_out():
    states = {s for s, _, _ in TRANSITIONS}
    targets = {t for _, _, t in TRANSITIONS if isinstance(t, StepId)}
    targets |= set(AFTER_IDENTITY_TARGETS.values())
    assert set(StepId) - {StepId.WELCOME} <= targets
    assert states == set(StepId)


def test_a_step_ignores_events_it_does_not_take():
    engine = engine_at(StepId.CONSENT)
    assert engine.dispatch(ev.Paid()) is False
    assert engine.state is StepId.CONSENT


def run_journey(engine: JourneyEngine, answers: list[Event]) -> list[StepId]:
    runner = HeadlessRunner(engine)
    seen = [engine.state]
    for answer in answers:
        assert engine.dispatch(answer), f"{engine.state} refused {answer}"
        runner.settle()
        seen.append(engine.state)
    return seen


def test_submit_journey_reaches_done_with_a_dossier_and_receipt():
    services = fake_services()
    engine = JourneyEngine(services)
    seen = run_journey(
        engine,
        [
            ev.ChoseSubmit(),
            ev.Consented(),
            ev.ProcedureChosen(RESIDENCE.code),
            ev.Confirmed(),  # what it takes: chosen
            ev.Confirmed(),  # the chip's card: the chip proved every field of this form
            ev.Confirmed(),  # review
        ],
    )
    assert seen[-1] is StepId.DONE
    assert StepId.FACE_CHECK not in seen[-1:]  # automatic steps ran through
    assert len(services.dossiers.submitted) == 1  # type: ignore[attr-defined]
    assert engine.ctx.receipt_location == "/tmp/receipt.pdf"
    assert len(engine.ctx.draft.attachments) == len(RESIDENCE.documents)  # type: ignore[union-attr]


def test_the_form_asks_only_what_the_chip_did_not_fill_after_the_chips_card():
    engine = engine_at(StepId.FORM)
    engine.ctx.draft = engine.services.dossiers.prefill(ASKING, engine.ctx.identity)
    assert engine.dispatch(ev.Confirmed())  # the chip's card is right
    assert (engine.state, engine.ctx.field_index) == (StepId.FORM, 1)
    assert engine.dispatch(ev.Back())
    assert (engine.state, engine.ctx.field_index) == (StepId.FORM, 0)


def test_account_journey_creates_the_account_after_the_otp():
    engine = JourneyEngine(fake_services())
    seen = run_journey(
        engine,
        [
            ev.ChoseAccount(),
            ev.Consented(),
            ev.PhoneEntered("0912345678"),
            ev.OtpEntered("123456"),
        ],
    )
    assert seen[-1] is StepId.ACCOUNT_DONE
    assert engine.ctx.account_username == "001095012345"


def test_face_gets_three_tries_then_staff_and_an_override_needs_a_reason():
    engine = JourneyEngine(fake_services(face=FakeFace([False, False, False])))
    run_journey(engine, [ev.ChoseStatus(), ev.Consented()])
    assert engine.state is StepId.STAFF_HELP
    assert engine.ctx.face_tries == 3
    assert engine.ctx.error_code == "face_tries_exhausted"
    no_reason = ev.StaffOverride("lan", " ")
    assert engine.dispatch(no_reason) is False
    assert engine.dispatch(ev.StaffOverride("lan", "ảnh trong thẻ đã cũ"))
    assert engine.state is StepId.STATUS_LIST
    assert engine.ctx.overrides == [
        {"step": "face_check", "staff": "lan", "reason": "ảnh trong thẻ đã cũ"}
    ]


def test_a_service_not_built_hands_over_to_staff_and_says_which():
    services = fake_services()
    services.qr = UnavailableQr()
    engine = JourneyEngine(services)
    run_journey(engine, [ev.ChoseSubmit(), ev.Consented()])
    assert engine.state is StepId.STAFF_HELP
    assert engine.ctx.unavailable_feature == "card QR scan"
    assert engine.ctx.identity is None


def test_card_removed_pauses_and_card_returned_resumes_the_same_step():
    engine = engine_at(StepId.REVIEW)
    engine.dispatch(ev.CardRemoved())
    assert engine.state is StepId.CARD_PAUSED
    engine.dispatch(ev.CardReturned())
    assert engine.state is StepId.REVIEW


def test_a_result_that_arrives_after_cancel_is_dropped():
    engine = JourneyEngine(fake_services())
    engine.dispatch(ev.ChoseSubmit())
    engine.dispatch(ev.Consented())
    item = engine.pending_work()
    assert item is not None and item.step is StepId.QR_SCAN
    engine.dispatch(ev.Cancelled())
    assert engine.complete_work(item, ev.QrRead()) is False
    assert engine.state is StepId.WELCOME


@pytest.mark.parametrize("leave", [ev.Cancelled, ev.IdleTimeout])
def test_leaving_mid_journey_wipes_every_personal_datum(leave):
    services = fake_services()
    engine = JourneyEngine(services)
    run_journey(engine, [ev.ChoseSubmit(), ev.Consented()])
    assert engine.state is StepId.CHOOSE_PROCEDURE
    identity = engine.ctx.identity
    assert identity is not None
    ref = weakref.ref(identity)
    engine.dispatch(leave())
    assert engine.state is StepId.WELCOME
    assert engine.ctx.identity is None and engine.ctx.qr_text is None
    assert identity.full_name == "" and identity.photo_jpeg is None  # wiped in place too
    del identity
    services.card.identities.clear()  # type: ignore[attr-defined]  # the fake keeps its own
    gc.collect()
    assert ref() is None


def test_session_outcome_is_reported_to_closers():
    engine = JourneyEngine(fake_services())
    outcomes: list[str] = []
    engine.add_session_closer(lambda ctx, outcome: outcomes.append(outcome))
    engine.dispatch(ev.ChoseStatus())
    engine.dispatch(ev.IdleTimeout())
    assert outcomes == ["timeout"]


def test_mermaid_diagram_names_every_step():
    text = mermaid()
    assert text.startswith("stateDiagram-v2")
    for step in StepId:
        assert step.value in text


def test_a_citizen_who_already_has_an_account_is_told_so_not_failed():
    from kiosk.domain.model import ServiceError
    from kiosk.journey.view import view_for

    services = fake_services()

    def exists(identity, phone):  # type: ignore[no-untyped-def]
        raise ServiceError("exists", code="account_exists")

    services.accounts.request_otp = exists  # type: ignore[method-assign]
    engine = JourneyEngine(services)
    run_journey(
        engine,
        [
            ev.ChoseAccount(),
            ev.Consented(),
            ev.PhoneEntered("0912345678"),
        ],
    )
    assert engine.state is StepId.ACCOUNT_DONE
    assert "đã có tài khoản" in view_for(StepId.ACCOUNT_DONE, engine.ctx).title


def test_the_form_says_nothing_and_takes_no_answer_until_it_is_prefilled():
    from kiosk.journey.view import view_for

    engine = engine_at(StepId.CHOOSE_PROCEDURE)
    engine.dispatch(ev.ProcedureChosen(RESIDENCE.code))
    engine.dispatch(ev.Confirmed())  # what it takes: chosen
    waiting = view_for(StepId.FORM, engine.ctx)
    assert (waiting.ready, waiting.say, waiting.rows) == (False, "", ())
    HeadlessRunner(engine).settle()
    ready = view_for(StepId.FORM, engine.ctx)
    assert ready.ready and ready.rows[0].value == "Nguyễn Văn An"  # the chip's card


def test_a_wrong_otp_retried_sends_a_new_code_and_asks_for_it_again():
    services = fake_services()
    engine = JourneyEngine(services)
    answers = [ev.ChoseAccount(), ev.Consented(), ev.PhoneEntered("0912345678")]
    answers.append(ev.OtpEntered("000000"))
    seen = run_journey(engine, answers)
    assert (seen[-1], engine.ctx.error_code) == (StepId.ERROR, "otp_invalid")
    assert run_journey(engine, [ev.Retry()])[-1] is StepId.ACCOUNT_OTP
    assert services.accounts.phones == ["0912345678", "0912345678"]  # a second code was sent
    assert run_journey(engine, [ev.OtpEntered("123456")])[-1] is StepId.ACCOUNT_DONE
