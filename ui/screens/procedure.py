"""Choosing the procedure: pages of large tiles that fit the screen (no scrolling, no dragging),
what a procedure takes before it is chosen, and the queue number for the counter (docs/ui.md §6)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk import texts
from kiosk.journey.events import Confirmed, ProcedureChosen, TicketRequested
from kiosk.journey.view import StepView
from kiosk.journey.view_data import ProcedureCard
from ui import theme
from ui.screens.base import Screen
from ui.screens.rows import RowsScreen
from ui.widgets import BigButton, Pictogram, label, pictogram

THREE_COLUMNS_FROM = 1700  # px of list width at the 1366×768 design: three columns of tiles
MIN_BUTTON_HEIGHT = 96  # docs/ui.md §5: a primary button's least height


def tile_gap() -> int:
    """≥ 15 mm between choices (docs/ui.md §5), at the screen's scale: read when laid out."""
    return theme.BUTTON_GAP


def _quiet(widget: QWidget) -> QWidget:
    """A part of a tile: the tap goes to the tile."""
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
    return widget


class ProcedureTile(QPushButton):
    """One procedure: its own picture, its plain name, the fee, and "at the counter" if so."""

    def __init__(self, card: ProcedureCard, language: str) -> None:
        super().__init__()
        self.card = card
        self.setAccessibleName(f"{card.name}, {card.fee}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(self.height_px())
        row = QHBoxLayout(self)
        row.setContentsMargins(theme.px(16), theme.px(8), theme.px(16), theme.px(8))
        row.setSpacing(theme.px(16))
        self.picture = _quiet(pictogram(card.pictogram, theme.ICON + theme.px(24)))
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        column = QVBoxLayout()
        column.setSpacing(theme.px(2))
        self.name = _quiet(label(card.name, theme.BUTTON_PX, QFont.Weight.DemiBold))
        assert isinstance(self.name, QLabel)
        column.addWidget(self.name)
        details = card.fee
        if card.at_counter:
            details += " · " + texts.get("ui.at_counter_short", language)  # one line on the tile
        self.details = _quiet(label(details, theme.SMALL_PX, role="muted"))
        column.addWidget(self.details)
        row.addLayout(column, 1)

    @staticmethod
    def height_px() -> int:
        """The least height of a primary button (docs/ui.md §5: 96 px) when the name and the fee
        fit in it on their two lines, so that two rows of tiles fit under the title at 1366×768;
        else what those two lines need."""
        lines = (
            QFontMetrics(theme.font(theme.BUTTON_PX, QFont.Weight.DemiBold)).height()
            + QFontMetrics(theme.font(theme.SMALL_PX)).height()
        )
        return max(theme.px(MIN_BUTTON_HEIGHT), lines + theme.px(2) + 2 * theme.px(8))


class ChooseProcedureScreen(Screen):
    """As many tiles as fit, in pages turned with large "Trang trước" / "Trang sau" buttons."""

    def build(self) -> None:
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(tile_gap())
        self.body.addWidget(self.grid_host, 1)
        self.grid_host.installEventFilter(self)
        self.cards: tuple[ProcedureCard, ...] = ()
        self.procedure_buttons: list[ProcedureTile] = []
        self.page = 0
        self.per_page = 0
        # The pager sits under the tiles, not in the bottom bar: beside "Quay lại" and
        # "Kết thúc" it made the screen wider than a 1366-pixel window.
        self.page_label = label("", theme.SMALL_PX, QFont.Weight.Medium, role="muted", wrap=False)
        self.previous_page = BigButton(
            texts.get("button.page_prev", self.language), "back", parent=None
        )
        self.previous_page.clicked.connect(lambda: self.turn(-1))
        self.next_page = BigButton(texts.get("button.page_next", self.language), "forward", True)
        self.next_page.clicked.connect(lambda: self.turn(1))
        pager = QHBoxLayout()
        pager.setSpacing(tile_gap())
        pager.addStretch(1)
        for widget in (self.previous_page, self.page_label, self.next_page):
            if isinstance(widget, BigButton):
                widget.setMinimumWidth(theme.CHOICE_WIDTH)
            # Hidden on a one-page list, but its room is kept: the tiles that fit are counted
            # from the grid's height, which must not change when the pager shows.
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
            pager.addWidget(widget)
        pager.addStretch(1)
        self.body.addLayout(pager)

    def render_view(self, view: StepView) -> None:
        if view.procedures == self.cards:
            return  # the same list: keep the tiles (a finger may be on one)
        self.cards = view.procedures
        self.page = 0
        self._lay_out()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # The list's own height decides how many tiles fit: it settles after the screen's (the
        # title, the bars and the pager take theirs first), so its resize is the one followed.
        resized = watched is self.grid_host and event.type() == QEvent.Type.Resize
        if resized and self._fit() != self.per_page:
            self._lay_out()
        return super().eventFilter(watched, event)

    def _fit(self) -> int:
        """How many tiles fit the space the list has now (two columns, three on wide screens)."""
        gap = tile_gap()
        rows = max(1, (self.grid_host.height() + gap) // (ProcedureTile.height_px() + gap))
        return self._columns() * rows

    def _columns(self) -> int:
        """Three where the list is wide for the scaled design (not merely many pixels wide)."""
        return 3 if self.grid_host.width() >= theme.px(THREE_COLUMNS_FROM) else 2

    def turn(self, pages: int) -> None:
        self.page = max(0, min(self.page + pages, self.page_count() - 1))
        self._lay_out()

    def page_count(self) -> int:
        return max(1, -(-len(self.cards) // max(self.per_page, 1)))

    def _lay_out(self) -> None:
        self.per_page = self._fit()
        self.page = min(self.page, self.page_count() - 1)
        for tile in self.procedure_buttons:
            self.grid.removeWidget(tile)
            tile.hide()  # not drawn under the new page's tiles until it is deleted
            tile.deleteLater()
        self.procedure_buttons = []
        columns = self._columns()
        start = self.page * self.per_page
        for index, card in enumerate(self.cards[start : start + self.per_page]):
            tile = ProcedureTile(card, self.language)
            tile.clicked.connect(lambda _=False, c=card.code: self.send(ProcedureChosen(c)))
            tile.pressed.connect(self.pressed)
            self.grid.addWidget(tile, index // columns, index % columns, Qt.AlignmentFlag.AlignTop)
            self.procedure_buttons.append(tile)
        rows = -(-self.per_page // columns)
        for row in range(rows + 1):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch(rows, 1)
        for column in range(columns):
            self.grid.setColumnStretch(column, 1)
        # Placed and shown now, not on the next loop: the first frame of a page has its tiles,
        # each in its own place.
        self.grid.activate()
        for tile in self.procedure_buttons:
            tile.show()
        pages = self.page_count()
        several = pages > 1
        self.page_label.setVisible(several)
        self.page_label.setText(
            texts.get("ui.page", self.language, value=f"{self.page + 1}/{pages}")
        )
        self.previous_page.setVisible(several)
        self.next_page.setVisible(several)
        self.previous_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < pages - 1)

    def main_choices(self) -> list[BigButton]:
        return [*self.procedure_buttons, *super().main_choices()]  # type: ignore[list-item]


class ProcedureDetailScreen(RowsScreen):
    """What the procedure takes, before choosing it: papers, who comes, fee, days."""

    pictogram_name = "document"
    big_size = "BODY_PX"

    def build_actions(self) -> None:
        super().build_actions()
        self.choose = self.add_action("choose_this", "check", Confirmed())
        self.ticket = self.add_action("take_ticket", "staff", TicketRequested())

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        if isinstance(self.picture, Pictogram) and view.pictogram:
            self.picture.set_name(view.pictogram)
        at_counter = bool(view.notice)
        self.choose.setVisible(not at_counter)
        self.ticket.setVisible(at_counter)


class CounterTicketScreen(RowsScreen):
    """The queue number, large: the officer calls it."""

    pictogram_name = "staff"
    big_size = "BIG_NUMBER_PX"

    def build_actions(self) -> None:
        super().build_actions()
        self.done = self.add_action("done", "check", Confirmed())
