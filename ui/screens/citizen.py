"""One screen per journey step. Each shows one instruction with its pictogram and at most two
choices; everything it shows comes from the `StepView`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.journey.events import (
    ChoseAccount,
    ChosePractice,
    ChoseStatus,
    ChoseSubmit,
    Confirmed,
    Consented,
    Declined,
    Event,
    FieldCorrected,
    Finished,
    OtpEntered,
    PayAtCounter,
    PhoneEntered,
    ProcedureChosen,
    Retry,
)
from kiosk.journey.steps import StepId
from kiosk.journey.steps.registry import STEPS
from kiosk.journey.texts import button, phrase
from kiosk.journey.view import Row, StepView
from ui import theme
from ui.animation import LookAtCameraAnimation, PlaceCardAnimation
from ui.camera_preview import CameraPreview
from ui.screens.base import Screen
from ui.screens.keyboard import VietnameseKeyboard
from ui.screens.keypad import Keypad
from ui.widgets import BigButton, RevealButton, label, pictogram


class InstructionScreen(Screen):
    """A pictogram beside the one instruction; the base for most steps."""

    def build(self) -> None:
        self.row = row = QHBoxLayout()
        row.setSpacing(40)
        self.picture = self.make_picture()
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(16)
        self.instruction = label("", theme.BODY_PX)
        self.instruction.setAccessibleName("instruction")
        # Read from the top, level with the pictogram (never floating in the middle).
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.instruction)
        self.extra = QVBoxLayout()
        self.extra.setSpacing(16)
        column.addLayout(self.extra, 1)
        row.addLayout(column, 1)
        self.body.addLayout(row, 1)
        self.build_actions()

    def make_picture(self) -> QWidget:
        return pictogram(self.pictogram_name)

    def build_actions(self) -> None:
        pass


class WelcomeScreen(Screen):
    def build(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.BUTTON_GAP)
        grid.setVerticalSpacing(theme.BUTTON_GAP)
        choices = [
            ("submit", "document", ChoseSubmit()),
            ("account", "phone", ChoseAccount()),
            ("status", "search", ChoseStatus()),
            ("practice", "practice", ChosePractice()),
        ]
        self.choice_buttons: dict[str, BigButton] = {}
        for index, (key, picture, choice) in enumerate(choices):
            widget = BigButton(button(key, self.language), picture, primary=index == 0)
            widget.setMinimumHeight(theme.BUTTON_HEIGHT + 40)
            widget.clicked.connect(lambda _=False, e=choice: self.send(e))
            self.choice_buttons[key] = widget
            grid.addWidget(widget, index // 2, index % 2)
        self.body.addStretch(1)
        self.body.addLayout(grid)
        self.body.addStretch(1)

    def main_choices(self) -> list[BigButton]:
        return list(self.choice_buttons.values())


class ConsentScreen(InstructionScreen):
    pictogram_name = "consent"

    def build_actions(self) -> None:
        # Both answers the same size; nothing pre-selected (Decree 356/2025).
        self.agree = self.add_action("agree", "check", Consented(), primary=False)
        self.disagree = self.add_action("disagree", "cross", Declined(), primary=False)
        # The two answers always share the row equally: neither is favoured.
        self.bottom.takeAt(1)  # the spacer that pushes ordinary actions to the right
        for choice in (self.agree, self.disagree):
            self.bottom.setStretchFactor(choice, 1)


class WaitingScreen(InstructionScreen):
    """Steps where the kiosk works (reading the card, matching the face, sending, printing)."""

    def build_actions(self) -> None:
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(32)
        self.bar.setAccessibleName("tiến độ")
        self.extra.addWidget(self.bar)
        # What the device asks right now ("Bác chớp mắt một lần."), large: it changes.
        self.status = label("", theme.TITLE_PX - 4, QFont.Weight.DemiBold)
        self.status.setAccessibleName("guidance")
        self.extra.addWidget(self.status)
        self.extra.addStretch(1)

    def render_view(self, view: StepView) -> None:
        self.bar.setValue(int(view.progress * 100))
        self.status.setText(view.guidance)


class CameraScreen(WaitingScreen):
    """A step that looks through the camera: the live picture with its guide, when the camera
    service offers one, beside the instruction."""

    guide = "face"

    def build_actions(self) -> None:
        super().build_actions()
        self.preview = CameraPreview(self.guide)
        self.row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self.preview.attach(self.options.preview)

    def leave(self) -> None:
        self.preview.detach()


class QrScreen(CameraScreen):
    pictogram_name = "qr"
    guide = "card"


class CardScreen(WaitingScreen):
    pictogram_name = "card"

    def make_picture(self) -> QWidget:
        return PlaceCardAnimation(self.options.animations)


class FaceScreen(CameraScreen):
    pictogram_name = "face"

    def make_picture(self) -> QWidget:
        return LookAtCameraAnimation(self.options.animations)


class DocumentsScreen(CameraScreen):
    """The page under the camera, with the sheet's outline to fit it into."""

    pictogram_name = "document"
    guide = "page"


