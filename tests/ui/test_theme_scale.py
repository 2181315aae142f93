"""Sizes follow the screen: the 1366×768 design scaled to fill bigger screens, never below the
minimum sizes (docs/ui.md §3, §5, §6)."""

from __future__ import annotations

import pytest

from ui import theme


@pytest.fixture
def restore_scale():  # type: ignore[no-untyped-def]
    yield
    theme.set_scale(1.0)


@pytest.mark.parametrize(
    ("size", "scale"),
    [
        ((1366, 768), 1.0),  # the reference design
        ((1920, 1080), 1920 / 1366),  # 16:9 full HD: everything 1.4× larger
        ((1280, 1024), 1.0),  # 5:4 panel: narrower than the design, keeps the minimum sizes
        ((1024, 600), 1.0),  # smaller still: never below the minimum sizes
        ((3840, 2160), 3840 / 1366),
    ],
)
def test_the_scale_keeps_the_design_inside_the_screen(size, scale):
    assert theme.scale_for(*size) == pytest.approx(scale)


def test_setting_the_scale_scales_type_buttons_and_gaps(restore_scale):
    theme.set_scale(theme.scale_for(1920, 1080))
    assert (theme.BODY_PX, theme.TITLE_PX, theme.BUTTON_HEIGHT, theme.MARGIN) == (42, 67, 146, 67)
    assert theme.PREVIEW == (675, 506)
    assert theme.px(20) == 28


def test_the_reference_scale_gives_back_the_design_sizes(restore_scale):
    theme.set_scale(2.0)
    theme.set_scale(1.0)
    assert (theme.BODY_PX, theme.SMALL_PX, theme.BUTTON_HEIGHT) == (30, 28, 104)


def test_a_screen_built_for_1080p_has_the_scaled_sizes(qtbot, restore_scale):
    from ui.screens.welcome import WelcomeScreen

    theme.set_scale(theme.scale_for(1920, 1080))
    screen = WelcomeScreen("vi")
    qtbot.addWidget(screen)
    assert screen.title.font().pixelSize() == theme.TITLE_PX == 67
    assert screen.back_button.minimumHeight() == theme.BUTTON_HEIGHT == 146
    assert screen.back_button.font().pixelSize() == 45


def test_review_values_follow_the_screen_too(qtbot, restore_scale):
    from ui.screens.review import ReviewScreen

    theme.set_scale(2.0)
    assert ReviewScreen("vi").big_px == 60


def test_the_procedure_screens_values_follow_the_screen(qtbot, restore_scale):
    from ui.screens.procedure import CounterTicketScreen, ProcedureDetailScreen

    theme.set_scale(2.0)
    assert ProcedureDetailScreen("vi").big_px == theme.BODY_PX == 60
    assert CounterTicketScreen("vi").big_px == theme.BIG_NUMBER_PX == 120


def test_the_procedure_list_at_1080p_is_the_1366_design_scaled_not_a_denser_list(
    qtbot, restore_scale
):
    """Two columns of 1.4× tiles, 1.4× apart, as at 1366×768: 1920 px is not "wide" once the
    tiles are scaled (the fixed 1700 px switch made three columns of cramped names)."""
    from kiosk.journey.steps import StepId
    from kiosk.journey.view import StepView
    from kiosk.journey.view_data import ProcedureCard
    from ui.screens.procedure import MIN_BUTTON_HEIGHT, ChooseProcedureScreen, ProcedureTile

    theme.set_scale(theme.scale_for(1920, 1080))
    screen = ChooseProcedureScreen("vi")
    qtbot.addWidget(screen)
    screen.resize(1920, 1080)
    screen.show()
    qtbot.waitExposed(screen)
    cards = tuple(
        ProcedureCard(f"p{n}", f"Thủ tục số {n}", "miễn phí", "document") for n in range(9)
    )
    screen.show_view(StepView(StepId.CHOOSE_PROCEDURE, "Chọn thủ tục", "", procedures=cards))
    qtbot.waitUntil(lambda: len(screen.procedure_buttons) > 0)
    assert screen._columns() == 2
    assert screen.grid.horizontalSpacing() == theme.BUTTON_GAP == 84
    tile = screen.procedure_buttons[0]
    assert tile.minimumHeight() == ProcedureTile.height_px() >= theme.px(MIN_BUTTON_HEIGHT) == 135
