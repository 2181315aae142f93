"""Staff assistance: a hidden corner gesture opens a PIN pad; a checked PIN opens the staff
panel (take over / hand back, override a failed face check with a reason, restart the session,
device status, voice). The panel emits journey events; the engine decides and audits.

The PIN is checked by `kiosk.records.staff.StaffDirectory.authenticate` (given to the window by the
runtime), on the thread pool: scrypt takes ~0.1 s per account and the screen must not freeze.
Without a directory the pad says so and never opens the panel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk import texts
from kiosk.journey.events import Cancelled, StaffHandback, StaffOverride, StaffTakeover
from ui import theme
from ui.widgets import label

log = logging.getLogger(__name__)

STAFF_BUTTON_HEIGHT = 64
# Reasons an officer may give for passing a citizen whose face check failed (plus free text).
OVERRIDE_REASONS = tuple(texts.get(f"staff.override_reason_{n}") for n in range(1, 5))


class StaffAuthenticator(Protocol):
    def authenticate(self, username: str | None, pin: str) -> Any:
        """A staff account (with `.username`, `.may(permission)`), or raises a staff error."""

    def require(self, user: Any, permission: Any) -> None:
        """Raises a staff error unless `user` may do `permission` now (refusals audited)."""

    def perform(self, user: Any, permission: Any, action: str) -> None:
        """`require`, then audits `action` as done by `user`."""


class CornerTaps:
    """N taps in the top-left corner within a few seconds: the hidden way to the PIN pad.
    No citizen gesture (every citizen target is far from the corner and bigger)."""

    def __init__(
        self,
        taps: int = 5,
        within_s: float = 3.0,
        corner_px: int = 120,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.taps, self.within_s, self.corner_px, self.clock = taps, within_s, corner_px, clock
        self._times: list[float] = []

    def tap(self, x: int, y: int) -> bool:
        """Feed one press (window coordinates); True when the gesture is complete."""
        if x > self.corner_px or y > self.corner_px:
            self._times.clear()
            return False
        now = self.clock()
        self._times = [t for t in self._times if now - t <= self.within_s] + [now]
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False


def staff_button(text: str, primary: bool = False) -> QPushButton:
    widget = QPushButton(text)
    widget.setFont(theme.font(theme.STAFF_PX + 4, QFont.Weight.DemiBold))
    widget.setMinimumHeight(STAFF_BUTTON_HEIGHT)
    widget.setProperty("primary", "true" if primary else "false")
    widget.setProperty("key", "true")
    widget.setAccessibleName(text)
    return widget


class _AuthSignals(QObject):
    done = Signal(object, object)  # account or None, error text or None


class _AuthJob(QRunnable):
    def __init__(self, directory: StaffAuthenticator, pin: str, signals: _AuthSignals) -> None:
        super().__init__()
        self.directory, self.pin, self.signals = directory, pin, signals

    def run(self) -> None:
        try:
            account = self.directory.authenticate(None, self.pin)
        except Exception as exc:
            self.signals.done.emit(None, refusal_text(exc))
            return
        self.signals.done.emit(account, None)


def refusal_text(exc: Exception) -> str:
    """The staff-facing line for a refused PIN (typed errors of kiosk.records.staff)."""
    name = type(exc).__name__
    if name == "WrongPin":
        return texts.get("staff.wrong_pin", remaining=getattr(exc, "remaining", "?"))
    if name == "LockedOut" and hasattr(exc, "wait_text"):  # how long is left, in Vietnamese
        from datetime import UTC, datetime

        return str(exc.wait_text(datetime.now(UTC)))
    if name == "Disabled":
        return texts.get("staff.disabled")
    log.error("staff PIN check failed: %s", name)
    return texts.get("staff.pin_check_failed")


class PinPad(QWidget):
    """Staff PIN entry. Opens nothing by itself: `accepted` carries the checked account."""

    accepted = Signal(object)
    closed = Signal()

    def __init__(self, directory: StaffAuthenticator | None) -> None:
        super().__init__()
        self.directory = directory
        self.setObjectName("staff")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._pin = ""
        self.checking = False
        self.signals = _AuthSignals()
        self.signals.done.connect(self._checked)
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 30, 40, 30)
        column.addWidget(label(texts.get("staff.pin_title"), theme.TITLE_PX - 8, QFont.Weight.Bold))
        self.display = label("", theme.TITLE_PX, QFont.Weight.Bold)
        self.display.setAccessibleName(texts.get("staff.pin_entered"))
        column.addWidget(self.display)
        self.message = label("", theme.STAFF_PX + 4, role="error")
        column.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(16)
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            widget = staff_button(key, primary=key == "OK")
            widget.setAccessibleName(
                {"⌫": texts.get("staff.pin_delete"), "OK": texts.get("staff.pin_confirm")}.get(
                    key, key
                )
            )
            widget.setMinimumSize(110, 80)
            widget.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(widget, index // 3, index % 3)
            self.keys[key] = widget
        column.addLayout(grid)
        self.close_button = staff_button(texts.get("staff.close"))
        self.close_button.clicked.connect(self.close_pad)
        column.addWidget(self.close_button)
        column.addStretch(1)
        self.set_directory(directory)

    def set_directory(self, directory: StaffAuthenticator | None) -> None:
        self.directory = directory
        for widget in self.keys.values():
            widget.setEnabled(directory is not None)
        # Visibly unfinished rather than open to any PIN.
        self.message.setText("" if directory is not None else texts.get("staff.no_pin_check"))

    def start(self) -> None:
        self._pin = ""
        self.set_directory(self.directory)
        self._show()

    def press(self, key: str) -> None:
        if self.checking or self.directory is None:
            return
        if key == "⌫":
            self._pin = self._pin[:-1]
        elif key == "OK":
            if self._pin:
                self.checking = True
                self.message.setText(texts.get("staff.checking"))
                QThreadPool.globalInstance().start(
                    _AuthJob(self.directory, self._pin, self.signals)
                )
            self._pin = ""
        elif len(self._pin) < 12:
            self._pin += key
        self._show()

    def type_pin(self, pin: str) -> None:
        for key in pin:
            self.press(key)
        self.press("OK")

    def _checked(self, account: object, error: str | None) -> None:
        self.checking = False
        if account is None:
            self.message.setText(error or "")
            return
        self.message.setText("")
        self.accepted.emit(account)

    def close_pad(self) -> None:
        self._pin = ""
        self.closed.emit()

    def _show(self) -> None:
        self.display.setText("●" * len(self._pin) or "_")


@dataclass
class PanelState:
    """What the officer sees about the citizen's session."""

    step: str
    title: str
    staff_text: str
    taken_over: bool
    can_override: bool
    muted: bool
    volume: float
    devices: list[tuple[str, str]] = field(default_factory=list)