class SendingScreen(WaitingScreen):
    pictogram_name = "clock"


class PrintingScreen(WaitingScreen):
    pictogram_name = "printer"


class ChooseProcedureScreen(Screen):
    def build(self) -> None:
        self.list_host = QWidget()
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setSpacing(theme.BUTTON_GAP)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_host)
        self.body.addWidget(scroll, 1)
        self.procedure_buttons: list[BigButton] = []
        self.choices: tuple[tuple[str, str], ...] = ()

    def render_view(self, view: StepView) -> None:
        if view.choices == self.choices:
            return  # the same list: keep the buttons (a finger may be on one)
        self.choices = view.choices
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.procedure_buttons = []
        for code, text in view.choices:
            widget = BigButton(text, "document")
            widget.clicked.connect(lambda _=False, c=code: self.send(ProcedureChosen(c)))
            widget.pressed.connect(self.pressed)
            self.list_layout.addWidget(widget)
            self.procedure_buttons.append(widget)
        self.list_layout.addStretch(1)

    def main_choices(self) -> list[BigButton]:
        return [*self.procedure_buttons, *super().main_choices()]


class _FitWidthHost(QWidget):
    """The rows inside the scroll area: as tall as its wrapped words need at the width it is
    given. (A scroll area sizes its widget from the minimum size, which ignores word wrap: the
    last rows were cut off with no scroll bar to reach them.)"""

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(self.width())
            if height != self.minimumHeight():
                self.setMinimumHeight(height)
        super().resizeEvent(event)  # type: ignore[arg-type]


class RowsScreen(InstructionScreen):
    """Labelled values, large: a form field to confirm, the review, statuses, the result.
    A value that identifies the citizen (the ID number) stays masked until tapped."""

    big_px = theme.TITLE_PX

    def build_actions(self) -> None:
        host = _FitWidthHost()
        self.rows_host = QGridLayout(host)
        self.rows_host.setContentsMargins(0, 0, 0, 0)  # captions line up with the instruction
        self.rows_host.setHorizontalSpacing(32)
        self.rows_host.setVerticalSpacing(12)
        self.rows_host.setColumnStretch(0, 0)
        self.rows_host.setColumnStretch(1, 1)
        # A long review scrolls (with a wide bar to drag) instead of pushing buttons off screen.
        self.rows_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        self.extra.addWidget(scroll, 1)
        self.row_widgets: list[QWidget] = []
        self.reveal_buttons: list[RevealButton] = []
        self.rows_shown: tuple[Row, ...] | None = None
        self.row_pairs: list[tuple[QLabel, QWidget]] = []

    def render_view(self, view: StepView) -> None:
        if view.rows == self.rows_shown:
            return  # a progress refresh: the same rows stay (a finger may be on one)
        shape = [bool(row.reveal) for row in view.rows]
        if self.rows_shown is not None and shape == [bool(r.reveal) for r in self.rows_shown]:
            self._update_rows(view.rows)  # the next form field: new words, same widgets
        else:
            self._build_rows(view.rows)
        self.rows_shown = view.rows

    def _update_rows(self, rows: tuple[Row, ...]) -> None:
        for row, (caption, value) in zip(rows, self.row_pairs, strict=True):
            caption.setText(row.label)
            if isinstance(value, RevealButton):
                value.set_values(row.label, row.value, row.reveal)
            elif isinstance(value, QLabel):
                value.setText(row.value or "—")

    def _build_rows(self, rows: tuple[Row, ...]) -> None:
        self.row_pairs = []
        for old in self.row_widgets:
            self.rows_host.removeWidget(old)
            old.deleteLater()
        self.row_widgets, self.reveal_buttons = [], []
        for index, row in enumerate(rows):
            two_columns = self.big_px <= theme.BODY_PX
            caption = label(row.label, theme.SMALL_PX, role="muted", wrap=not two_columns)
            if two_columns:  # the caption column is as wide as its words, the value takes the rest
                caption.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
            value: QWidget
            if row.reveal:
                value = RevealButton(row.label, row.value, row.reveal, self.big_px)
                value.pressed.connect(self.pressed)
                self.reveal_buttons.append(value)
            else:
                value = label(row.value or "—", self.big_px, QFont.Weight.DemiBold)
                value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            if self.big_px > theme.BODY_PX:  # big values get their own line under the caption
                self.rows_host.addWidget(caption, index * 2, 0, 1, 2)
                self.rows_host.addWidget(value, index * 2 + 1, 0, 1, 2)
            else:
                self.rows_host.addWidget(caption, index, 0, Qt.AlignmentFlag.AlignTop)
                self.rows_host.addWidget(value, index, 1)
            self.row_widgets += [caption, value]
            self.row_pairs.append((caption, value))
        # Values sit right under their captions; the spare room goes below the last one.
        last = self.rows_host.rowCount()
        for index in range(last):
            self.rows_host.setRowStretch(index, 0)
        self.rows_host.setRowStretch(last, 1)

    def leave(self) -> None:
        for widget in self.reveal_buttons:
            widget.hide_value()


