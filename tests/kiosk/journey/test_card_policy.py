"""The card policy lives in the engine: the window only reports what the reader says."""

from __future__ import annotations

from kiosk.journey.engine import JourneyEngine
from kiosk.journey.steps import StepId
from tests.fakes import fake_services


def engine_at(state: StepId) -> JourneyEngine:
    engine = JourneyEngine(fake_services())
    engine.state = state
    engine.ctx.resume_step = None
    return engine


def test_two_readings_without_the_card_pause_a_step_that_holds_it():
    engine = engine_at(StepId.REVIEW)
    assert engine.card_reading(False, engine.generation) is False
    assert engine.card_reading(False, engine.generation) is True
    assert engine.state is StepId.CARD_PAUSED


def test_one_missed_reading_between_two_good_ones_is_a_glitch_not_a_removal():
    engine = engine_at(StepId.REVIEW)
    for present in (False, True, False, True):
        engine.card_reading(present, engine.generation)
    assert engine.state is StepId.REVIEW


def test_the_card_coming_back_resumes_the_paused_step():
    engine = engine_at(StepId.FORM)
    engine.card_reading(False, engine.generation)
    engine.card_reading(False, engine.generation)
    assert engine.card_reading(True, engine.generation) is True
    assert engine.state is StepId.FORM


def test_a_reading_taken_before_the_journey_moved_on_is_ignored():
    engine = engine_at(StepId.REVIEW)
    stale = engine.generation - 1
    engine.card_reading(False, stale)
    engine.card_reading(False, stale)
    assert engine.state is StepId.REVIEW


def test_the_card_is_watched_only_where_it_must_stay_on_the_reader():
    watched = {step for step in StepId if engine_at(step).watches_card}
    assert StepId.REVIEW in watched and StepId.CARD_PAUSED in watched
    assert not watched & {StepId.WELCOME, StepId.CARD_READ, StepId.SUBMIT, StepId.DONE}
    engine = engine_at(StepId.SUBMIT)
    engine.card_reading(False, engine.generation)
    engine.card_reading(False, engine.generation)
    assert engine.state is StepId.SUBMIT  # sending does not stop for the card
