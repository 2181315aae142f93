"""The accessibility audit on every citizen screen at both resolutions, and on the overlays."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from tests.sample_session import sample_context
from tests.ui.audit import audit, choice_gaps
from tests.ui.fakes import FakeStaffDirectory
from ui import theme
from ui.screens.registry import SCREENS


def _screen(qtbot, step: StepId, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    screen = SCREENS[step]("vi")
    qtbot.addWidget(screen)
    screen.setStyleSheet(theme.stylesheet())
    screen.resize(*size)
    screen.show_view(view_for(step, sample_context()))
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.wait(10)  # buttons added by render are shown on the next loop
    return screen


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=["1080p", "768p"])
@pytest.mark.parametrize("step", list(StepId), ids=[s.value for s in StepId])
def test_every_citizen_screen_passes_the_accessibility_audit(qtbot, step, size):
    screen = _screen(qtbot, step, size)
    assert audit(screen) == []
    assert choice_gaps(screen.main_choices(), screen) == []


def test_the_correction_keyboard_passes_the_audit_at_768p(qtbot):
    screen = _screen(qtbot, StepId.FORM, (1366, 768))
    screen.open_keyboard()
    qtbot.waitUntil(screen.keyboard.isVisible)
    assert audit(screen.keyboard) == []


def test_the_idle_question_passes_the_audit(qtbot, kiosk):
    kiosk.engine.state = StepId.CONSENT
    kiosk._idle_warning()
    assert audit(kiosk.idle) == []


def test_the_staff_screens_have_names_and_legible_contrast(qtbot, kiosk):
    kiosk.open_pin_pad()
    assert audit(kiosk.pin_pad, citizen=False) == []
    kiosk._staff_in(FakeStaffDirectory().authenticate(None, FakeStaffDirectory.PIN))
    assert audit(kiosk.staff_panel, citizen=False) == []


def test_the_audit_catches_a_nameless_small_low_contrast_button(qtbot):
    screen = _screen(qtbot, StepId.GOODBYE, (1366, 768))
    bad = QPushButton("Xong")
    bad.setFont(theme.font(theme.BUTTON_PX))
    bad.setStyleSheet("color: #9A9A9A; background: #FFFFFF; border: none;")
    bad.setFixedHeight(60)
    screen.bottom.addWidget(bad)
    qtbot.waitUntil(bad.isVisible)
    found = audit(screen)
    assert any("no accessible name" in p for p in found)
    assert any("too small" in p for p in found)
    assert any(":1" in p for p in found)
