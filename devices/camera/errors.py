"""Typed errors of the camera package.

Every failure is a `CameraError` with a stable `code`; the kiosk maps each code to one citizen text
and one staff text (`[error.<code>]` in kiosk/texts/vi.toml).
"""

from __future__ import annotations


class CameraError(Exception):
    """Something went wrong with the camera or with what it saw."""

    code = "camera_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or (self.__doc__ or self.__class__.__name__).strip())


class CameraUnavailable(CameraError):
    """No camera could be opened (not plugged in, busy, or no such index/path)."""

    code = "camera_unavailable"


class ImageUnreadable(CameraError):
    """The image bytes or file could not be decoded."""

    code = "camera_image_unreadable"


class ImageTooLarge(ImageUnreadable):
    """The image has more bytes or declares more pixels than the kiosk decodes."""

    code = "camera_image_too_large"


class NoFaceFound(CameraError):
    """No face was found in the image."""

    code = "face_not_found"


class SeveralFaces(CameraError):
    """More than one face was found where exactly one is needed."""

    code = "face_several"


class QrNotFound(CameraError):
    """No readable QR code was found before the time ran out."""

    code = "qr_not_found"


class DocumentNotFound(CameraError):
    """No paper with four clear edges was found in the image."""

    code = "document_not_found"
