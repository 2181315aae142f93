"""An expired card is refused in the identity step with `card_expired`: the chip's date of expiry
against today on the kiosk's Vietnam-time clock (docs/domain.md §4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from kiosk import texts
from kiosk.journey import events as ev
from kiosk.journey.engine import HeadlessRunner, JourneyEngine
from kiosk.journey.steps import StepId, identity
from tests.fakes import fake_services
from tests.sample_session import sample_identity

pytestmark = pytest.mark.timeout(60)

TODAY = date(2026, 12, 3)


def read_card_with_expiry(monkeypatch, expiry: date | None, today: date = TODAY) -> JourneyEngine:
    services = fake_services()
    card = replace(sample_identity(), date_of_expiry=expiry)
    monkeypatch.setattr(services.card, "read_identity", lambda qr, progress: card)
    monkeypatch.setattr(identity, "vietnam_today", lambda: today)
    engine = JourneyEngine(services)
    runner = HeadlessRunner(engine)
    for answer in (ev.ChoseSubmit(), ev.Consented()):  # consent, then the QR and the chip
        engine.dispatch(answer)
        runner.settle()
    return engine


@pytest.mark.parametrize(
    ("expiry", "step"),
    [
        (date(2026, 12, 2), StepId.ERROR),  # expired yesterday
        (date(2026, 12, 3), StepId.CHOOSE_PROCEDURE),  # valid through its date of expiry
        (date(2035, 3, 17), StepId.CHOOSE_PROCEDURE),
        (None, StepId.CHOOSE_PROCEDURE),  # valid for life (MRZ 991231)
    ],
)
def test_the_card_step_refuses_a_card_past_its_date_of_expiry(monkeypatch, expiry, step):
    engine = read_card_with_expiry(monkeypatch, expiry)
    assert engine.state is step
    if step is StepId.ERROR:
        assert engine.ctx.error_code == "card_expired"


def test_today_is_the_vietnamese_day_even_when_it_is_still_yesterday_in_utc(monkeypatch):
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # 2 December 20:00 UTC is already 3 December 03:00 in Vietnam
            return datetime(2026, 12, 2, 20, 0, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(identity, "datetime", Clock)
    assert identity.vietnam_today() == date(2026, 12, 3)


def test_the_expired_card_message_says_to_renew_it_at_the_police_and_that_staff_can_help():
    citizen = texts.get("error.card_expired.citizen")
    remedy = texts.get("error.card_expired.remedy")
    assert "hết hạn" in citizen
    assert "công an" in remedy and "Cán bộ" in remedy
