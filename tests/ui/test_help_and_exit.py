"""Help and a way out (docs/ui.md §12), tapped like a citizen through the real window over the
real demo runtime (simulated chip card, sample camera, local portal, the nine procedures)."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from kiosk.journey.context import Journey
from kiosk.journey.engine import JourneyEngine
from kiosk.journey.events import Failed, Retry
from kiosk.journey.steps import StepId
from kiosk.records.help_requests import HelpState
from kiosk.runtime import open_runtime
from kiosk.texts.errors import RETRY_HELPS, codes
from tests.ui.fakes import FakeStaffDirectory, quick_config
from tests.ui.person import procedure_tile, screen, tap, wait_for
from ui.app import hand_over
from ui.main_window import MainWindow
from ui.voice import Voice

SIZE = (1366, 768)
WALK_MS = 60_000  # the demo chip read and the sample camera's face check take seconds


@pytest.fixture
def demo(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    config = quick_config(idle_s=600.0, countdown_s=5)
    config = dataclasses.replace(
        config, storage=dataclasses.replace(config.storage, data_dir=str(tmp_path))
    )
    runtime = open_runtime(config, demo=True)
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # as `kiosk run` starts
    window = MainWindow(engine, runtime.config, watch_card=False)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    hand_over(runtime, engine, window, Voice(audio=False, live_tts=False))
    window.pin_pad.set_directory(FakeStaffDirectory())
    yield window, runtime
    window.runner.wait_idle(5000)
    runtime.close()


def _start(qtbot, window, journey: str = "submit") -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, screen(window).choice_buttons[journey])
    wait_for(qtbot, window, StepId.CONSENT)
    tap(qtbot, screen(window).agree)


def _finish_then_go_on(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """ "Kết thúc" is there and asks once; "Làm tiếp" keeps the session where it was."""
    step, session = window.engine.state, window.engine.ctx.session_id
    tap(qtbot, screen(window).finish_button)
    assert window.finish_question.isVisible()
    assert window.finish_question.question.text() == "Bác muốn kết thúc? Thông tin sẽ được xoá."
    tap(qtbot, window.finish_question.go_on)
    assert not window.finish_question.isVisible()
    assert (window.engine.state, window.engine.ctx.session_id) == (step, session)


def _finish(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, screen(window).finish_button)
    tap(qtbot, window.finish_question.finish)
    wait_for(qtbot, window, StepId.GOODBYE)


def test_kết_thúc_is_on_every_screen_of_the_walk_and_finishing_wipes_at_once(qtbot, demo):
    window, _runtime = demo
    assert not screen(window).finish_button.isVisible()  # the welcome screen: no session yet
    tap(qtbot, screen(window).choice_buttons["submit"])
    wait_for(qtbot, window, StepId.CONSENT)
    assert not screen(window).finish_button.isVisible()  # "Không đồng ý" is the way out here
    tap(qtbot, screen(window).agree)
    for step in (StepId.QR_SCAN, StepId.CARD_READ):  # screens where the kiosk works
        qtbot.waitUntil(lambda s=step: window.shown is s, timeout=WALK_MS)
        assert screen(window).finish_button.isVisible(), step
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE, timeout=WALK_MS)
    _finish_then_go_on(qtbot, window)
    assert window.engine.ctx.identity is not None
    _finish(qtbot, window)
    assert window.engine.ctx.identity is None and window.engine.ctx.procedures == []
    assert "giấy hẹn" not in window.said  # nothing was printed: the goodbye names no slip
    assert window.said == "Cảm ơn Bác. Bác nhớ cầm theo thẻ căn cước."
    assert not screen(window).finish_button.isVisible()
    tap(qtbot, screen(window).finish)
    wait_for(qtbot, window, StepId.WELCOME)


def test_gọi_cán_bộ_is_stored_then_answered_by_an_officer_logging_in(qtbot, demo):
    window, runtime = demo
    _start(qtbot, window)
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE, timeout=WALK_MS)
    tap(qtbot, screen(window).header.staff_button)
    [request] = runtime.help_desk.open_requests()
    assert (request.step, request.reason, request.state) == (
        "choose_procedure",
        "citizen",
        HelpState.WAITING,
    )
    assert request.step_number > 0 and request.step_title
    notice = screen(window).banner
    assert notice.isVisible() and notice.text() == "Đã báo cán bộ, Bác chờ một chút."
    assert window.said == notice.text() and window.chime.played == 1
    tap(qtbot, screen(window).header.staff_button)  # again: the state is said, nothing new stored
    assert len(runtime.help_desk.open_requests()) == 1 and window.chime.played == 1
    window.open_pin_pad()
    window.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(window.staff_panel.isVisible, timeout=5000)
    answered = runtime.help_desk.get(request.help_id)
    assert (answered.state, answered.acknowledged_by) == (HelpState.ACKNOWLEDGED, "can.bo")
    assert screen(window).banner.text() == "Cán bộ đang tới, Bác chờ một chút."
    tap(qtbot, window.staff_panel.close_button)  # the officer helped and logs out
    assert runtime.help_desk.get(request.help_id).state is HelpState.CLOSED
    assert not screen(window).banner.isVisible()


def test_an_answer_from_the_counter_on_another_thread_shows_cán_bộ_đang_tới(qtbot, demo):
    window, runtime = demo
    tap(qtbot, screen(window).header.staff_button)  # from the welcome screen
    [request] = runtime.help_desk.open_requests()
    worker = threading.Thread(
        target=runtime.help_desk.acknowledge, args=(request.help_id, "coming", "lan")
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: screen(window).banner.text() == "Cán bộ đang tới, Bác chờ một chút.")
    assert window.said == screen(window).banner.text()


def test_the_notice_stays_through_the_next_screens_and_the_session_end_closes_the_request(
    qtbot, demo
):
    window, runtime = demo
    _start(qtbot, window)
    qtbot.waitUntil(lambda: window.shown is StepId.QR_SCAN, timeout=WALK_MS)
    tap(qtbot, screen(window).header.staff_button)
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE, timeout=WALK_MS)
    assert screen(window).banner.text() == "Đã báo cán bộ, Bác chờ một chút."
    _finish(qtbot, window)
    assert runtime.help_desk.open_requests() == []


def test_the_idle_question_offers_more_time_or_finish_and_finish_wipes(qtbot, demo):
    window, _runtime = demo
    _start(qtbot, window)
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE, timeout=WALK_MS)
    window.idle_timer.start(10)  # the citizen stood still for the whole idle time
    qtbot.waitUntil(window.idle.isVisible, timeout=2000)
    assert window.idle.more_time.text() == "Thêm thời gian"
    tap(qtbot, window.idle.finish)
    wait_for(qtbot, window, StepId.GOODBYE)
    assert window.engine.ctx.identity is None and not window.idle.isVisible()


def test_a_help_request_that_cannot_be_stored_is_never_said_to_reach_staff(qtbot, kiosk):
    # the fake-service kiosk has no help desk: nothing can be stored
    tap(qtbot, screen(kiosk).header.staff_button)
    assert screen(kiosk).banner.text() == (
        "Máy chưa báo được cán bộ. Bác vui lòng đến quầy cán bộ."
    )
    assert "Đã báo" not in kiosk.said and kiosk.chime.played == 0


NOTICES = [
    "Đã báo cán bộ, Quý khách chờ một chút.",
    "Cán bộ đang tới, Quý khách chờ một chút.",
    "Máy chưa báo được cán bộ. Quý khách vui lòng đến quầy cán bộ.",
    "Đây là làm thử với thẻ mẫu. Không có hồ sơ nào được gửi đi.",
]


def test_no_notice_changes_the_window_size_or_is_cut_on_any_screen_at_768p(qtbot, kiosk):
    for step in StepId:
        page = kiosk.screen_for(step)
        kiosk.stack.setCurrentWidget(page)
        for text in NOTICES:
            page.set_help_notice(text)
            qtbot.wait(5)
            assert (kiosk.width(), kiosk.height()) == SIZE, (step, text)
            notice = page.banner
            assert notice.isVisible()
            assert notice.heightForWidth(notice.width()) <= notice.height(), (step, text)
        page.set_help_notice("")


@pytest.mark.parametrize("code", codes())
def test_an_error_screen_offers_retry_only_where_it_can_work(qtbot, kiosk, code):
    engine = kiosk.engine
    engine.state = StepId.QR_SCAN  # the step whose work just failed with `code`
    engine.ctx.journey = Journey.SUBMIT
    assert engine.dispatch(Failed(code))
    wait_for(qtbot, kiosk, StepId.ERROR)
    page = screen(kiosk)
    assert page.retry.isVisible() is (code in RETRY_HELPS)
    assert page.staff.isVisible() is (code not in RETRY_HELPS)  # a person instead
    assert page.finish_button.isVisible()
    assert engine.dispatch(Retry()) is (code in RETRY_HELPS)


def test_the_retryable_codes_are_all_codes_of_the_catalogue():
    assert sorted(RETRY_HELPS - set(codes())) == []


def test_the_keyboard_offers_kết_thúc_and_finishing_from_it_wipes(qtbot, demo):
    """The keyboard covers the bottom bar: it carries its own "Kết thúc" (the name of a death
    registration's deceased is written on it)."""
    window, _runtime = demo
    _start(qtbot, window)
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE, timeout=WALK_MS)
    listing = screen(window)
    qtbot.waitUntil(lambda: bool(listing.procedure_buttons), timeout=WALK_MS)
    tap(qtbot, procedure_tile(qtbot, listing, "death_registration"))
    wait_for(qtbot, window, StepId.PROCEDURE_DETAIL)
    tap(qtbot, screen(window).choose)
    wait_for(qtbot, window, StepId.FORM, timeout=WALK_MS)
    form = screen(window)
    qtbot.waitUntil(lambda: form.view.ready, timeout=WALK_MS)
    tap(qtbot, form.yes)
    tap(qtbot, form.skip)  # no phone number
    qtbot.waitUntil(lambda: form.view.question.key == "relationship")
    tap(qtbot, form.choice.buttons["Con"])
    qtbot.waitUntil(form.keyboard.isVisible)  # the deceased's name, written
    assert not form.finish_button.isVisible()  # under the keyboard
    assert form.keyboard.finish.isVisible()
    tap(qtbot, form.keyboard.finish)
    assert window.finish_question.isVisible()
    tap(qtbot, window.finish_question.finish)
    wait_for(qtbot, window, StepId.GOODBYE)
    assert window.engine.ctx.identity is None
