"""Every screen rendered at both kiosk resolutions; the PNGs are for people to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from tests.sample_session import sample_context
from ui import theme
from ui.screens.citizen import SCREENS

SHOTS = Path(os.environ.get("KIOSK_SCREENSHOTS", Path(__file__).parents[2] / "screenshots"))


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=["1080p", "768p"])
@pytest.mark.parametrize("step", list(StepId), ids=[s.value for s in StepId])
def test_every_screen_renders_legibly_at_kiosk_resolutions(qtbot, step, size):
    screen = SCREENS[step]("vi")
    qtbot.addWidget(screen)
    screen.setStyleSheet(theme.stylesheet())
    screen.resize(*size)
    screen.show_view(view_for(step, sample_context()))
    screen.show()
    qtbot.waitExposed(screen)
    image = screen.grab()
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{step.value}-{size[0]}x{size[1]}.png"
    assert image.save(str(path))
    assert image.width() == size[0] and image.height() == size[1]
    # Nothing the citizen must see may be pushed outside the screen.
    for widget in screen.findChildren(type(screen.back_button)):
        if widget.isVisible():
            bottom_right = widget.mapTo(screen, widget.rect().bottomRight())
            assert bottom_right.y() <= size[1] and bottom_right.x() <= size[0], widget.text()
