"""The review of the whole dossier before it is sent: every value, the papers as photographed
(small pictures), and the fee."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.journey.events import Confirmed
from kiosk.journey.view import StepView
from kiosk.journey.view_data import Thumbnail
from ui import theme
from ui.screens.rows import RowsScreen

THUMBNAIL_PX = 120


def thumbnail_pixmap(thumbnail: Thumbnail) -> QPixmap | None:
    image = QImage.fromData(thumbnail.image)
    if image.isNull():
        return None
    return QPixmap.fromImage(
        image.scaled(
            theme.px(THUMBNAIL_PX),
            theme.px(THUMBNAIL_PX),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )


class ReviewScreen(RowsScreen):
    pictogram_name = "document"
    big_size = "BODY_PX"

    def build_actions(self) -> None:
        super().build_actions()
        # The pictures scroll with the rows (below the last one): the window never grows.
        self.thumbnail_strip = QWidget()
        self.thumbnail_row = QHBoxLayout(self.thumbnail_strip)
        self.thumbnail_row.setContentsMargins(0, 0, 0, 0)
        self.thumbnail_row.setSpacing(16)
        self.thumbnail_row.addStretch(1)
        self.thumbnails: list[QLabel] = []
        self.thumbnails_shown: tuple[Thumbnail, ...] = ()
        self.send_button = self.add_action("send", "check", Confirmed())

    def render_view(self, view: StepView) -> None:
        super().render_view(view)
        last = len(view.rows)
        self.rows_host.removeWidget(self.thumbnail_strip)
        self.rows_host.addWidget(self.thumbnail_strip, last, 0, 1, 2)
        for index in range(self.rows_host.rowCount()):
            self.rows_host.setRowStretch(index, 1 if index == last + 1 else 0)
        if view.thumbnails == self.thumbnails_shown:
            return
        self.thumbnails_shown = view.thumbnails
        for old in self.thumbnails:
            self.thumbnail_row.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.thumbnails = []
        for index, thumbnail in enumerate(view.thumbnails):
            pixmap = thumbnail_pixmap(thumbnail)
            picture = QLabel()
            picture.setAccessibleName(thumbnail.name)
            picture.setFixedSize(theme.px(THUMBNAIL_PX), theme.px(THUMBNAIL_PX))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setStyleSheet(f"border: 2px solid {theme.BORDER};")
            if pixmap is not None:
                picture.setPixmap(pixmap)
            self.thumbnail_row.insertWidget(index, picture)
            self.thumbnails.append(picture)
