"""Kiosk lockdown, Qt side: keys that would leave or rearrange the app are swallowed, the window
refuses to close or leave full screen until a supervisor allows it.

Install once, after the main window exists:

    lockdown = KioskLockdown(window)
    app.installEventFilter(lockdown)
    ...                       # supervisor chose "exit kiosk" in the staff panel:
    lockdown.allow_exit(); window.close()

What Qt cannot stop is the operating system's own combinations (Ctrl+Alt+Del, Ctrl+Alt+F1…F12
virtual terminals, the Windows key on some systems): those are closed in the kiosk PC's setup
(a kiosk session without a desktop, `DontVTSwitch`, Windows Assigned Access / Shell Launcher).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

Mod = Qt.KeyboardModifier
Key = Qt.Key

# Keys swallowed whatever the modifiers: switching tasks, menus, full screen, help, closing.
ALWAYS = {
    Key.Key_Meta,
    Key.Key_Super_L,
    Key.Key_Super_R,
    Key.Key_Menu,
    Key.Key_F1,
    Key.Key_F11,
    Key.Key_Launch0,
    Key.Key_Launch1,
    Key.Key_Print,
    Key.Key_SysReq,
    Key.Key_Close,
    Key.Key_Sleep,
    Key.Key_PowerOff,
    Key.Key_Suspend,
    Key.Key_Hibernate,
}
# With Ctrl: close tab/window, quit, print, new window, task switching.
WITH_CTRL = {
    Key.Key_W,
    Key.Key_Q,
    Key.Key_P,
    Key.Key_N,
    Key.Key_T,
    Key.Key_Tab,
    Key.Key_Escape,
    Key.Key_F4,
    Key.Key_Backtab,
}


def is_escape_key(event: QKeyEvent) -> bool:
    """True for key presses a citizen or passer-by could use to leave or disturb the kiosk."""
    key = Key(event.key())
    modifiers = event.modifiers()
    if key in ALWAYS:
        return True
    if modifiers & (Mod.AltModifier | Mod.MetaModifier):
        return True  # Alt+F4, Alt+Tab, Alt+Esc, Alt+Space (window menu), Super+anything
    return bool(modifiers & Mod.ControlModifier) and key in WITH_CTRL


class KioskLockdown(QObject):
    """Application-wide event filter: swallows escape keys; keeps `window` open and full screen."""

    def __init__(self, window: QWidget, keep_fullscreen: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.keep_fullscreen = keep_fullscreen
        self.swallowed = 0  # how many key presses were swallowed (staff panel shows it)
        self._exit_allowed = False

    def allow_exit(self) -> None:
        """A supervisor chose to exit: let the next close through."""
        self._exit_allowed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if is_escape_key(event):
                if kind == QEvent.Type.KeyPress:
                    self.swallowed += 1
                event.accept()
                return True
            return False
        if watched is self.window:
            if kind == QEvent.Type.Close and not self._exit_allowed:
                event.ignore()
                return True
            if (
                kind == QEvent.Type.WindowStateChange
                and self.keep_fullscreen
                and not self._exit_allowed
                and not self.window.isFullScreen()
            ):
                QTimer.singleShot(0, self.window.showFullScreen)
        return False