class FormScreen(RowsScreen):
    """One prefilled field at a time, read aloud: "Đúng" moves on, "Sửa" opens the keyboard."""

    pictogram_name = "edit"

    def build(self) -> None:
        super().build()
        # The keyboard covers the whole screen while a value is corrected.
        self.keyboard = VietnameseKeyboard(self.language, self.options.form)
        self.keyboard.setParent(self)
        self.keyboard.hide()
        self.keyboard.saved.connect(self._save_correction)
        self.keyboard.cancelled.connect(self.close_keyboard)

    def build_actions(self) -> None:
        super().build_actions()
        self.fix = BigButton(button("fix", self.language), "edit")
        self.fix.setMinimumWidth(theme.CHOICE_WIDTH)
        self.fix.clicked.connect(self.open_keyboard)
        self.bottom.addWidget(self.fix)
        self.yes = self.add_action("yes", "check", Confirmed())

    def open_keyboard(self) -> None:
        if self.view is None or not self.view.rows:
            return
        row = self.view.rows[0]
        self.keyboard.start(row.label, row.value)
        self.keyboard.setGeometry(self.rect())
        self.keyboard.show()
        self.keyboard.raise_()

    def close_keyboard(self) -> None:
        self.keyboard.hide()

    def _save_correction(self, value: str) -> None:
        self.close_keyboard()
        if self.view is not None and self.view.field_key:
            self.send(FieldCorrected(self.view.field_key, value))

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self.keyboard.setGeometry(self.rect())
        super().resizeEvent(event)  # type: ignore[arg-type]

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        for choice in (self.yes, self.fix):  # nothing to answer while the form is prefilled
            choice.setEnabled(view.ready)
        index, count = view.field_position
        if count:
            self.title.setText(f"{view.title} ({index}/{count})")

    def leave(self) -> None:
        super().leave()
        self.close_keyboard()


class ReviewScreen(RowsScreen):
    pictogram_name = "document"
    big_px = theme.BODY_PX

    def build_actions(self) -> None:
        super().build_actions()
        self.send_button = self.add_action("send", "check", Confirmed())


class FeeScreen(InstructionScreen):
    pictogram_name = "money"

    def build_actions(self) -> None:
        self.amount = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold)
        self.amount.setAccessibleName("lệ phí")
        self.extra.addWidget(self.amount)
        self.extra.addStretch(1)
        self.qr = QLabel()
        self.qr.setAccessibleName("VietQR")
        self.row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.counter = self.add_action("pay_counter", "money", PayAtCounter(), False)
        self.qr_shown = ""

    def render_view(self, view: StepView) -> None:
        self.amount.setText(view.big_text)
        if view.qr_payload == self.qr_shown:
            return  # drawn once per payment request, not on every refresh
        self.qr_shown = view.qr_payload
        if view.qr_payload:
            from ui.qr_image import qr_image  # not on the start-up path

            # ≈ 300 px: fits beside the text at 1366×768, large enough for a phone camera.
            self.qr.setPixmap(QPixmap.fromImage(qr_image(view.qr_payload, 5)))
        else:
            self.qr.clear()


class DoneScreen(RowsScreen):
    pictogram_name = "check"
    big_px = theme.BIG_NUMBER_PX

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", Confirmed())


