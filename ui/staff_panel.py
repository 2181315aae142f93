"""Staff assistance: a hidden corner gesture opens a PIN pad; a checked PIN opens the staff
panel (take over / hand back, override a failed face check with a reason beside the chip photo and
the live camera, restart the session, help requests, reprint of the last receipts, device status,
voice). The panel is in Vietnamese only, with touch-sized controls, and fits 1366×768
(docs/ui.md §11). It emits journey events and requests; the window checks permissions in the core,
the engine decides and audits.

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
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk import texts
from kiosk.journey.events import Cancelled, StaffHandback, StaffOverride, StaffTakeover
from ui import theme
from ui.camera_preview import CameraPreview, PreviewFeed, frame_to_image
from ui.widgets import label

log = logging.getLogger(__name__)

STAFF_BUTTON_HEIGHT = 64
STAFF_ROW_HEIGHT = 56  # the smallest touch target on the panel (list rows, the note field)
PHOTO_SIZE = (150, 188)  # chip photo and live camera side by side (ICAO 35×45 mm portrait)
HELP_ROWS = 2  # open help requests listed (the oldest first); more are counted
REPRINT_ROWS = 3  # the last receipts offered for a reprint
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


@dataclass(frozen=True)
class HelpRow:
    """An open help request as the officer sees it."""

    help_id: str
    step_number: int
    step_title: str
    at: str  # "10:42"
    answered: bool = False  # an officer is already on the way


@dataclass(frozen=True)
class ReceiptRow:
    """A kept receipt the officer may print again."""

    job_id: str
    code: str  # the dossier code (or the kiosk's reference) it carries
    at: str  # "09:30"
    printed: bool


@dataclass
class PanelState:
    """What the officer sees about the citizen's session (kiosk.journey.staff_view), in
    Vietnamese: the step by its number and title as the citizen's progress shows it."""

    step: str  # "4/9", or "" outside the numbered progress
    title: str
    staff_text: str  # what the citizen was told went wrong and what to do ("" when nothing)
    taken_over: bool
    can_override: bool
    muted: bool
    volume: float
    devices: list[tuple[str, str]] = field(default_factory=list)
    chip_photo: bytes = field(default=b"", repr=False)
    help_requests: list[HelpRow] = field(default_factory=list)
    more_help_requests: int = 0
    receipts: list[ReceiptRow] = field(default_factory=list)


class WrapButton(QPushButton):
    """A touch button whose words wrap onto a second line instead of being cut (a QPushButton
    draws one line only): list rows and the override reasons."""

    def __init__(self, text: str, checkable: bool = False) -> None:
        super().__init__()
        self.setObjectName("wrap")
        self.setProperty("key", "true")
        self.setCheckable(checkable)
        self.setMinimumHeight(STAFF_ROW_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 2, 12, 2)
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setFont(theme.font(theme.STAFF_PX, QFont.Weight.DemiBold))
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row.addWidget(self.words)
        self.toggled.connect(self._colour)
        self._colour(False)
        self.setText(text)

    def _colour(self, checked: bool) -> None:
        # The label's own sheet: the staff screen's "QLabel" colour must not win over the button's.
        colour = theme.ON_ACCENT if checked else theme.ACCENT
        self.words.setStyleSheet(f"color: {colour}; background: transparent;")

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.words.setText(text)
        self.setAccessibleName(text)

    def text(self) -> str:
        return self.words.text()


def staff_row_button(text: str) -> WrapButton:
    """A list row the officer taps (a help request, a receipt): full width, left-aligned."""
    return WrapButton(text)


def toggle_button(text: str) -> WrapButton:
    """A big button that stays pressed when chosen (instead of a small radio button)."""
    widget = WrapButton(text, checkable=True)
    widget.setStyleSheet(
        f"QPushButton:checked {{ background: {theme.ACCENT}; border-color: {theme.ACCENT}; }}"
    )
    return widget


def chip_photo_image(data: bytes, width: int, height: int) -> QImage | None:
    """The chip's DG2 face (JPEG or JPEG 2000) cropped and scaled to width×height, or None when
    it cannot be read (the override is then decided on the card itself)."""
    if not data:
        return None
    from devices.camera.sources import ImageUnreadable, decode_image

    try:
        frame = decode_image(data)
    except ImageUnreadable:
        log.warning("the chip photo cannot be shown on the staff panel")
        return None
    return frame_to_image(frame, width, height, mirror=False)


