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
    assert "Thử lại sau 15 phút" in kiosk.pin_pad.message.text()  # the time left, not a clock
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


# --- a real staff directory: lockout and permissions held in the core --------------------------

OFFICER_PIN, SUPERVISOR_PIN = "482913", "739164"


@pytest.fixture
def staff_store(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import kiosk.records.staff as staff_module
    from kiosk.records.audit import AuditLog
    from kiosk.records.staff import StaffDirectory
    from kiosk.store import open_store

    monkeypatch.setattr(staff_module, "SCRYPT_N", 2**10)  # fast hashes for the behaviour tests
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    store = open_store(url)
    directory = StaffDirectory(store, AuditLog(store))
    directory.add("an", OFFICER_PIN, "officer")
    directory.add("binh", SUPERVISOR_PIN, "supervisor")
    store.close()
    return url


def _window_on(qtbot, url):  # type: ignore[no-untyped-def]
    """A freshly started kiosk window whose PIN pad checks a directory on the store at `url`."""
    from kiosk.journey.engine import JourneyEngine
    from kiosk.records.audit import AuditLog
    from kiosk.records.staff import StaffDirectory
    from kiosk.store import open_store

    store = open_store(url)
    window = MainWindow(
        JourneyEngine(fake_services()),
        quick_config(),
        voice=Voice(audio=False),
        staff=StaffDirectory(store, AuditLog(store)),
        watch_card=False,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _log_in(qtbot, window, pin):  # type: ignore[no-untyped-def]
    _five_corner_taps(qtbot, window)
    window.pin_pad.type_pin(pin)
    qtbot.waitUntil(window.staff_panel.isVisible)


def _audit_actions(window) -> list[str]:  # type: ignore[no-untyped-def]
    from kiosk.store.models import AuditEvent

    with window.pin_pad.directory.store.session() as session:
        return [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]


def test_the_pin_pad_stays_locked_across_kiosk_restarts(qtbot, staff_store):
    said = []
    for _ in range(3):  # three starts of the kiosk, four wrong PINs each
        window = _window_on(qtbot, staff_store)
        _five_corner_taps(qtbot, window)
        for _ in range(4):
            window.pin_pad.type_pin("000001")
            qtbot.waitUntil(lambda w=window: not w.pin_pad.checking)
            said.append(window.pin_pad.message.text())
        window.pin_pad.directory.store.close()
    assert "tạm khoá" in said[4] and all("tạm khoá" in text for text in said[4:])
    window = _window_on(qtbot, staff_store)
    _five_corner_taps(qtbot, window)
    window.pin_pad.type_pin(OFFICER_PIN)
    qtbot.waitUntil(lambda: "tạm khoá" in window.pin_pad.message.text())
    assert not window.staff_panel.isVisible()


def test_an_officer_cannot_close_the_kiosk_even_when_asked_without_the_button(qtbot, staff_store):
    window = _window_on(qtbot, staff_store)
    _log_in(qtbot, window, OFFICER_PIN)
    assert not window.staff_panel.exit_button.isVisible()
    exits = []
    window.exit_requested.connect(lambda: exits.append(True))
    window.staff_panel.exit_kiosk.emit()  # as a button shown by mistake would
    assert exits == []
    assert window.staff_panel.refusal.isVisible()
    assert _audit_actions(window)[-1] == "staff_not_permitted"


def test_a_supervisor_closing_the_kiosk_is_audited(qtbot, staff_store):
    window = _window_on(qtbot, staff_store)
    _log_in(qtbot, window, SUPERVISOR_PIN)
    with qtbot.waitSignal(window.exit_requested, timeout=1000):
        tap(qtbot, window.staff_panel.exit_button)
    assert _audit_actions(window)[-1] == "kiosk_exit"


def test_a_take_over_is_refused_in_the_core_once_the_account_is_disabled(qtbot, staff_store):
    window = _window_on(qtbot, staff_store)
    _log_in(qtbot, window, OFFICER_PIN)
    window.pin_pad.directory.disable("an", by="staff:binh")
    tap(qtbot, window.staff_panel.takeover)
    assert window.engine.ctx.staff is None
    assert window.staff_panel.refusal.isVisible()
