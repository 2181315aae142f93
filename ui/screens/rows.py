"""Labelled values, large: the base of the form, review, status and result screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from kiosk.journey.view import Row, StepView
from ui import theme
from ui.screens.instruction import InstructionScreen
from ui.widgets import RevealButton, label


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

    big_size = "TITLE_PX"  # the theme size of the values, read when shown: it follows the screen

    @property
    def big_px(self) -> int:
        return int(getattr(theme, self.big_size))

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
            old.hide()  # not drawn under the new rows until it is deleted
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
