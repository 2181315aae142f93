"""Staff assistance: the hidden corner gesture, a real PIN check, the panel's actions."""

from __future__ import annotations

import pytest

from kiosk.journey.steps import StepId
from kiosk.records.staff import Role
from tests.fakes import FakeFace, fake_services
from tests.ui.fakes import FakeStaffDirectory, quick_config
from tests.ui.person import screen, tap, wait_for
from ui.main_window import MainWindow
from ui.staff_panel import OVERRIDE_REASONS, CornerTaps
from ui.voice import Voice


def _five_corner_taps(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        window.corner_tap(20, 20)


def test_five_taps_in_the_corner_within_three_seconds_open_the_pin_pad():
    now = [0.0]
    corner = CornerTaps(taps=5, within_s=3.0, clock=lambda: now[0])
    results = []
    for _ in range(5):
        now[0] += 0.5
        results.append(corner.tap(10, 10))
    assert results == [False, False, False, False, True]


def test_slow_taps_or_taps_outside_the_corner_do_not_count():
    now = [0.0]
    corner = CornerTaps(taps=3, within_s=3.0, clock=lambda: now[0])
    for _ in range(3):
        now[0] += 2.0
        assert not corner.tap(10, 10) or now[0] > 100
    assert not corner.tap(500, 10)


def test_a_wrong_pin_is_refused_with_the_attempts_left(qtbot, kiosk):
    _five_corner_taps(qtbot, kiosk)
    assert kiosk.pin_pad.isVisible()
    kiosk.pin_pad.type_pin("111111")
    qtbot.waitUntil(lambda: "Còn 4 lần" in kiosk.pin_pad.message.text())
    assert not kiosk.staff_panel.isVisible()


def test_locked_out_staff_are_told_until_when(qtbot, kiosk):
    _five_corner_taps(qtbot, kiosk)
    kiosk.pin_pad.directory.failures = 5
    kiosk.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(lambda: "tạm khoá" in kiosk.pin_pad.message.text())
    assert not kiosk.staff_panel.isVisible()


def test_without_a_staff_directory_the_pad_opens_nothing(qtbot):
    from kiosk.journey.engine import JourneyEngine

    window = MainWindow(
        JourneyEngine(fake_services()), quick_config(), voice=Voice(audio=False), watch_card=False
    )
    qtbot.addWidget(window)
    window.open_pin_pad()
    assert not window.pin_pad.keys["OK"].isEnabled()
    window.pin_pad.type_pin("000000")
    assert not window.staff_panel.isVisible()


def test_staff_take_over_and_hand_back_the_session(qtbot, kiosk):
    _five_corner_taps(qtbot, kiosk)
    kiosk.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(kiosk.staff_panel.isVisible)
    panel = kiosk.staff_panel
    tap(qtbot, panel.takeover)
    assert kiosk.engine.ctx.staff == "can.bo"
    assert panel.takeover.text() == "Trả lại cho người dân"
    tap(qtbot, panel.takeover)
    assert kiosk.engine.ctx.staff is None


def test_a_failed_face_check_is_overridden_only_with_a_reason(qtbot):
    from kiosk.journey.engine import JourneyEngine

    window = MainWindow(
        JourneyEngine(fake_services(FakeFace([False, False, False]))),
        quick_config(),
        voice=Voice(audio=False),
        staff=FakeStaffDirectory(),
        watch_card=False,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    tap(qtbot, screen(window).choice_buttons["status"])
    wait_for(qtbot, window, StepId.CONSENT)
    tap(qtbot, screen(window).agree)
    wait_for(qtbot, window, StepId.STAFF_HELP, timeout=5000)
    _five_corner_taps(qtbot, window)
    window.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(window.staff_panel.isVisible)
    panel = window.staff_panel
    assert panel.override_box.isVisible()
    assert not panel.override.isEnabled()  # no reason chosen yet
    tap(qtbot, panel.reasons.button(0))
    tap(qtbot, panel.override)
    wait_for(qtbot, window, StepId.STATUS_LIST)
    assert window.engine.ctx.overrides[0]["reason"] == OVERRIDE_REASONS[0]
    assert window.engine.ctx.overrides[0]["staff"] == "can.bo"


def test_staff_restart_wipes_the_session(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    _five_corner_taps(qtbot, kiosk)
    kiosk.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(kiosk.staff_panel.isVisible)
    tap(qtbot, kiosk.staff_panel.restart)
    wait_for(qtbot, kiosk, StepId.WELCOME)


def test_staff_mute_silences_the_voice(qtbot, kiosk):
    _five_corner_taps(qtbot, kiosk)
    kiosk.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(kiosk.staff_panel.isVisible)
    tap(qtbot, kiosk.staff_panel.mute_button)
    assert kiosk.voice.muted
    assert kiosk.staff_panel.mute_button.text() == "Bật tiếng"


@pytest.mark.parametrize(("role", "may_exit"), [(Role.OFFICER, False), (Role.SUPERVISOR, True)])
def test_only_a_supervisor_can_close_the_locked_down_kiosk(qtbot, role, may_exit):
    from kiosk.journey.engine import JourneyEngine

    window = MainWindow(
        JourneyEngine(fake_services()),
        quick_config(),
        voice=Voice(audio=False),
        staff=FakeStaffDirectory(role),
        watch_card=False,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    _five_corner_taps(qtbot, window)
    window.pin_pad.type_pin(FakeStaffDirectory.PIN)
    qtbot.waitUntil(window.staff_panel.isVisible)
    assert window.staff_panel.exit_button.isVisible() is may_exit
    if may_exit:
        with qtbot.waitSignal(window.exit_requested, timeout=1000):
            tap(qtbot, window.staff_panel.exit_button)
