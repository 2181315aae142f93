"""The kiosk window: shows the screen of the engine's current step, speaks it, watches for idle
time and the staff gesture, and reports the card reader's readings to the engine. Nothing here
decides where the journey goes."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk import texts
from kiosk.config import KioskConfig
from kiosk.domain.model import NotBuilt
from kiosk.journey.engine import HelpShown, JourneyEngine, Transition
from kiosk.journey.events import (
    Cancelled,
    Event,
    Finished,
    FinishRequested,
    HelpAnswered,
    HelpRequested,
    IdleTimeout,
    StaffArrived,
    StaffHandback,
    StaffLeft,
    StaffOverride,
    StaffTakeover,
)
from kiosk.journey.steps import StepId
from kiosk.journey.table import OVERRIDABLE
from kiosk.journey.texts import button, phrase
from kiosk.journey.view import StepView, view_for
from ui import theme
from ui.runner import QtRunner, freeze_start_up_objects
from ui.screens.base import Screen, ScreenOptions
from ui.screens.registry import SCREENS
from ui.staff_panel import (
    CornerTaps,
    PanelState,
    PinPad,
    StaffAuthenticator,
    StaffDesk,
    StaffPanel,
)
from ui.voice import Voice
from ui.voice_prompts import spoken_text
from ui.widgets import BigButton, label

log = logging.getLogger(__name__)

GOODBYE_AFTER_MS = 10_000
CHIME = theme.ASSETS / "sounds" / "help_chime.wav"  # our own tone (assets/sounds/README.md)
HELP_EVENTS = (HelpRequested, HelpAnswered, StaffArrived, StaffLeft)
CARD_POLL_MS = 1000
PREBUILD_EVERY_MS = 200  # while the welcome screen waits, build one more screen this often
# The permission (kiosk.records.staff.Permission) each staff panel event needs.
STAFF_EVENT_PERMISSIONS: dict[type[Event], str] = {
    StaffTakeover: "take_over",
    StaffHandback: "take_over",
    Cancelled: "take_over",  # the panel's "restart": wipes the citizen's session
    StaffOverride: "override",
}


class Question(QWidget):
    """One question over the current screen, its two answers side by side: the one that goes on
    at the right (primary), "Kết thúc" at the left."""

    def __init__(
        self, parent: QWidget, question: str, go_on: tuple[str, str], language: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.language = language
        self.column = column = QVBoxLayout(self)
        column.setContentsMargins(
            theme.MARGIN * 2, theme.MARGIN * 2, theme.MARGIN * 2, theme.MARGIN
        )
        column.setSpacing(32)
        column.addStretch(1)
        self.question = label(question, theme.TITLE_PX, QFont.Weight.Bold)
        column.addWidget(self.question)
        self.middle = QVBoxLayout()
        column.addLayout(self.middle)
        answers = QHBoxLayout()
        answers.setSpacing(theme.BUTTON_GAP)
        self.finish = BigButton(button("exit.finish", language), "cross")
        self.go_on = BigButton(button(go_on[0], language), go_on[1], primary=True)
        for answer in (self.finish, self.go_on):
            answer.setMinimumHeight(theme.BUTTON_HEIGHT + 40)
            answers.addWidget(answer, 1)
        column.addLayout(answers)
        column.addStretch(1)
        self.hide()


class IdleOverlay(Question):
    """ "Bác cần thêm thời gian không?" with a countdown: "Thêm thời gian" or "Kết thúc"."""

    def __init__(self, parent: QWidget, question: str, language: str) -> None:
        super().__init__(parent, question, ("more_time", "clock"), language)
        self.more_time = self.go_on
        self.countdown = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold)
        self.countdown.setAccessibleName("countdown")
        self.middle.addWidget(self.countdown)

    def set_seconds(self, seconds: int) -> None:
        unit = texts.get("ui.seconds", self.language)
        self.countdown.setText(f"{max(seconds, 0)} {unit}")


class FinishQuestion(Question):
    """ "Bác muốn kết thúc? Thông tin sẽ được xoá.": the one confirmation before the wipe."""

    def __init__(self, parent: QWidget, question: str, language: str) -> None:
        super().__init__(parent, question, ("exit.go_on", "back"), language)


class Chime:
    """A short tone when a call for staff is stored: heard by the counter, and by the citizen
    as a sign that something happened. Silent without an audio device."""

    def __init__(self, audio: bool, path: Path = CHIME) -> None:
        self.played = 0
        self.effect: Any = None
        if audio and path.is_file():
            try:
                from PySide6.QtCore import QUrl
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError:
                return
            self.effect = QSoundEffect()
            self.effect.setSource(QUrl.fromLocalFile(str(path)))

    def play(self) -> None:
        self.played += 1
        if self.effect is not None:
            self.effect.play()


class _CardSignals(QObject):
    present = Signal(int, bool)  # engine generation, card on the reader


class _CardPoll(QRunnable):
    def __init__(self, window: MainWindow, generation: int) -> None:
        super().__init__()
        self.card = window.engine.services.card
        self.signals = window.card_signals
        self.generation = generation

    def run(self) -> None:
        try:
            present = bool(self.card.card_present())
        except NotBuilt:
            return
        except Exception:
            log.exception("card presence check failed")
            return
        self.signals.present.emit(self.generation, present)


class MainWindow(QWidget):
    exit_requested = Signal()  # a supervisor asked to close the kiosk (ui.app lets it through)
    posted = Signal(object)  # an event from another thread (the help desk), run on this one

    def __init__(
        self,
        engine: JourneyEngine,
        config: KioskConfig,
        language: str = "vi",
        voice: Voice | None = None,
        staff: StaffAuthenticator | None = None,
        watch_card: bool = True,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.config = config
        self.language = language
        self.form = config.ui.address_form
        self.setWindowTitle("Một Cửa Kiosk")
        self.setStyleSheet(theme.stylesheet())
        self.setAccessibleName("Một Cửa Kiosk")
        self.options = ScreenOptions(
            animations=config.ui.animations,
            form=self.form,
            preview=None,  # the runtime's camera feed, handed over in runtime_ready
        )
        # Silent until the kiosk gives it a real voice (the audio stack loads after start-up).
        self.voice = voice or Voice(audio=False, live_tts=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.screens: dict[StepId, Screen] = {}
        self.ready = engine.services is not None
        self.waiting: list[Event] = []
        self.shown: StepId | None = None
        self.view: StepView | None = None
        self.said = ""  # the last text given to the voice (to say changes only)
        self.shown_at = self.spoken_at = 0.0  # perf_counter of the last screen change / speech
        self.runner = QtRunner(engine)
        self.runner.progressed.connect(lambda *_: self.refresh())
        engine.add_listener(self._on_transition)
        self.posted.connect(self.engine.dispatch)
        self.chime = Chime(audio=self.voice.player is not None)
        self.chimed_for = 0
        # "Kết thúc": asked once
        self.finish_question = FinishQuestion(
            self, phrase("finish.question", language, self.form), language
        )
        self.finish_question.go_on.clicked.connect(self._keep_going)
        self.finish_question.finish.clicked.connect(self._finish)
        # idle
        self.idle = IdleOverlay(self, phrase("more_time", language, self.form), language)
        self.idle.more_time.clicked.connect(self.reset_idle)
        self.idle.finish.clicked.connect(self._finish)
        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.timeout.connect(self._idle_warning)
        self.countdown_timer = QTimer(self, interval=1000)
        self.countdown_timer.timeout.connect(self._tick)
        self.countdown_left = 0
        self.goodbye_timer = QTimer(self, singleShot=True)
        self.goodbye_timer.timeout.connect(lambda: self.dispatch(Finished()))
        # the card reader, asked while the engine watches the card
        self.card_signals = _CardSignals()
        self.card_signals.present.connect(self._card_presence)
        self.card_poll_busy = False
        self.card_timer = QTimer(self, interval=CARD_POLL_MS)
        self.card_timer.timeout.connect(self._poll_card)
        if watch_card:
            self.card_timer.start()
        # staff
        self.corner = CornerTaps(taps=config.ui.staff_pin_taps)
        self.pin_pad = PinPad(staff)
        self.pin_pad.setParent(self)
        self.pin_pad.hide()
        self.pin_pad.accepted.connect(self._staff_in)
        self.pin_pad.closed.connect(self.pin_pad.hide)
        self.staff_panel = StaffPanel()
        self.staff_panel.setParent(self)
        self.staff_panel.hide()
        self.staff_panel.journey_event.connect(self._staff_event)
        self.staff_panel.exit_kiosk.connect(self._exit_kiosk)
        self.staff_panel.mute.connect(self._set_muted)
        self.staff_panel.volume.connect(self._set_volume)
        self.staff_panel.closed.connect(self._staff_out)
        # help requests (the engine's help desk) and reprints, each permitted in the core
        self.staff_desk = StaffDesk(
            self.staff_panel,
            may=self._staff_may,
            printer=lambda: getattr(self.engine.services, "printer", None),
            changed=self._update_staff_panel,
            help_desk=lambda: self.engine.help_desk,
        )
        # The other screens are built while the welcome screen waits, one at a time: a first
        # show then costs what a later one does.
        self.prebuild_timer = QTimer(self, interval=PREBUILD_EVERY_MS)
        self.prebuild_timer.timeout.connect(self._prebuild_next)
        self.served_anyone = False  # a session has started since power-on
        self.show_step(engine.state)
        if self.ready:
            self.prebuild_timer.start()

    # --- screens -----------------------------------------------------------------------------

    def screen_for(self, step: StepId) -> Screen:
        if step not in self.screens:  # built on first use: a fast start to the welcome screen
            screen = SCREENS[step](self.language, self.options)
            screen.intent.connect(self.dispatch)
            screen.call_staff.connect(self.call_staff)
            screen.finish_asked.connect(self.ask_finish)
            screen.replay.connect(lambda: self.voice.replay())
            screen.pressed.connect(lambda: self.voice.stop())
            self.screens[step] = screen
            self.stack.addWidget(screen)
        return self.screens[step]

    def _prebuild_next(self) -> None:
        if self.engine.state is not StepId.WELCOME or self.runner.busy is not None:
            return  # a citizen is being served: build nothing behind their back
        missing = [step for step in SCREENS if step not in self.screens]
        if not missing:
            self.prebuild_timer.stop()
            if not self.served_anyone:
                freeze_start_up_objects()  # the screens are built: the kiosk is loaded
            return
        self.screen_for(missing[0])

    def _view(self, step: StepId) -> StepView:
        return view_for(step, self.engine.ctx, self.language, self.form)

    def show_step(self, step: StepId) -> None:
        started = time.perf_counter()
        if self.shown is not None and self.shown is not step:
            self.screens[self.shown].leave()
        screen = self.screen_for(step)
        self.view = self._view(step)
        screen.show_view(self.view)
        self._frame_state(screen)
        self.stack.setCurrentWidget(screen)
        self.shown = step
        self.shown_at = started
        self.served_anyone = self.served_anyone or step is not StepId.WELCOME
        self.finish_question.hide()
        self._say(spoken_text(self.view))
        self.reset_idle()
        self.goodbye_timer.stop()
        if step is StepId.GOODBYE:
            self.goodbye_timer.start(GOODBYE_AFTER_MS)
        self._update_staff_panel()
        self.runner.kick()

    def refresh(self) -> None:
        step = self.engine.state
        old = self.view
        self.view = self._view(step)
        self.screens[step].show_view(self.view)
        self._frame_state(self.screens[step])
        if spoken_text(self.view) != (spoken_text(old) if old else ""):
            self._say(spoken_text(self.view))  # the form's next field, a result's values
        elif self.view.guidance and (old is None or self.view.guidance != old.guidance):
            self._say(self.view.guidance)  # the camera asks something new
        self._update_staff_panel()

    def _say(self, text: str) -> None:
        self.said = text
        self.voice.say(text)
        self.spoken_at = time.perf_counter()

    def current_screen(self) -> Screen:
        return self.screens[self.engine.state]

    def dispatch(self, event: Event) -> bool:
        self.voice.stop()  # never talk over the citizen's own action
        if not self.ready:  # a tap in the first second after power-on waits for the runtime
            self.waiting.append(event)
            self.setCursor(Qt.CursorShape.BusyCursor)
            return True
        return self.engine.dispatch(event)

    def post_event(self, event: Event) -> None:
        """Any thread: the event is dispatched on the window's thread (help desk changes)."""
        self.posted.emit(event)

    def runtime_ready(
        self,
        staff: StaffAuthenticator | None = None,
        voice: Voice | None = None,
        preview: Any = None,
    ) -> None:
        """The services are up: take their preview feed, staff directory and voice, then run
        what the citizen tapped meanwhile."""
        self.ready = True
        self.unsetCursor()
        if preview is not None:
            self.options.preview = preview
        if staff is not None:
            self.pin_pad.set_directory(staff)
        if voice is not None:
            self.voice.stop()
            self.voice = voice
        if not self.served_anyone:
            freeze_start_up_objects()
        self.prebuild_timer.start()
        waiting, self.waiting = self.waiting, []
        for event in waiting:
            self.engine.dispatch(event)

    def runtime_warmed(self) -> None:
        """The runtime has loaded what the first steps need (kiosk.services.warm_up)."""
        if not self.served_anyone:
            freeze_start_up_objects()

    def runtime_failed(self, error: Exception) -> None:
        log.error("the kiosk could not start its services: %s", error)
        screen = self.current_screen()
        screen.title.setText(texts.get("ui.maintenance", self.language, self.form))
        screen.header.progress.setText(texts.get("staff.startup_error", error=type(error).__name__))
        # Out of service: nothing on the screen may look tappable (a tap would wait for ever).
        for part in (screen.pages, screen.bottom_host, screen.header.replay_button):
            part.hide()
        screen.header.staff_button.hide()  # no store to raise a request in: the title says so

    def _on_transition(self, transition: Transition, ctx: object) -> None:
        if transition.new is transition.old:
            self.refresh()
            self.runner.kick()
        else:
            self.show_step(transition.new)
        if isinstance(transition.event, HELP_EVENTS):
            self._announce_help(transition.event)

    # --- help and the way out (docs/ui.md §12) -------------------------------------------------

    def call_staff(self) -> None:
        """ "Gọi cán bộ": the journey stores the request; the frame then says where it stands."""
        self.dispatch(HelpRequested())

    def help_text(self) -> str:
        """What the frame says about the call for staff ("" when there is none)."""
        key = {
            HelpShown.WAITING: "staff_called",
            HelpShown.COMING: "help.coming",
            HelpShown.NOT_REACHED: "help.not_reached",
        }.get(self.engine.help_shown)
        return phrase(key, self.language, self.form) if key else ""

    def _announce_help(self, event: Event) -> None:
        """Say a new state of the call (and chime when it was stored); a call repeated is
        answered with the state again."""
        text = self.help_text()
        if not text:
            return
        if self.engine.help_raised != self.chimed_for:  # a request newly stored
            self.chimed_for = self.engine.help_raised
            self.chime.play()
        self._say(text)
        log.info("help at %s: %s", self.engine.state.value, self.engine.help_shown.value)

    def _frame_state(self, screen: Screen) -> None:
        """What the frame shows beside the step: the call for staff, and whether "Kết thúc"
        can be taken here."""
        screen.set_help_notice(self.help_text())
        screen.set_can_finish(self.engine.accepts(FinishRequested))

    def ask_finish(self) -> None:
        self.finish_question.setGeometry(self.rect())
        self.finish_question.show()
        self.finish_question.raise_()
        self._say(self.finish_question.question.text())

    def _keep_going(self) -> None:
        self.finish_question.hide()
        self._say(self.view.say if self.view else "")

    def _finish(self) -> None:
        """Confirmed (or chosen at the idle question): wipe now, then goodbye."""
        self.finish_question.hide()
        self.countdown_timer.stop()
        self.idle.hide()
        if not self.dispatch(FinishRequested()):
            self._say(self.view.say if self.view else "")  # the kiosk is finishing a step

    # --- idle --------------------------------------------------------------------------------

    def reset_idle(self) -> None:
        was_asking = self.idle.isVisible()
        self.countdown_timer.stop()
        self.idle.hide()
        if self.engine.state is StepId.WELCOME:
            self.idle_timer.stop()
        else:
            self.idle_timer.start(int(self.config.ui.idle_timeout_s * 1000))
        if was_asking:
            self._say(self.view.say if self.view else "")

    def _idle_warning(self) -> None:
        busy = self.runner.busy is not None
        if busy or self.staff_panel.isVisible() or self.engine.ctx.staff:
            # the kiosk is working (or an officer is here), not the citizen idle
            self.idle_timer.start(int(self.config.ui.idle_timeout_s * 1000))
            return
        self.countdown_left = self.config.ui.idle_countdown_s
        self.idle.finish.setVisible(self.engine.accepts(FinishRequested))
        self.idle.setGeometry(self.rect())
        self.idle.set_seconds(self.countdown_left)
        self.idle.show()
        self.idle.raise_()
        self._say(self.idle.question.text())
        self.countdown_timer.start()

    def _tick(self) -> None:
        self.countdown_left -= 1
        self.idle.set_seconds(self.countdown_left)
        if self.countdown_left <= 0:
            self.countdown_timer.stop()
            self.idle.hide()
            self.dispatch(IdleTimeout())

    # --- the card ----------------------------------------------------------------------------

    def _poll_card(self) -> None:
        if not self.engine.watches_card or self.engine.services is None or self.card_poll_busy:
            return
        if self.runner.busy is not None:  # the step's own work may be using the reader
            return
        self.card_poll_busy = True
        QThreadPool.globalInstance().start(_CardPoll(self, self.engine.generation))

    def _card_presence(self, generation: int, present: bool) -> None:
        self.card_poll_busy = False
        if self.ready:
            self.engine.card_reading(present, generation)

    # --- staff -------------------------------------------------------------------------------

    def corner_tap(self, x: int, y: int) -> None:
        if self.corner.tap(x, y):
            self.open_pin_pad()

    def open_pin_pad(self) -> None:
        self.pin_pad.start()
        self.pin_pad.setGeometry(self.rect())
        self.pin_pad.show()
        self.pin_pad.raise_()

    def _staff_in(self, account: Any) -> None:
        self.pin_pad.hide()
        self.staff_panel.preview_feed = self.options.preview
        # An officer at the kiosk answers the open call for staff (if any).
        self.engine.dispatch(StaffArrived(str(getattr(account, "username", ""))))
        self.staff_panel.open_for(account, self.panel_state())
        self.staff_panel.setGeometry(self.rect())
        self.staff_panel.show()
        self.staff_panel.raise_()
        self.idle.hide()
        self.countdown_timer.stop()

    def panel_state(self) -> PanelState:
        from kiosk.journey.staff_view import staff_situation

        ctx = self.engine.ctx
        failed = StepId(ctx.failed_step) if ctx.failed_step else None
        situation = staff_situation(ctx, self.engine.state, self.form)  # Vietnamese, numbered
        return self.staff_desk.with_lists(
            PanelState(
                step=situation.step,
                title=situation.title,
                staff_text=situation.problem,
                taken_over=ctx.staff is not None,
                can_override=self.engine.state is StepId.STAFF_HELP and failed in OVERRIDABLE,
                muted=self.voice.muted,
                volume=self.voice.volume,
                devices=self.device_status(),
                chip_photo=situation.chip_photo,
            )
        )

    def device_status(self) -> list[tuple[str, str]]:
        """Which services are real and which are stand-ins (not built yet)."""
        services = self.engine.services
        if services is None:
            return [(texts.get("staff.device_starting"), texts.get("staff.device_starting_status"))]
        return [
            (
                texts.get(f"staff.device_{key}"),
                texts.get("staff.device_missing")
                if type(getattr(services, key)).__name__.startswith("Unavailable")
                else texts.get("staff.device_ready"),
            )
            for key in ("card", "qr", "face", "printer", "payments")
        ]

    def _staff_out(self) -> None:
        self.staff_panel.hide()
        self.engine.dispatch(StaffLeft())  # the help they brought is done

    def _update_staff_panel(self) -> None:
        if self.staff_panel.isVisible():
            self.staff_panel.show_state(self.panel_state())

    def _staff_event(self, event: Event) -> None:
        permission = STAFF_EVENT_PERMISSIONS.get(type(event))
        if permission is None or not self._staff_may(permission):
            return
        if not self.engine.dispatch(event):
            log.info("staff action %s not taken at %s", event.kind, self.engine.state.value)
        self._update_staff_panel()

    def _exit_kiosk(self) -> None:
        """A supervisor closes the kiosk: checked in the core and audited, then let through."""
        if self._staff_may("exit_kiosk", audit_as="kiosk_exit"):
            self.exit_requested.emit()

    def _staff_may(self, permission: str, audit_as: str | None = None) -> bool:
        """The staff directory's verdict on the logged-in account (refusals are audited there
        and said on the panel); no directory or no account means no."""
        from kiosk.records.staff import Permission

        directory, account = self.pin_pad.directory, self.staff_panel.account
        try:
            if directory is None or account is None:
                raise PermissionError("no staff account is logged in")
            if audit_as is None:
                directory.require(account, Permission(permission))
            else:
                directory.perform(account, Permission(permission), audit_as)
        except Exception as exc:
            log.warning("staff action %s refused: %s", permission, type(exc).__name__)
            self.staff_panel.refuse(texts.get("staff.not_permitted"))
            return False
        return True

    def _set_muted(self, muted: bool) -> None:
        self.voice.set_muted(muted)
        self._update_staff_panel()

    def _set_volume(self, volume: float) -> None:
        self.voice.set_volume(volume)
        self._update_staff_panel()

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        for overlay in (self.idle, self.finish_question, self.pin_pad, self.staff_panel):
            overlay.setGeometry(self.rect())
        super().resizeEvent(event)  # type: ignore[arg-type]


class ActivityFilter(QObject):
    """Any touch, click or key press counts as the citizen being there; presses in the top-left
    corner also feed the staff gesture."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._last_press: tuple[int, int] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
        ):
            return False
        if not self.window.idle.isVisible():
            self.window.reset_idle()
        if isinstance(event, QMouseEvent) and isinstance(watched, QWidget):
            # A press that a child ignores goes on to its parent: count it once.
            stamp = (event.timestamp(), id(event))
            if watched.window() is self.window and stamp != self._last_press:
                self._last_press = stamp
                point = self.window.mapFromGlobal(event.globalPosition().toPoint())
                self.window.corner_tap(point.x(), point.y())
        return False
