"""The form: what the chip cannot know, one field at a time."""

from __future__ import annotations

from kiosk.journey.events import Confirmed, FieldCorrected
from kiosk.journey.texts import button
from kiosk.journey.view import StepView
from ui import theme
from ui.screens.keyboard import VietnameseKeyboard
from ui.screens.rows import RowsScreen
from ui.widgets import BigButton


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
