"""Full screen that really fills the screen (docs/ui.md §6).

`showFullScreen()` asks the window manager; in a bare X session (no window manager, a common
kiosk set-up) nobody answers and the window stays at its own size in the top-left corner. So the
window is also given the screen's geometry itself, and follows it: a new resolution, or the
window moved to another (primary) screen, fills that screen again, with sizes rescaled when the
new screen calls for another scale.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from ui import theme


class FullScreen(QObject):
    """Keeps `window` covering its screen."""

    def __init__(self, window: QWidget, on_rescale: object = None) -> None:
        super().__init__(window)
        self.window = window
        self.on_rescale = on_rescale  # callable(): rebuild what was sized for the old scale
        self.screen: QScreen | None = None
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.primaryScreenChanged.connect(self.follow)
        self.follow(window.screen() or app.primaryScreen())

    def follow(self, screen: QScreen | None) -> None:
        if screen is None:
            return
        if self.screen is not None:
            self.screen.geometryChanged.disconnect(self.fill)
        self.screen = screen
        screen.geometryChanged.connect(self.fill)
        self.fill(screen.geometry())

    def fill(self, geometry: QRect) -> None:
        scale = theme.scale_for(geometry.width(), geometry.height())
        if scale != theme.SCALE:
            theme.set_scale(scale)
            if callable(self.on_rescale):
                self.on_rescale()
        if self.window.windowHandle() is not None and self.screen is not None:
            self.window.windowHandle().setScreen(self.screen)
        self.window.setGeometry(geometry)
        self.window.showFullScreen()


def rebuild_screens(window: QWidget) -> None:
    """The kiosk window after a change of scale: its style sheet and citizen screens are built
    again at the new sizes, and the current step shown anew (its state comes from the journey)."""
    from ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.setStyleSheet(theme.stylesheet())
    current = window.engine.state
    for screen in list(window.screens.values()):
        window.stack.removeWidget(screen)
        screen.deleteLater()
    window.screens.clear()
    window.shown = None
    window.show_step(current)