class StaffPanel(QWidget):
    """The officer's screen: which step the citizen is at and what went wrong, on the left what
    to do with the session (take over, restart, the face override), on the right who asked for
    help, the last receipts to reprint, the voice."""

    journey_event = Signal(object)  # a journey Event to dispatch
    exit_kiosk = Signal()  # a supervisor closes the kiosk application
    mute = Signal(bool)
    volume = Signal(float)
    reprint = Signal(str)  # a kept receipt's job id
    acknowledge_help = Signal(str)  # a help request's id: "cán bộ đang tới"
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("staff")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.account: Any = None
        self.state: PanelState | None = None
        self.preview_feed: PreviewFeed | None = None  # the camera's frames, for the override
        px = theme.STAFF_PX + 4
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 16, 32, 16)
        column.setSpacing(8)
        row = QHBoxLayout()
        self.who = label("", px, QFont.Weight.Bold)
        row.addWidget(self.who, 1)
        self.refusal = label("", px, QFont.Weight.Bold, role="error")  # refused, or a result
        self.refusal.hide()
        row.addWidget(self.refusal, 2)
        column.addLayout(row)
        self.step = label("", px, QFont.Weight.DemiBold)
        column.addWidget(self.step)
        self.staff_text = label("", px, role="error")
        column.addWidget(self.staff_text)
        self.devices = label("", theme.STAFF_PX, role="muted")
        column.addWidget(self.devices)

        body = QHBoxLayout()
        body.setSpacing(32)
        column.addLayout(body, 1)
        body.addLayout(self._session_column(px), 4)
        body.addLayout(self._desk_column(px), 3)

        row = QHBoxLayout()
        self.close_button = staff_button(texts.get("staff.close_logout"))
        self.close_button.clicked.connect(self._close)
        row.addWidget(self.close_button)
        # Only a supervisor may leave the locked-down kiosk (the watchdog then stops too).
        self.exit_button = staff_button(texts.get("staff.exit_kiosk"))
        self.exit_button.clicked.connect(self.exit_kiosk)
        row.addWidget(self.exit_button)
        column.addLayout(row)

    def _session_column(self, px: int) -> QVBoxLayout:
        left = QVBoxLayout()
        left.setSpacing(8)
        row = QHBoxLayout()
        self.takeover = staff_button(texts.get("staff.take_over"), primary=True)
        self.takeover.clicked.connect(self._toggle_takeover)
        row.addWidget(self.takeover)
        self.restart = staff_button(texts.get("staff.restart"))
        self.restart.clicked.connect(lambda: self.journey_event.emit(Cancelled()))
        row.addWidget(self.restart)
        left.addLayout(row)
        self.takeover_help = label(texts.get("staff.take_over_help"), theme.STAFF_PX, role="muted")
        left.addWidget(self.takeover_help)

        self.override_box = QWidget()
        box = QVBoxLayout(self.override_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(8)
        box.addWidget(label(texts.get("staff.override_title"), px, QFont.Weight.Bold))
        faces = QHBoxLayout()
        faces.setSpacing(12)
        self.chip_photo = QLabel()
        self.chip_photo.setFixedSize(*PHOTO_SIZE)
        self.chip_photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chip_photo.setWordWrap(True)
        self.chip_photo.setAccessibleName(texts.get("staff.chip_photo"))
        faces.addLayout(_captioned(self.chip_photo, texts.get("staff.chip_photo")))
        self.live = CameraPreview("face")
        self.live.setFixedSize(*PHOTO_SIZE)
        faces.addLayout(_captioned(self.live, texts.get("staff.live_camera")))
        reasons = QVBoxLayout()
        reasons.setSpacing(6)
        self.reasons = QButtonGroup(self)
        self.reasons.setExclusive(True)
        for index, reason in enumerate(OVERRIDE_REASONS):
            choice = toggle_button(reason)
            choice.setMinimumHeight(STAFF_ROW_HEIGHT)
            choice.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.reasons.addButton(choice, index)
            reasons.addWidget(choice)
        faces.addLayout(reasons, 1)
        box.addLayout(faces)
        self.reasons.buttonClicked.connect(lambda _: self._update_override())
        row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setFont(theme.font(px))
        self.note.setMinimumHeight(STAFF_BUTTON_HEIGHT)
        self.note.setPlaceholderText(texts.get("staff.override_note"))
        self.note.setAccessibleName(texts.get("staff.override_note_name"))
        row.addWidget(self.note, 1)
        self.override = staff_button(texts.get("staff.override_confirm"), primary=True)
        self.override.clicked.connect(self._override)
        row.addWidget(self.override)
        box.addLayout(row)
        left.addWidget(self.override_box)
        left.addStretch(1)
        return left

    @staticmethod
    def _row_list(
        column: QVBoxLayout, name: str, px: int, rows: int, tapped: Callable[[WrapButton], None]
    ) -> tuple[QLabel, list[WrapButton]]:
        """A titled list of `rows` row buttons (filled on refresh) and its "nothing here" line."""
        column.addWidget(label(texts.get(f"staff.{name}_title"), px, QFont.Weight.Bold))
        empty = label(texts.get(f"staff.{name}_none"), theme.STAFF_PX, role="muted")
        column.addWidget(empty)
        buttons: list[WrapButton] = []
        for _ in range(rows):
            widget = staff_row_button("")
            widget.clicked.connect(lambda _=False, w=widget: tapped(w))
            column.addWidget(widget)
            buttons.append(widget)
        return empty, buttons

    def _desk_column(self, px: int) -> QVBoxLayout:
        right = QVBoxLayout()
        right.setSpacing(8)
        self.help_empty, self.help_buttons = self._row_list(
            right, "help", px, HELP_ROWS, self._acknowledge
        )
        self.help_more = label("", theme.STAFF_PX, role="muted")
        right.addWidget(self.help_more)
        right.addSpacing(8)
        self.reprint_empty, self.reprint_buttons = self._row_list(
            right, "reprint", px, REPRINT_ROWS, self._reprint
        )
        right.addStretch(1)
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
        right.addLayout(row)
        self.volume_text = label("", theme.STAFF_PX, role="muted")
        right.addWidget(self.volume_text)
        return right

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
        self._say_result(text, "error")

    def tell(self, text: str) -> None:
        """Say how an action the officer asked for went (a reprint done)."""
        self._say_result(text, "muted")

    def _say_result(self, text: str, role: str) -> None:
        self.refusal.setProperty("role", role)
        self.refusal.style().unpolish(self.refusal)
        self.refusal.style().polish(self.refusal)
        self.refusal.setText(text)
        self.refusal.show()

    def show_state(self, state: PanelState) -> None:
        self.state = state
        name = getattr(self.account, "display_name", "") or self.username
        self.who.setText(texts.get("staff.who", name=name))
        if state.step:
            self.step.setText(texts.get("staff.citizen_step", step=state.step, title=state.title))
        else:
            self.step.setText(texts.get("staff.citizen_screen", title=state.title))
        self.staff_text.setText(
            texts.get("staff.problem", error=state.staff_text) if state.staff_text else ""
        )
        self.staff_text.setVisible(bool(state.staff_text))
        self.takeover.setText(
            texts.get("staff.hand_back" if state.taken_over else "staff.take_over")
        )
        self.takeover.setAccessibleName(self.takeover.text())
        self.takeover.setEnabled(self._may("take_over"))
        self.takeover_help.setVisible(not state.can_override)  # room for the override
        self._show_override(state)
        self.devices.setText(
            texts.get("staff.devices", devices="; ".join(f"{n}: {s}" for n, s in state.devices))
        )
        self._show_help(state)
        self._show_receipts(state)
        self.mute_button.setText(texts.get("staff.unmute" if state.muted else "staff.mute"))
        self.mute_button.setAccessibleName(self.mute_button.text())
        self.volume_text.setText(texts.get("staff.volume", percent=round(state.volume * 100)))

    def _show_override(self, state: PanelState) -> None:
        was_visible = self.override_box.isVisibleTo(self)
        self.override_box.setVisible(state.can_override)
        if state.can_override:
            image = chip_photo_image(state.chip_photo, *PHOTO_SIZE)
            if image is None:
                self.chip_photo.setPixmap(QPixmap())
                self.chip_photo.setText(texts.get("staff.no_chip_photo"))
            else:
                self.chip_photo.setPixmap(QPixmap.fromImage(image))
            if not was_visible or self.live._converter is None:
                self.live.attach(self.preview_feed)
        elif was_visible:
            self.live.detach()
        self._update_override()

    def _show_help(self, state: PanelState) -> None:
        self.help_empty.setVisible(not state.help_requests)
        for index, widget in enumerate(self.help_buttons):
            request = state.help_requests[index] if index < len(state.help_requests) else None
            widget.setVisible(request is not None)
            if request is None:
                continue
            key = "staff.help_row" if request.step_number else "staff.help_row_screen"
            text = texts.get(
                key, step=request.step_number, title=request.step_title, value=request.at
            )
            answer = "staff.help_answered" if request.answered else "staff.help_waiting"
            text = f"{text} · {texts.get(answer)}"
            widget.setText(text)
            widget.setAccessibleName(text)
            widget.setProperty("help_id", request.help_id)
        self.help_more.setText(
            texts.get("staff.help_more", amount=state.more_help_requests)
            if state.more_help_requests
            else ""
        )
        self.help_more.setVisible(bool(state.more_help_requests))

    def _show_receipts(self, state: PanelState) -> None:
        self.reprint_empty.setVisible(not state.receipts)
        for index, widget in enumerate(self.reprint_buttons):
            receipt = state.receipts[index] if index < len(state.receipts) else None
            widget.setVisible(receipt is not None)
            if receipt is None:
                continue
            key = "staff.reprint_row_printed" if receipt.printed else "staff.reprint_row_pending"
            text = texts.get(key, name=receipt.code, value=receipt.at)
            widget.setText(text)
            widget.setAccessibleName(text)
            widget.setProperty("job_id", receipt.job_id)

    def _acknowledge(self, widget: QPushButton) -> None:
        help_id = widget.property("help_id")
        if help_id:
            self.acknowledge_help.emit(str(help_id))

    def _reprint(self, widget: QPushButton) -> None:
        job_id = widget.property("job_id")
        if job_id:
            self.tell(texts.get("staff.reprinting"))
            self.reprint.emit(str(job_id))

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
        self.live.detach()
        self.reasons.setExclusive(False)
        for choice in self.reasons.buttons():
            choice.setChecked(False)
        self.reasons.setExclusive(True)
        self.note.clear()
        self.closed.emit()


def _captioned(widget: QWidget, caption: str) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(label(caption, theme.STAFF_PX, role="muted"))
    return column


# --- help requests and reprints: what the panel lists, and what its taps do ------------------

HELP_COMING = "coming"  # kiosk.records.help_requests: waiting → acknowledged|coming → closed


class HelpDeskView(Protocol):
    """The part of `kiosk.records.help_requests.HelpDesk` the panel uses (the one the journey
    engine raises requests on). Each request has `help_id`, `state`, `step_number`, `step_title`
    and `raised_at` (aware)."""

    def open_requests(self) -> list[Any]: ...

    def acknowledge(self, help_id: str, state: str, by: str) -> None: ...


class ReceiptReprints(Protocol):
    """`kiosk.services.printing.KioskReceiptPrinter`'s staff side."""

    def recent(self, limit: int = REPRINT_ROWS) -> list[Any]:
        """Kept receipt jobs (`job_id`, `name`, `state`, `created_at`), newest first."""

    def reprint(self, job_id: str) -> str: ...


def reprint_permission() -> str:
    """The staff permission a reprint needs: `reprint` where the directory has one, else the
    officers' printer permission (clearing a paper jam ends in a reprint)."""
    from kiosk.records.staff import Permission

    names = {permission.value for permission in Permission}
    return "reprint" if "reprint" in names else Permission.CLEAR_PAPER_JAM.value


def _local_time(moment: Any) -> str:
    try:
        return f"{moment.astimezone():%H:%M}"
    except (AttributeError, ValueError):
        return ""


class _ReprintSignals(QObject):
    done = Signal(str, str)  # dossier code, error text ("" when printed)


class _ReprintJob(QRunnable):
    def __init__(self, printer: ReceiptReprints, job_id: str, code: str, signals: Any) -> None:
        super().__init__()
        self.printer, self.job_id, self.code, self.signals = printer, job_id, code, signals

    def run(self) -> None:
        from kiosk.texts.errors import said

        try:
            self.printer.reprint(self.job_id)
        except Exception as exc:
            log.warning("reprint of %s failed: %s", self.job_id, type(exc).__name__)
            self.signals.done.emit(self.code, said(getattr(exc, "code", None), "citizen"))
            return
        self.signals.done.emit(self.code, "")


class StaffDesk(QObject):
    """The panel's lists (open help requests, the last receipts) and the actions on them. Every
    action is checked in the core first (`may`: the window's staff-directory check, which audits
    refusals and, with `audit_as`, the action)."""

    def __init__(
        self,
        panel: StaffPanel,
        may: Callable[..., bool],
        printer: Callable[[], Any],
        changed: Callable[[], None],
        help_desk: Callable[[], HelpDeskView | None] = lambda: None,
    ) -> None:
        super().__init__(panel)
        self.panel, self.may, self.printer, self.changed = panel, may, printer, changed
        self.help_desk = help_desk
        self.signals = _ReprintSignals()
        self.signals.done.connect(self._reprinted)
        panel.reprint.connect(self.reprint)
        panel.acknowledge_help.connect(self.acknowledge)

    def reprints(self) -> ReceiptReprints | None:
        printer = self.printer()
        return printer if hasattr(printer, "recent") and hasattr(printer, "reprint") else None

    def with_lists(self, state: PanelState) -> PanelState:
        state.receipts = self.receipt_rows()
        state.help_requests, state.more_help_requests = self.help_rows()
        return state

    def receipt_rows(self) -> list[ReceiptRow]:
        printer = self.reprints()
        if printer is None:
            return []
        try:
            jobs = printer.recent(REPRINT_ROWS)
        except Exception:
            log.exception("the print queue cannot be listed")
            return []
        return [
            ReceiptRow(job.job_id, job.name, _local_time(job.created_at), job.state == "printed")
            for job in jobs[:REPRINT_ROWS]
        ]

    def help_rows(self) -> tuple[list[HelpRow], int]:
        desk = self.help_desk()
        if desk is None:
            return [], 0
        try:
            requests = desk.open_requests()
        except Exception:
            log.exception("the help requests cannot be listed")
            return [], 0
        # the waiting first (oldest first), then those someone already answered
        requests = sorted(requests, key=lambda r: str(getattr(r, "state", "")) != "waiting")
        rows = [
            HelpRow(
                str(r.help_id),
                int(getattr(r, "step_number", 0) or 0),
                str(getattr(r, "step_title", "") or ""),
                _local_time(getattr(r, "raised_at", None)),
                answered=str(getattr(r, "state", "")) != "waiting",
            )
            for r in requests[:HELP_ROWS]
        ]
        return rows, max(len(requests) - HELP_ROWS, 0)

    def reprint(self, job_id: str) -> None:
        """A kept receipt printed again, on the thread pool (a printer may take seconds)."""
        printer = self.reprints()
        if printer is None or not self.may(reprint_permission(), audit_as="receipt_reprint"):
            return
        state = self.panel.state
        code = next((r.code for r in (state.receipts if state else []) if r.job_id == job_id), "")
        QThreadPool.globalInstance().start(_ReprintJob(printer, job_id, code, self.signals))

    def _reprinted(self, code: str, error: str) -> None:
        if error:
            self.panel.refuse(texts.get("staff.reprint_failed", error=error))
        else:
            self.panel.tell(texts.get("staff.reprinted", name=code))
        self.changed()

    def acknowledge(self, help_id: str) -> None:
        """The officer answers a help request: the citizen's screen then says staff are coming."""
        desk = self.help_desk()
        if desk is None or not self.may("view_status"):
            return
        try:  # the desk tells the engine, whose screen then says "cán bộ đang tới"
            desk.acknowledge(help_id, HELP_COMING, self.panel.username)
        except Exception:
            log.exception("help request %s not acknowledged", help_id)
            return
        self.panel.tell(texts.get("staff.help_coming"))
        self.changed()
