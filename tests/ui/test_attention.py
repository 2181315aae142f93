"""Time and attention: the idle question with its countdown, the card taken off mid-journey,
errors as one sentence, a pictogram and what to do."""

from __future__ import annotations

from kiosk.journey.events import Failed
from kiosk.journey.steps import StepId
from tests.fakes import fake_services
from tests.ui.fakes import FakeStaffDirectory, quick_config
from tests.ui.person import screen, tap, wait_for
from ui.main_window import MainWindow
from ui.voice import Voice


def _window(qtbot, idle_s: float, countdown_s: int, watch_card: bool = False):  # type: ignore[no-untyped-def]
    from kiosk.journey.engine import JourneyEngine

    window = MainWindow(
        JourneyEngine(fake_services()),
        quick_config(idle_s=idle_s, countdown_s=countdown_s),
        voice=Voice(audio=False, live_tts=False),
        staff=FakeStaffDirectory(),
        watch_card=watch_card,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_idle_asks_if_more_time_is_needed_then_wipes_the_session(qtbot):
    window = _window(qtbot, idle_s=0.2, countdown_s=1)
    tap(qtbot, screen(window).choice_buttons["submit"])
    wait_for(qtbot, window, StepId.CONSENT)
    qtbot.waitUntil(window.idle.isVisible, timeout=2000)
    assert window.voice.last_text == "Bác cần thêm thời gian không?"
    assert window.idle.countdown.text() == "1 giây"
    wait_for(qtbot, window, StepId.WELCOME, timeout=3000)
    assert not window.idle.isVisible()
    assert window.engine.ctx.journey is None


def test_more_time_keeps_the_session_and_repeats_the_instruction(qtbot):
    window = _window(qtbot, idle_s=0.2, countdown_s=30)
    tap(qtbot, screen(window).choice_buttons["submit"])
    wait_for(qtbot, window, StepId.CONSENT)
    qtbot.waitUntil(window.idle.isVisible, timeout=2000)
    tap(qtbot, window.idle.more_time)
    assert not window.idle.isVisible()
    assert window.engine.state is StepId.CONSENT
    assert window.voice.last_text == screen(window).view.say


def test_the_welcome_screen_never_asks(qtbot):
    window = _window(qtbot, idle_s=0.1, countdown_s=1)
    qtbot.wait(400)
    assert not window.idle.isVisible()


def test_a_card_taken_off_pauses_and_putting_it_back_resumes(qtbot):
    window = _window(qtbot, idle_s=60, countdown_s=5, watch_card=True)
    window.card_timer.setInterval(50)
    tap(qtbot, screen(window).choice_buttons["status"])
    wait_for(qtbot, window, StepId.CONSENT)
    tap(qtbot, screen(window).agree)
    wait_for(qtbot, window, StepId.STATUS_LIST)
    window.engine.services.card.present = False
    wait_for(qtbot, window, StepId.CARD_PAUSED)
    assert "đặt lại thẻ" in screen(window).view.say
    window.engine.services.card.present = True
    wait_for(qtbot, window, StepId.STATUS_LIST)


def test_an_error_shows_one_sentence_the_thing_concerned_and_what_to_do(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    tap(qtbot, screen(kiosk).agree)
    wait_for(qtbot, kiosk, StepId.CHOOSE_PROCEDURE)
    kiosk.engine.ctx.failed_step = None
    kiosk.engine.state = StepId.CARD_READ  # a card read that failed: as the runner reports it
    kiosk.engine.dispatch(Failed("card_not_placed"))
    wait_for(qtbot, kiosk, StepId.ERROR)
    error = screen(kiosk)
    assert error.view.say == "Máy chưa thấy thẻ căn cước."
    assert error.remedy.text().startswith("Bác đặt thẻ lên ô sáng đèn")
    assert error.thing.property("pictogram") == "card"
    assert not error.back_button.isVisible()  # the error step has no "back": only "Thử lại"
    assert error.retry.isVisible()
