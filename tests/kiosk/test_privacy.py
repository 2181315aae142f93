"""Consent before any reading (Decree 356/2025: explicit, nothing pre-ticked, recorded) and
session data dropped when the card leaves for good."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiosk.journey import events as ev
from kiosk.journey.engine import HeadlessRunner, JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.ops.session_record import CONSENT_TEXT_VERSION, SessionRecorder
from kiosk.records.audit import AuditLog
from kiosk.store import Store, open_store
from kiosk.store.models import Consent
from tests.fakes import fake_services


class Recording:
    """Wraps a fake service and records every method call."""

    def __init__(self, inner: Any, calls: list[str], name: str) -> None:
        self._inner, self._calls, self._name = inner, calls, name

    def __getattr__(self, attribute: str) -> Any:
        target = getattr(self._inner, attribute)

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append(f"{self._name}.{attribute}")
            return target(*args, **kwargs)

        return call


@pytest.fixture
def store(store_url: str) -> Store:
    return open_store(store_url)


@pytest.fixture
def engine(store: Store) -> tuple[JourneyEngine, list[str]]:
    calls: list[str] = []
    services = fake_services()
    services.qr = Recording(services.qr, calls, "qr")
    services.card = Recording(services.card, calls, "card")
    services.face = Recording(services.face, calls, "camera")
    engine = JourneyEngine(services)
    SessionRecorder(store, AuditLog(store)).attach(engine)
    return engine, calls


def _consents(store: Store) -> list[Consent]:
    with store.session() as session:
        return list(session.query(Consent))


def test_nothing_is_read_and_nothing_is_ticked_before_the_citizen_answers(
    engine: tuple[JourneyEngine, list[str]],
) -> None:
    journey, calls = engine
    journey.dispatch(ev.ChoseSubmit())
    HeadlessRunner(journey).settle()
    assert journey.state is StepId.CONSENT
    assert journey.ctx.consent is None  # not pre-ticked: no answer until the citizen gives one
    assert journey.pending_work() is None and calls == []


def test_declining_reads_nothing_and_records_the_no(
    engine: tuple[JourneyEngine, list[str]], store: Store
) -> None:
    journey, calls = engine
    journey.dispatch(ev.ChoseSubmit())
    journey.dispatch(ev.Declined())
    HeadlessRunner(journey).settle()
    assert calls == []
    [consent] = _consents(store)
    assert (consent.answer, consent.text_version) == (False, CONSENT_TEXT_VERSION)


def test_consenting_is_recorded_with_version_and_time_before_the_first_read(
    engine: tuple[JourneyEngine, list[str]], store: Store
) -> None:
    journey, calls = engine
    before = datetime.now(UTC)
    journey.dispatch(ev.ChoseSubmit())
    journey.dispatch(ev.Consented())
    assert calls == [] and len(_consents(store)) == 1  # recorded before any device is used
    HeadlessRunner(journey).settle()
    [consent] = _consents(store)
    answered = consent.answered_at.replace(tzinfo=UTC)
    assert consent.answer is True and consent.text_version == CONSENT_TEXT_VERSION
    assert before - timedelta(seconds=1) <= answered <= datetime.now(UTC)
    assert calls[0] == "qr.scan_card_qr" and "card.read_identity" in calls


def test_card_removed_pauses_then_the_timeout_drops_the_identity(
    engine: tuple[JourneyEngine, list[str]],
) -> None:
    journey, _ = engine
    journey.dispatch(ev.ChoseSubmit())
    journey.dispatch(ev.Consented())
    HeadlessRunner(journey).settle()
    identity = journey.ctx.identity
    assert identity is not None and journey.state is StepId.CHOOSE_PROCEDURE
    journey.dispatch(ev.CardRemoved())
    assert journey.state is StepId.CARD_PAUSED  # resume, don't restart, if the card comes back
    ref = weakref.ref(identity)
    journey.dispatch(ev.IdleTimeout())
    assert journey.state is StepId.WELCOME and journey.ctx.identity is None
    assert identity.id_number == "" and identity.photo_jpeg is None
    del identity
    journey.services.card._inner.identities.clear()  # type: ignore[attr-defined]
    gc.collect()
    assert ref() is None
