"""The engine never blocks: every service call (device, database, portal, decryption) happens
in a step's work, which the runner executes on another thread, never inside `dispatch`."""

from __future__ import annotations

import threading

import pytest

from kiosk.journey import events as ev
from kiosk.journey.engine import JourneyEngine, WorkItem
from kiosk.journey.events import Event
from kiosk.journey.steps import StepId
from tests.fakes import services_recording_threads
from tests.sample_session import RESIDENCE


def run_into(engine: JourneyEngine, item: WorkItem, results: list[Event]) -> None:
    results.append(engine.run(item, lambda fraction, key: None))


def settle_on_a_worker(engine: JourneyEngine, completed: list[int]) -> None:
    """Like the Qt runner: each step's work runs on its own thread, its result comes back to
    the dispatching thread; a step's work runs once per entry."""
    while (item := engine.pending_work()) is not None and item.generation not in completed:
        results: list[Event] = []
        worker = threading.Thread(target=run_into, args=(engine, item, results))
        worker.start()
        worker.join()
        completed.append(item.generation)
        engine.complete_work(item, results[0])


JOURNEYS = {
    "submit": [
        ev.ChoseSubmit(),
        ev.Consented(),
        ev.ProcedureChosen(RESIDENCE.code),
        ev.Confirmed(),  # what it takes: chosen
        ev.Confirmed(),  # the chip's card (the chip filled every field)
        ev.Confirmed(),  # review
    ],
    "account": [
        ev.ChoseAccount(),
        ev.Consented(),
        ev.PhoneEntered("0912345678"),
        ev.OtpEntered("123456"),
    ],
    "status": [ev.ChoseStatus(), ev.Consented()],
}
ENDS = {"submit": StepId.DONE, "account": StepId.ACCOUNT_DONE, "status": StepId.STATUS_LIST}


@pytest.mark.parametrize("journey", JOURNEYS)
def test_dispatch_never_calls_a_service_on_the_dispatching_thread(journey):
    calls: list[tuple[str, int]] = []
    engine = JourneyEngine(services_recording_threads(calls))
    completed: list[int] = []
    for event in JOURNEYS[journey]:
        assert engine.dispatch(event), f"{engine.state} refused {event}"
        settle_on_a_worker(engine, completed)
    assert engine.state is ENDS[journey]
    here = threading.get_ident()
    assert [name for name, thread in calls if thread == here] == []
    assert len(calls) >= 4  # the services were used, on workers


def test_the_form_is_prefilled_by_the_form_steps_work_not_by_choosing_the_procedure():
    calls: list[tuple[str, int]] = []
    engine = JourneyEngine(services_recording_threads(calls))
    completed: list[int] = []
    for event in (ev.ChoseSubmit(), ev.Consented()):
        engine.dispatch(event)
        settle_on_a_worker(engine, completed)
    engine.dispatch(ev.ProcedureChosen(RESIDENCE.code))
    engine.dispatch(ev.Confirmed())  # what it takes: chosen
    assert (engine.state, engine.ctx.draft) == (StepId.FORM, None)
    assert engine.dispatch(ev.Confirmed()) is False  # nothing to confirm before the prefill
    settle_on_a_worker(engine, completed)
    assert engine.ctx.draft is not None and engine.ctx.draft.values["full_name"]
    assert [name for name, _ in calls].count("dossiers.prefill") == 1