class StaffPanel(QWidget):
    """Denser staff screen: always says which citizen step is active and what each action does."""

    journey_event = Signal(object)  # a journey Event to dispatch
    exit_kiosk = Signal()  # a supervisor closes the kiosk application
    mute = Signal(bool)
    volume = Signal(float)
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("staff")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.account: Any = None
        self.state: PanelState | None = None
        px = theme.STAFF_PX + 4
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 24, 40, 24)
        column.setSpacing(12)
        self.who = label("", px, QFont.Weight.Bold)
        column.addWidget(self.who)
        self.step = label("", px)
        column.addWidget(self.step)
        self.staff_text = label("", px, role="muted")
        column.addWidget(self.staff_text)
        self.refusal = label("", px, role="error")  # an action the core refused
        self.refusal.hide()
        column.addWidget(self.refusal)

        row = QHBoxLayout()
        self.takeover = staff_button(texts.get("staff.take_over"), primary=True)
        self.takeover.clicked.connect(self._toggle_takeover)
        row.addWidget(self.takeover)
        self.restart = staff_button(texts.get("staff.restart"))
        self.restart.clicked.connect(lambda: self.journey_event.emit(Cancelled()))
        row.addWidget(self.restart)
        column.addLayout(row)
        column.addWidget(
            label(
                texts.get("staff.take_over_help"),
                theme.STAFF_PX,
                role="muted",
            )
        )

        self.override_box = QWidget()
        box = QVBoxLayout(self.override_box)
        box.setContentsMargins(0, 8, 0, 8)
        box.addWidget(label(texts.get("staff.override_title"), px, QFont.Weight.Bold))
        self.reasons = QButtonGroup(self)
        for index, reason in enumerate(OVERRIDE_REASONS):
            choice = QRadioButton(reason)
            choice.setFont(theme.font(px))
            choice.setMinimumHeight(48)
            # Only the circle and the words take a touch: keep the widget as wide as they are.
            choice.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            choice.setAccessibleName(reason)
            self.reasons.addButton(choice, index)
            box.addWidget(choice)
        self.reasons.buttonClicked.connect(lambda _: self._update_override())
        self.note = QLineEdit()
        self.note.setFont(theme.font(px))
        self.note.setMinimumHeight(48)
        self.note.setPlaceholderText(texts.get("staff.override_note"))
        self.note.setAccessibleName(texts.get("staff.override_note_name"))
        box.addWidget(self.note)
        self.override = staff_button(texts.get("staff.override_confirm"), primary=True)
        self.override.clicked.connect(self._override)
        box.addWidget(self.override)
        column.addWidget(self.override_box)

        self.devices = label("", theme.STAFF_PX, role="muted")
        column.addWidget(self.devices)
        row = QHBoxLayout()
        self.mute_button = staff_button(texts.get("staff.mute"))
        self.mute_button.clicked.connect(self._toggle_mute)
        row.addWidget(self.mute_button)
        self.quieter = staff_button(texts.get("staff.quieter"))
        self.quieter.clicked.connect(lambda: self._step_volume(-0.1))
        row.addWidget(self.quieter)
        self.louder = staff_button(texts.get("staff.louder"))
        self.louder.clicked.connect(lambda: self._step_volume(0.1))
        row.addWidget(self.louder)
        self.volume_text = label("", px)
        row.addWidget(self.volume_text)
        column.addLayout(row)
        column.addStretch(1)
        row = QHBoxLayout()
        self.close_button = staff_button(texts.get("staff.close_logout"))
        self.close_button.clicked.connect(self._close)
        row.addWidget(self.close_button)
        # Only a supervisor may leave the locked-down kiosk (the watchdog then stops too).
        self.exit_button = staff_button(texts.get("staff.exit_kiosk"))
        self.exit_button.clicked.connect(self.exit_kiosk)
        row.addWidget(self.exit_button)
        column.addLayout(row)

    @property
    def username(self) -> str:
        return str(getattr(self.account, "username", ""))

    def open_for(self, account: Any, state: PanelState) -> None:
        from kiosk.records.staff import Permission

        self.account = account
        may = getattr(account, "may", None)
        # Hiding is a courtesy: the window checks every action in the core before doing it.
        self.exit_button.setVisible(bool(may and may(Permission.EXIT_KIOSK)))
        self.refusal.hide()
        self.show_state(state)

    def refuse(self, text: str) -> None:
        """Say that the action just asked for was refused (it was not done)."""
        self.refusal.setText(text)
        self.refusal.show()

    def show_state(self, state: PanelState) -> None:
        self.state = state
        name = getattr(self.account, "display_name", "") or self.username
        self.who.setText(texts.get("staff.who", name=name))
        self.step.setText(texts.get("staff.citizen_step", title=state.title, step=state.step))
        self.staff_text.setText(state.staff_text)
        self.staff_text.setVisible(bool(state.staff_text))
        self.takeover.setText(
            texts.get("staff.hand_back" if state.taken_over else "staff.take_over")
        )
        self.takeover.setAccessibleName(self.takeover.text())
        self.takeover.setEnabled(self._may("take_over"))
        self.override_box.setVisible(state.can_override)
        self._update_override()
        self.devices.setText(
            texts.get("staff.devices", devices="; ".join(f"{n}: {s}" for n, s in state.devices))
        )
        self.mute_button.setText(texts.get("staff.unmute" if state.muted else "staff.mute"))
        self.mute_button.setAccessibleName(self.mute_button.text())
        self.volume_text.setText(texts.get("staff.volume", percent=round(state.volume * 100)))

    def _may(self, permission: str) -> bool:
        may = getattr(self.account, "may", None)
        if may is None:
            return False
        try:
            from kiosk.records.staff import Permission

            return bool(may(Permission(permission)))
        except (ImportError, ValueError):
            return False

    def _toggle_takeover(self) -> None:
        if self.state is None:
            return
        if self.state.taken_over:
            self.journey_event.emit(StaffHandback(self.username))
        else:
            self.journey_event.emit(StaffTakeover(self.username))

    def reason(self) -> str:
        chosen = self.reasons.checkedButton()
        if chosen is None:
            return ""
        note = self.note.text().strip()
        return chosen.text() + (f" — {note}" if note else "")

    def _update_override(self) -> None:
        self.override.setEnabled(bool(self.reason()) and self._may("override"))

    def _override(self) -> None:
        reason = self.reason()
        if reason:
            self.journey_event.emit(StaffOverride(self.username, reason))

    def _toggle_mute(self) -> None:
        if self.state is not None:
            self.mute.emit(not self.state.muted)

    def _step_volume(self, delta: float) -> None:
        if self.state is not None:
            self.volume.emit(min(max(self.state.volume + delta, 0.0), 1.0))

    def _close(self) -> None:
        self.account = None
        self.refusal.hide()
        self.reasons.setExclusive(False)
        for choice in self.reasons.buttons():
            choice.setChecked(False)
        self.reasons.setExclusive(True)
        self.note.clear()
        self.closed.emit()
