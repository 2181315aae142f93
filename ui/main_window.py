"""The kiosk window: shows the screen of the engine's current step, nothing else decides."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import KioskConfig
from kiosk.errors import address
from kiosk.journey.engine import JourneyEngine, Transition
from kiosk.journey.events import Event, EventType
from kiosk.journey.steps import StepId
from kiosk.journey.texts import button
from kiosk.journey.view import view_for
from ui import theme
from ui.runner import QtRunner
from ui.screens.base import Screen
from ui.screens.citizen import SCREENS
from ui.widgets import BigButton, label

log = logging.getLogger(__name__)

GOODBYE_AFTER_MS = 10_000


class IdleOverlay(QWidget):
    """ "Bác cần thêm thời gian không?" with a countdown, over the current screen."""

    def __init__(self, parent: QWidget, config: KioskConfig, language: str) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(self)
        column.setContentsMargins(
            theme.MARGIN * 2, theme.MARGIN * 2, theme.MARGIN * 2, theme.MARGIN
        )
        question = (
            "{You} cần thêm thời gian không?" if language == "vi" else "Do you need more time?"
        )
        column.addStretch(1)
        column.addWidget(
            label(address(question, config.ui.address_form), theme.TITLE_PX, QFont.Weight.Bold)
        )
        self.countdown = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold)
        column.addWidget(self.countdown)
        self.more_time = BigButton(button("more_time", language), "clock", primary=True)
        self.more_time.setMinimumHeight(theme.BUTTON_HEIGHT + 40)
        column.addWidget(self.more_time)
        column.addStretch(1)
        self.hide()


class MainWindow(QWidget):
    def __init__(self, engine: JourneyEngine, config: KioskConfig, language: str = "vi") -> None:
        super().__init__()
        self.engine = engine
        self.config = config
        self.language = language
        self.setWindowTitle("Một Cửa Kiosk")
        self.setStyleSheet(theme.stylesheet())
        self.setAccessibleName("Một Cửa Kiosk")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.screens: dict[StepId, Screen] = {}
        self.ready = engine.services is not None
        self.waiting: list[Event] = []
        self.runner = QtRunner(engine)
        self.runner.progressed.connect(lambda *_: self.refresh())
        engine.add_listener(self._on_transition)
        self.idle = IdleOverlay(self, config, language)
        self.idle.more_time.clicked.connect(self.reset_idle)
        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.timeout.connect(self._idle_warning)
        self.countdown_timer = QTimer(self, interval=1000)
        self.countdown_timer.timeout.connect(self._tick)
        self.countdown_left = 0
        self.goodbye_timer = QTimer(self, singleShot=True)
        self.goodbye_timer.timeout.connect(lambda: self.dispatch(Event(EventType.FINISHED)))
        self.show_step(engine.state)

    # --- screens -----------------------------------------------------------------------------

    def screen_for(self, step: StepId) -> Screen:
        if step not in self.screens:  # built on first use: a fast start to the welcome screen
            screen = SCREENS[step](self.language)
            screen.intent.connect(self.dispatch)
            screen.call_staff.connect(self.call_staff)
            self.screens[step] = screen
            self.stack.addWidget(screen)
        return self.screens[step]

    def show_step(self, step: StepId) -> None:
        screen = self.screen_for(step)
        screen.show_view(
            view_for(step, self.engine.ctx, self.language, self.config.ui.address_form)
        )
        self.stack.setCurrentWidget(screen)
        self.reset_idle()
        self.goodbye_timer.stop()
        if step is StepId.GOODBYE:
            self.goodbye_timer.start(GOODBYE_AFTER_MS)
        self.runner.kick()

    def refresh(self) -> None:
        step = self.engine.state
        self.screens[step].show_view(
            view_for(step, self.engine.ctx, self.language, self.config.ui.address_form)
        )

    def current_screen(self) -> Screen:
        return self.screens[self.engine.state]

    def dispatch(self, event: Event) -> None:
        if not self.ready:  # a tap in the first second after power-on waits for the runtime
            self.waiting.append(event)
            self.setCursor(Qt.CursorShape.BusyCursor)
            return
        self.engine.dispatch(event)

    def runtime_ready(self) -> None:
        self.ready = True
        self.unsetCursor()
        waiting, self.waiting = self.waiting, []
        for event in waiting:
            self.engine.dispatch(event)

    def runtime_failed(self, error: Exception) -> None:
        log.error("the kiosk could not start its services: %s", error)
        screen = self.current_screen()
        screen.title.setText("Máy đang bảo trì. Bác vui lòng đến quầy cán bộ.")
        screen.header.progress.setText(f"Lỗi khởi động: {type(error).__name__}")

    def _on_transition(self, transition: Transition, ctx: object) -> None:
        if transition.new is transition.old:
            self.refresh()
            self.runner.kick()
        else:
            self.show_step(transition.new)

    def call_staff(self) -> None:
        screen = self.current_screen()
        screen.header.progress.setText(
            "Đã báo cán bộ, Bác chờ một chút."
            if self.language == "vi"
            else "Staff have been called."
        )
        log.info("citizen called staff at step %s", self.engine.state.value)

    # --- idle --------------------------------------------------------------------------------

    def reset_idle(self) -> None:
        self.countdown_timer.stop()
        self.idle.hide()
        if self.engine.state is StepId.WELCOME:
            self.idle_timer.stop()
        else:
            self.idle_timer.start(self.config.ui.idle_timeout_s * 1000)

    def _idle_warning(self) -> None:
        if self.engine.pending_work() is not None:  # the kiosk is working, not the citizen idle
            self.idle_timer.start(self.config.ui.idle_timeout_s * 1000)
            return
        self.countdown_left = self.config.ui.idle_countdown_s
        self.idle.setGeometry(self.rect())
        self.idle.countdown.setText(str(self.countdown_left))
        self.idle.show()
        self.idle.raise_()
        self.countdown_timer.start()

    def _tick(self) -> None:
        self.countdown_left -= 1
        self.idle.countdown.setText(str(max(self.countdown_left, 0)))
        if self.countdown_left <= 0:
            self.countdown_timer.stop()
            self.idle.hide()
            self.dispatch(Event(EventType.IDLE_TIMEOUT))

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        self.idle.setGeometry(self.rect())
        super().resizeEvent(event)  # type: ignore[arg-type]


class ActivityFilter(QObject):
    """Any touch, click or key press counts as the citizen being there."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type()
            in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)
            and not self.window.idle.isVisible()
        ):
            self.window.reset_idle()
        return False
