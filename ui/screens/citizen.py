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
    QVBoxLayout,
    QWidget,
)

from kiosk.journey.events import EventType
from kiosk.journey.steps import StepId
from kiosk.journey.texts import button
from kiosk.journey.view import StepView
from ui import theme
from ui.screens.base import Screen
from ui.screens.keypad import Keypad
from ui.widgets import BigButton, label, pictogram


class InstructionScreen(Screen):
    """A pictogram beside the one instruction; the base for most steps."""

    def build(self) -> None:
        self.row = row = QHBoxLayout()
        row.setSpacing(40)
        self.picture = pictogram(self.pictogram_name)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        self.instruction = label("", theme.BODY_PX)
        self.instruction.setAccessibleName("instruction")
        column.addWidget(self.instruction)
        self.extra = QVBoxLayout()
        self.extra.setSpacing(16)
        column.addLayout(self.extra, 1)
        row.addLayout(column, 1)
        self.body.addLayout(row, 1)
        self.build_actions()

    def build_actions(self) -> None:
        pass


class WelcomeScreen(Screen):
    def build(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.BUTTON_GAP)
        grid.setVerticalSpacing(36)
        choices = [
            ("submit", "document", EventType.CHOSE_SUBMIT),
            ("account", "phone", EventType.CHOSE_ACCOUNT),
            ("status", "search", EventType.CHOSE_STATUS),
            ("practice", "practice", EventType.CHOSE_PRACTICE),
        ]
        self.choice_buttons: dict[str, BigButton] = {}
        for index, (key, picture, event_type) in enumerate(choices):
            widget = BigButton(button(key, self.language), picture, primary=index == 0)
            widget.setMinimumHeight(theme.BUTTON_HEIGHT + 40)
            widget.clicked.connect(lambda _=False, e=event_type: self.emit(e))
            self.choice_buttons[key] = widget
            grid.addWidget(widget, index // 2, index % 2)
        self.body.addStretch(1)
        self.body.addLayout(grid)
        self.body.addStretch(1)


class ConsentScreen(InstructionScreen):
    pictogram_name = "consent"

    def build_actions(self) -> None:
        # Both answers the same size; nothing pre-selected (Decree 356/2025).
        self.agree = self.add_action("agree", "check", EventType.CONSENTED, primary=False)
        self.disagree = self.add_action("disagree", "cross", EventType.DECLINED, primary=False)
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
        self.extra.addWidget(self.bar)
        self.status = label("", theme.BODY_PX, QFont.Weight.Medium, role="muted")
        self.extra.addWidget(self.status)

    def render(self, view: StepView) -> None:
        self.bar.setValue(int(view.progress * 100))
        self.status.setText(GUIDANCE.get(view.progress_key, "") if self.language == "vi" else "")


# Guidance keys reported by the devices through the step's progress callback.
GUIDANCE = {
    "move_closer": "Bác lại gần camera hơn một chút.",
    "look_at_camera": "Bác nhìn thẳng vào camera.",
    "blink": "Bác chớp mắt một lần.",
    "turn_left": "Bác quay đầu sang trái.",
    "turn_right": "Bác quay đầu sang phải.",
    "too_dark": "Chỗ này hơi tối, Bác đứng gần đèn hơn.",
    "one_person_only": "Chỉ một người đứng trước camera thôi ạ.",
    "reading": "Đang đọc thẻ… Bác giữ yên thẻ nhé.",
    "hold_still": "Bác giữ yên nhé.",
}


class QrScreen(WaitingScreen):
    pictogram_name = "qr"


class CardScreen(WaitingScreen):
    pictogram_name = "card"


class FaceScreen(WaitingScreen):
    pictogram_name = "face"


class DocumentsScreen(WaitingScreen):
    pictogram_name = "document"


class SendingScreen(WaitingScreen):
    pictogram_name = "clock"


class PrintingScreen(WaitingScreen):
    pictogram_name = "printer"


class ChooseProcedureScreen(Screen):
    def build(self) -> None:
        self.list_host = QWidget()
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setSpacing(28)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_host)
        self.body.addWidget(scroll, 1)
        self.procedure_buttons: list[BigButton] = []

    def render(self, view: StepView) -> None:
        for old in self.procedure_buttons:
            old.deleteLater()
        self.procedure_buttons = []
        for code, text in view.choices:
            widget = BigButton(text, "document")
            widget.clicked.connect(
                lambda _=False, c=code: self.emit(EventType.PROCEDURE_CHOSEN, code=c)
            )
            self.list_layout.addWidget(widget)
            self.procedure_buttons.append(widget)
        self.list_layout.addStretch(1)


