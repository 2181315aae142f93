"""A long list of answers (the 54 ethnic groups, a commune's many villages) in pages of big
buttons, every answer reachable with taps alone and none drawn outside the room it was given."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.ethnic_groups import ETHNIC_GROUPS
from tests.ui.person import tap
from ui import theme
from ui.screens.pickers import ChoiceButtons


def _choices(qtbot, size: tuple[int, int], height: int) -> tuple[QWidget, ChoiceButtons]:  # type: ignore[no-untyped-def]
    """A window of `size` and the answers in it, given `height` px (keep the window)."""
    window = QWidget()
    window.setStyleSheet(theme.stylesheet())
    column = QVBoxLayout(window)
    choices = ChoiceButtons()
    choices.setFixedHeight(height)
    column.addWidget(choices)
    column.addStretch(1)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    choices.set_choices(tuple((name, name) for name in ETHNIC_GROUPS))
    return window, choices


@pytest.mark.parametrize("size", [(1366, 768), (1280, 1024)], ids=["768p", "5:4"])
def test_every_ethnic_group_is_reached_by_turning_pages(qtbot, size):
    _window, choices = _choices(qtbot, size, 380)
    assert choices.page_count() > 1
    seen: list[str] = []
    room = QRect(0, 0, choices.width(), choices.height())
    for page in range(choices.page_count()):
        qtbot.waitUntil(lambda: all(b.isVisible() for b in choices.buttons.values()))
        assert choices.page == page
        for button in [*choices.buttons.values(), *choices.pager]:
            assert room.contains(button.geometry()), (
                button.text() if hasattr(button, "text") else ""
            )
        seen += list(choices.buttons)
        later = choices.pager[-1]
        assert later.isEnabled() == (page < choices.page_count() - 1)
        if later.isEnabled():
            tap(qtbot, later)
    assert seen == list(ETHNIC_GROUPS)  # each once, in the list's order


def test_a_few_answers_are_big_buttons_on_one_page(qtbot):
    _window, choices = _choices(qtbot, (1366, 768), 380)
    choices.set_choices((("Nam", "Nam"), ("Nữ", "Nữ")))
    assert choices.page_count() == 1 and choices.pager == []
    assert all(b.height() >= theme.BUTTON_HEIGHT for b in choices.buttons.values())


def test_the_answer_given_before_opens_on_its_page_marked(qtbot):
    _window, choices = _choices(qtbot, (1366, 768), 380)
    last = ETHNIC_GROUPS[-1]
    choices.shown = ()
    choices.set_choices(tuple((name, name) for name in ETHNIC_GROUPS), picked=last)
    assert choices.page == choices.page_count() - 1
    assert choices.buttons[last].property("primary") == "true"
    chosen: list[str] = []
    choices.chosen.connect(chosen.append)
    tap(qtbot, choices.buttons[last])
    assert chosen == [last]


def test_pages_follow_the_room_once_it_settles_keeping_the_answers_in_view(qtbot):
    _window, choices = _choices(qtbot, (1366, 768), 200)  # a short room first: small pages
    tap(qtbot, choices.pager[-1])
    tap(qtbot, choices.pager[-1])
    first = next(iter(choices.buttons))
    choices.setFixedHeight(380)  # the layout gives more room: larger pages
    qtbot.waitUntil(lambda: choices.rows_fit() == 4 and choices._laid_out_for[0] == 4)
    assert first in choices.buttons  # the answer shown first is still on screen
