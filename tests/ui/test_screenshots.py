"""Every screen rendered at both kiosk resolutions; the PNGs are for people to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.journey.steps import StepId
from kiosk.journey.texts import guidance
from kiosk.journey.view import view_for
from tests.sample_session import sample_context
from ui import theme
from ui.screens.registry import SCREENS

SHOTS = Path(os.environ.get("KIOSK_SCREENSHOTS", Path(__file__).parents[2] / "screenshots"))
SIZES = [(1920, 1080), (1366, 768)]
# What the device reports at each step while it works (the sample session's is the face's).
PROGRESS = {
    StepId.QR_SCAN: (0.3, "show_card_qr"),
    StepId.CARD_READ: (0.5, "reading"),
    StepId.FACE_CHECK: (0.4, "blink"),
    StepId.DOCUMENTS: (0.2, "place_document"),
}
# The camera's guidance, on the screen of the step that reports it.
CAMERA_GUIDANCE = [
    (StepId.QR_SCAN, "show_card_qr"),
    (StepId.QR_SCAN, "tilt_card"),
    (StepId.QR_SCAN, "not_card_qr"),
    (StepId.QR_SCAN, "camera_reconnecting"),
    (StepId.FACE_CHECK, "move_back"),
    (StepId.FACE_CHECK, "too_bright"),
    (StepId.FACE_CHECK, "camera_reconnecting"),
    (StepId.DOCUMENTS, "place_document"),
    (StepId.DOCUMENTS, "hold_document_still"),
]


def _render(qtbot, step, size, progress=None):  # type: ignore[no-untyped-def]
    ctx = sample_context()
    ctx.progress = progress or PROGRESS.get(step, ctx.progress)
    screen = SCREENS[step]("vi")
    qtbot.addWidget(screen)
    screen.setStyleSheet(theme.stylesheet())
    screen.resize(*size)
    screen.show_view(view_for(step, ctx))
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.wait(20)  # the layout settles (a scroll area learns how tall its rows are)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=["1080p", "768p"])
@pytest.mark.parametrize("step", list(StepId), ids=[s.value for s in StepId])
def test_every_screen_renders_legibly_at_kiosk_resolutions(qtbot, step, size):
    screen = _render(qtbot, step, size)
    image = screen.grab()
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{step.value}-{size[0]}x{size[1]}.png"
    assert image.save(str(path))
    assert image.width() == size[0] and image.height() == size[1]
    # Rows that do not fit can be reached: the scroll area shows its bar.
    scroll = getattr(screen, "rows_scroll", None)
    if scroll is not None:
        rows = scroll.widget()
        needed = rows.layout().totalHeightForWidth(rows.width())
        assert needed <= scroll.viewport().height() or scroll.verticalScrollBar().isVisible()
    # Nothing the citizen must see may be pushed outside the screen.
    for widget in screen.findChildren(type(screen.back_button)):
        if widget.isVisible():
            bottom_right = widget.mapTo(screen, widget.rect().bottomRight())
            assert bottom_right.y() <= size[1] and bottom_right.x() <= size[0], widget.text()


@pytest.mark.parametrize("size", SIZES, ids=["1080p", "768p"])
@pytest.mark.parametrize(
    ("step", "key"), CAMERA_GUIDANCE, ids=[f"{s.value}-{k}" for s, k in CAMERA_GUIDANCE]
)
def test_the_cameras_guidance_shows_whole_on_its_waiting_screen(qtbot, step, key, size):
    screen = _render(qtbot, step, size, (0.5, key))
    text = guidance(key)
    assert text and screen.status.text() == text
    # the whole sentence fits its label (nothing cut off) and the label lies on the screen
    assert screen.status.height() >= screen.status.heightForWidth(screen.status.width())
    bottom = screen.status.mapTo(screen, screen.status.rect().bottomRight()).y()
    assert bottom <= size[1] - theme.BUTTON_HEIGHT
    assert screen.grab().save(str(SHOTS / f"guidance-{key}-{step.value}-{size[0]}x{size[1]}.png"))