class RowsScreen(InstructionScreen):
    """Labelled values, large: a form field to confirm, the review, statuses, the result."""

    big_px = theme.TITLE_PX

    def build_actions(self) -> None:
        host = QWidget()
        self.rows_host = QGridLayout(host)
        self.rows_host.setHorizontalSpacing(32)
        self.rows_host.setVerticalSpacing(12)
        self.rows_host.setColumnStretch(1, 1)
        scroll = QScrollArea()  # a long review scrolls instead of pushing buttons off screen
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        self.extra.addWidget(scroll, 1)
        self.row_labels: list[QLabel] = []

    def render(self, view: StepView) -> None:
        for old in self.row_labels:
            old.deleteLater()
        self.row_labels = []
        for index, row in enumerate(view.rows):
            caption = label(row.label, theme.SMALL_PX, role="muted")
            value = label(row.value or "—", self.big_px, QFont.Weight.DemiBold)
            if self.big_px > theme.BODY_PX:  # big values get their own line under the caption
                self.rows_host.addWidget(caption, index * 2, 0, 1, 2)
                self.rows_host.addWidget(value, index * 2 + 1, 0, 1, 2)
            else:
                self.rows_host.addWidget(caption, index, 0, Qt.AlignmentFlag.AlignTop)
                self.rows_host.addWidget(value, index, 1)
            self.row_labels += [caption, value]


class FormScreen(RowsScreen):
    pictogram_name = "edit"

    def build_actions(self) -> None:
        super().build_actions()
        self.note = label("", theme.BODY_PX, role="muted")
        self.extra.addWidget(self.note)
        self.fix = self.add_action("fix", "edit", EventType.CORRECTED, primary=False)
        self.fix.clicked.disconnect()
        self.fix.clicked.connect(self._ask_staff_to_fix)
        self.yes = self.add_action("yes", "check", EventType.CONFIRMED)

    def _ask_staff_to_fix(self) -> None:
        # Correcting a value needs the staff keyboard (the journey UI issue); say so plainly.
        self.note.setText("Bác bấm nút Gọi cán bộ, cán bộ sẽ sửa giúp Bác.")

    def render(self, view: StepView) -> None:
        self.note.setText("")
        super().render(view)
        index, count = view.field_position
        if count:
            self.title.setText(f"{view.title} ({index}/{count})")


class ReviewScreen(RowsScreen):
    pictogram_name = "document"
    big_px = theme.BODY_PX

    def build_actions(self) -> None:
        super().build_actions()
        self.send = self.add_action("send", "check", EventType.CONFIRMED)


class FeeScreen(InstructionScreen):
    pictogram_name = "money"

    def build_actions(self) -> None:
        self.amount = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold)
        self.extra.addWidget(self.amount)
        self.qr = QLabel()
        self.qr.setAccessibleName("VietQR")
        self.row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.counter = self.add_action("pay_counter", "money", EventType.PAY_AT_COUNTER, False)

    def render(self, view: StepView) -> None:
        self.amount.setText(view.big_text)
        if view.qr_payload:
            from ui.qr_image import qr_image  # OpenCV costs 0.25 s: not on the start-up path

            # ≈ 300 px: fits beside the text at 1366×768, large enough for a phone camera.
            self.qr.setPixmap(QPixmap.fromImage(qr_image(view.qr_payload, 5)))
        else:
            self.qr.clear()


