"""The fee: amount, who receives it and the VietQR, or pay at the counter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QLabel

from kiosk.journey.events import PayAtCounter
from kiosk.journey.view import StepView
from ui import theme
from ui.screens.instruction import InstructionScreen
from ui.widgets import label


class FeeScreen(InstructionScreen):
    pictogram_name = "money"

    def build_actions(self) -> None:
        self.amount = label("", theme.BIG_NUMBER_PX, QFont.Weight.Bold)
        self.amount.setAccessibleName("lệ phí")
        self.extra.addWidget(self.amount)
        # The payee, as the bank app will show it: the citizen checks before paying.
        self.payee = label("", theme.BODY_PX, QFont.Weight.DemiBold)
        self.payee.setAccessibleName("người nhận")
        self.extra.addWidget(self.payee)
        # "Máy đang chờ tiền lệ phí." is shown as well as spoken.
        self.waiting = label("", theme.BODY_PX, QFont.Weight.Medium, role="banner")
        self.waiting.setAccessibleName("trạng thái")
        self.extra.addWidget(self.waiting)
        self.extra.addStretch(1)
        self.qr = QLabel()
        self.qr.setAccessibleName("VietQR")
        self.row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.counter = self.add_action("pay_counter", "money", PayAtCounter(), False)
        self.qr_shown = ""

    def render_view(self, view: StepView) -> None:
        self.amount.setText(view.big_text)
        self.payee.setText("\n".join(f"{row.label}: {row.value}" for row in view.rows))
        self.payee.setVisible(bool(view.rows))
        self.waiting.setText(view.notice)
        self.waiting.setVisible(bool(view.notice))
        if view.qr_payload == self.qr_shown:
            return  # drawn once per payment request, not on every refresh
        self.qr_shown = view.qr_payload
        if view.qr_payload:
            from ui.qr_image import qr_image  # not on the start-up path

            # ≈ 300 px: fits beside the text at 1366×768, large enough for a phone camera.
            self.qr.setPixmap(QPixmap.fromImage(qr_image(view.qr_payload, 5)))
        else:
            self.qr.clear()
