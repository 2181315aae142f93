from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui.lockdown import KioskLockdown

Key, Mod = Qt.Key, Qt.KeyboardModifier


class RecordingWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        self.keys.append(event.key())


@pytest.fixture
def locked(qtbot: Any, qapp: QApplication) -> Any:
    window = RecordingWindow()
    qtbot.addWidget(window)
    lockdown = KioskLockdown(window, keep_fullscreen=False)
    qapp.installEventFilter(lockdown)
    yield window, lockdown
    qapp.removeEventFilter(lockdown)


def _press(window: QWidget, key: Key, modifiers: Mod = Mod.NoModifier) -> None:
    QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Key.Key_F4, Mod.AltModifier),
        (Key.Key_Tab, Mod.AltModifier),
        (Key.Key_Escape, Mod.ControlModifier),
        (Key.Key_W, Mod.ControlModifier),
        (Key.Key_Q, Mod.ControlModifier),
        (Key.Key_Meta, Mod.NoModifier),
        (Key.Key_D, Mod.MetaModifier),
        (Key.Key_F11, Mod.NoModifier),
        (Key.Key_Space, Mod.AltModifier),
    ],
)
def test_shortcuts_that_leave_the_app_are_swallowed(locked: Any, key: Key, modifiers: Mod) -> None:
    window, lockdown = locked
    _press(window, key, modifiers)
    assert window.keys == [] and lockdown.swallowed == 1


@pytest.mark.parametrize("key", [Key.Key_A, Key.Key_5, Key.Key_Backspace, Key.Key_Return])
def test_ordinary_typing_still_reaches_the_app(locked: Any, key: Key) -> None:
    window, lockdown = locked
    _press(window, key)
    assert window.keys == [key] and lockdown.swallowed == 0


def test_window_refuses_to_close_until_exit_is_allowed(locked: Any) -> None:
    window, lockdown = locked
    window.show()
    window.close()
    assert window.isVisible()
    lockdown.allow_exit()
    window.close()
    assert not window.isVisible()