class DoneScreen(RowsScreen):
    pictogram_name = "check"
    big_px = theme.BIG_NUMBER_PX

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", EventType.CONFIRMED)


class StatusScreen(RowsScreen):
    pictogram_name = "search"
    big_px = theme.BODY_PX

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", EventType.CONFIRMED)

    def render(self, view: StepView) -> None:
        super().render(view)
        if not view.rows and self.language == "vi":
            self.instruction.setText("Máy chưa thấy hồ sơ nào của Bác.")  # type: ignore[union-attr]


class AccountDoneScreen(DoneScreen):
    big_px = theme.TITLE_PX


class NumberEntryScreen(InstructionScreen):
    """Phone number or OTP: the only typing a citizen ever does, on a large keypad."""

    pictogram_name = "phone"
    length = (10, 10)
    event_type = EventType.PHONE_ENTERED
    data_key = "phone"

    def build_actions(self) -> None:
        self.keypad = Keypad(*self.length)
        self.extra.addWidget(self.keypad.display)
        self.row.addWidget(self.keypad)
        self.next = self.add_action("next", "check", self.event_type)
        self.next.clicked.disconnect()
        self.next.clicked.connect(self._submit)
        self.next.setEnabled(False)
        self.keypad.changed.connect(lambda text: self.next.setEnabled(self.keypad.complete()))

    def _submit(self) -> None:
        if self.keypad.complete():
            self.emit(self.event_type, **{self.data_key: self.keypad.text()})

    def render(self, view: StepView) -> None:
        self.keypad.clear()


class PhoneScreen(NumberEntryScreen):
    pass


class OtpScreen(NumberEntryScreen):
    pictogram_name = "consent"
    length = (6, 6)
    event_type = EventType.OTP_ENTERED
    data_key = "otp"


class ErrorScreen(InstructionScreen):
    pictogram_name = "warning"

    def build_actions(self) -> None:
        self.remedy = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.extra.addWidget(self.remedy)
        self.retry = self.add_action("retry", "back", EventType.RETRY)

    def render(self, view: StepView) -> None:
        self.remedy.setText(view.remedy)


class StaffHelpScreen(ErrorScreen):
    pictogram_name = "staff"

    def build_actions(self) -> None:
        self.remedy = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.extra.addWidget(self.remedy)


class CardPausedScreen(InstructionScreen):
    pictogram_name = "card"


class GoodbyeScreen(InstructionScreen):
    pictogram_name = "check"

    def build_actions(self) -> None:
        self.finish = self.add_action("done", "home", EventType.FINISHED)


SCREENS: dict[StepId, type[Screen]] = {
    StepId.WELCOME: WelcomeScreen,
    StepId.CONSENT: ConsentScreen,
    StepId.QR_SCAN: QrScreen,
    StepId.CARD_READ: CardScreen,
    StepId.FACE_CHECK: FaceScreen,
    StepId.CHOOSE_PROCEDURE: ChooseProcedureScreen,
    StepId.FORM: FormScreen,
    StepId.DOCUMENTS: DocumentsScreen,
    StepId.REVIEW: ReviewScreen,
    StepId.FEE: FeeScreen,
    StepId.SUBMIT: SendingScreen,
    StepId.RECEIPT: PrintingScreen,
    StepId.DONE: DoneScreen,
    StepId.ACCOUNT_PHONE: PhoneScreen,
    StepId.ACCOUNT_OTP: OtpScreen,
    StepId.ACCOUNT_VERIFY: SendingScreen,
    StepId.ACCOUNT_DONE: AccountDoneScreen,
    StepId.STATUS_LIST: StatusScreen,
    StepId.CARD_PAUSED: CardPausedScreen,
    StepId.ERROR: ErrorScreen,
    StepId.STAFF_HELP: StaffHelpScreen,
    StepId.GOODBYE: GoodbyeScreen,
}
