"""Screenshots of what lies over the step screens: keyboard, idle question, staff PIN pad and
panel, the onlooker cover (both resolutions, for people to look at)."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from tests.sample_session import sample_context
from tests.ui.fakes import FakeStaffDirectory
from tests.ui.test_screenshots import SHOTS
from ui import theme
from ui.screens.registry import SCREENS

SIZES = pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=["1080p", "768p"])


def _save(widget, name: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    image = widget.grab()
    assert image.save(str(SHOTS / f"overlay-{name}-{size[0]}x{size[1]}.png"))
    assert (image.width(), image.height()) == size


@SIZES
def test_keyboard_screenshot(qtbot, size):
    screen = SCREENS[StepId.FORM]("vi")
    qtbot.addWidget(screen)
    screen.setStyleSheet(theme.stylesheet())
    screen.resize(*size)
    screen.show_view(view_for(StepId.FORM, sample_context()))
    screen.show()
    screen.open_keyboard()
    screen.keyboard.type_keys(" Vieetj")
    qtbot.waitUntil(screen.keyboard.isVisible)
    assert screen.keyboard.text().endswith("Việt")
    _save(screen, "keyboard", size)


@SIZES
def test_onlooker_cover_screenshot(qtbot, size):
    screen = SCREENS[StepId.REVIEW]("vi")
    qtbot.addWidget(screen)
    screen.setStyleSheet(theme.stylesheet())
    screen.resize(*size)
    view = dataclasses.replace(view_for(StepId.REVIEW, sample_context()), onlooker=True)
    screen.show_view(view)
    screen.show()
    qtbot.waitExposed(screen)
    assert not screen.body_host.isVisible() and screen.cover.isVisible()
    _save(screen, "onlooker", size)


@SIZES
def test_idle_and_staff_screenshots(qtbot, kiosk, size):
    kiosk.resize(*size)
    kiosk.engine.state = StepId.CONSENT
    kiosk._idle_warning()
    assert kiosk.idle.isVisible()
    _save(kiosk, "idle", size)
    kiosk.reset_idle()
    kiosk.open_pin_pad()
    kiosk.pin_pad.press("1")
    assert kiosk.pin_pad.isVisible()
    _save(kiosk, "staff-pin", size)
    kiosk._staff_in(FakeStaffDirectory().authenticate(None, FakeStaffDirectory.PIN))
    assert kiosk.staff_panel.isVisible()
    _save(kiosk, "staff-panel", size)