class StatusScreen(RowsScreen):
    pictogram_name = "search"
    big_px = theme.BODY_PX

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", Confirmed())

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        if not view.rows and self.instruction is not None:
            self.instruction.setText(phrase("no_dossiers", self.language, self.options.form))


class AccountDoneScreen(DoneScreen):
    big_px = theme.TITLE_PX


class NumberEntryScreen(InstructionScreen):
    """Phone number or OTP: the only typing a citizen ever does, on a large keypad."""

    pictogram_name = "phone"
    length = (10, 10)

    def entered(self, digits: str) -> Event:
        return PhoneEntered(digits)

    def build_actions(self) -> None:
        self.keypad = Keypad(*self.length)
        self.extra.addWidget(self.keypad.display)
        self.extra.addStretch(1)
        self.row.addWidget(self.keypad)
        self.next = self.add_action("next", "check", self.entered(""))
        self.next.clicked.disconnect()
        self.next.clicked.connect(self._submit)
        self.next.setEnabled(False)
        self.keypad.changed.connect(lambda text: self.next.setEnabled(self.keypad.complete()))

    def _submit(self) -> None:
        if self.keypad.complete():
            self.send(self.entered(self.keypad.text()))

    def render_view(self, view: StepView) -> None:
        self.keypad.clear()
        self.next.setEnabled(False)


class PhoneScreen(NumberEntryScreen):
    pass


class OtpScreen(NumberEntryScreen):
    pictogram_name = "consent"
    length = (6, 6)

    def entered(self, digits: str) -> Event:
        return OtpEntered(digits)


# Which pictogram shows what went wrong: by the error code's first word.
ERROR_PICTOGRAMS = {
    "card": "card",
    "chip": "card",
    "qr": "qr",
    "face": "face",
    "camera": "face",
    "payment": "money",
    "printer": "printer",
    "paper": "printer",
    "portal": "clock",
    "otp": "phone",
    "phone": "phone",
}


class ErrorScreen(InstructionScreen):
    """What happened (one sentence), a pictogram of the thing concerned, and what to do now."""

    pictogram_name = "warning"

    def make_picture(self) -> QWidget:
        host = QWidget()
        host.setFixedSize(theme.PICTOGRAM, theme.PICTOGRAM + 80)
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        self.thing = pictogram("warning", theme.PICTOGRAM)
        column.addWidget(self.thing)
        column.addStretch(1)
        return host

    def build_actions(self) -> None:
        self.remedy = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.remedy.setAccessibleName("remedy")
        self.extra.addWidget(self.remedy)
        self.extra.addStretch(1)
        self.retry = self.add_action("retry", "retry", Retry())

    def render_view(self, view: StepView) -> None:
        self.remedy.setText(view.remedy)
        self.remedy.setVisible(bool(view.remedy))
        code = (view.error_code or "").split("_")[0]
        name = ERROR_PICTOGRAMS.get(code, "warning")
        self.thing.set_name(name)


class StaffHelpScreen(ErrorScreen):
    pictogram_name = "staff"

    def build_actions(self) -> None:
        self.remedy = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.remedy.setAccessibleName("remedy")
        self.extra.addWidget(self.remedy)
        self.extra.addStretch(1)

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        self.thing.set_name("staff")


class CardPausedScreen(InstructionScreen):
    pictogram_name = "card"

    def make_picture(self) -> QWidget:
        return PlaceCardAnimation(self.options.animations)


class GoodbyeScreen(InstructionScreen):
    pictogram_name = "check"

    def build_actions(self) -> None:
        self.finish = self.add_action("done", "home", Finished())


# The screen layouts a step may name (`Step.screen`).
LAYOUTS: dict[str, type[Screen]] = {
    "welcome": WelcomeScreen,
    "consent": ConsentScreen,
    "qr": QrScreen,
    "card": CardScreen,
    "face": FaceScreen,
    "choose_procedure": ChooseProcedureScreen,
    "form": FormScreen,
    "documents": DocumentsScreen,
    "review": ReviewScreen,
    "fee": FeeScreen,
    "sending": SendingScreen,
    "printing": PrintingScreen,
    "done": DoneScreen,
    "phone": PhoneScreen,
    "otp": OtpScreen,
    "account_done": AccountDoneScreen,
    "status": StatusScreen,
    "card_paused": CardPausedScreen,
    "error": ErrorScreen,
    "staff_help": StaffHelpScreen,
    "goodbye": GoodbyeScreen,
}
SCREENS: dict[StepId, type[Screen]] = {step.id: LAYOUTS[step.screen] for step in STEPS}
