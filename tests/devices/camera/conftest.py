from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

FACES = Path(__file__).resolve().parents[3] / "assets" / "faces"


@pytest.fixture(scope="session")
def face_model():
    from devices.camera.face import DlibFaceModel

    return DlibFaceModel()


def face_photo(name: str) -> np.ndarray:
    image = cv2.imread(str(FACES / name))
    assert image is not None, name
    return image


def photo_bytes(name: str) -> bytes:
    return (FACES / name).read_bytes()
