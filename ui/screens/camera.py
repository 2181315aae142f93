"""Steps that look through the camera or wait for the card: QR, card, face."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ui.animation import LookAtCameraAnimation, PlaceCardAnimation
from ui.camera_preview import CameraPreview
from ui.screens.instruction import WaitingScreen


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
