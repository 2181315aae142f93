"""The papers under the camera."""

from __future__ import annotations

from ui.screens.camera import CameraScreen


class DocumentsScreen(CameraScreen):
    """The page under the camera, with the sheet's outline to fit it into."""

    pictogram_name = "document"
    guide = "page"
