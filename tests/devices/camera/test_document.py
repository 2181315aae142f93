import re

import numpy as np
import pytest

from devices.camera.document import (
    SteadyCapture,
    capture_document,
    encode_jpeg,
    enhance,
    find_page,
    flatten,
    pdf_from_jpegs,
)
from devices.camera.errors import DocumentNotFound
from devices.camera.sample_scenes import SampleCamera, document_page
from devices.camera.synthetic import Pose, place

A4_RATIO = 297 / 210


def _slanted_page() -> np.ndarray:
    return place(document_page(), Pose(0.4, rotate_deg=-8, tilt=0.1), background=(50, 55, 60))


def test_the_four_corners_of_a_slanted_page_are_found():
    corners = find_page(_slanted_page())
    assert corners is not None and corners.shape == (4, 2)
    top_left, top_right, bottom_right, bottom_left = corners
    assert top_left[0] < top_right[0] and top_left[1] < bottom_left[1]
    assert bottom_right[0] > bottom_left[0] and bottom_right[1] > top_right[1]


def test_flattened_page_keeps_about_the_a4_aspect_ratio():
    frame = _slanted_page()
    page = flatten(frame, find_page(frame))
    assert page.shape[0] / page.shape[1] == pytest.approx(A4_RATIO, rel=0.08)


def test_enhance_evens_out_light_that_falls_off_across_the_page():
    page = document_page(420).astype(np.float32)
    falloff = np.linspace(1.0, 0.45, page.shape[1])[None, :, None]
    shaded = (page * falloff).astype(np.uint8)
    paper = shaded[:, :, 0] > 100
    assert enhance(shaded)[paper].std() < 0.3 * shaded[:, :, 0][paper].std()


def test_picture_without_a_page_raises_document_not_found():
    with pytest.raises(DocumentNotFound):
        capture_document(np.full((480, 640, 3), 90, np.uint8))


def test_auto_capture_waits_until_the_page_lies_still():
    camera = SampleCamera("document")  # the page moves for 10 frames, then lies still
    camera.open()
    steady = SteadyCapture(frames=8)
    states = [steady.update(camera.read())[0] for _ in range(30)]
    first_capture = states.index("capture")
    assert first_capture >= 10 + 8 - 1
    assert "no_page" not in states[:first_capture]


def test_pdf_holds_one_page_per_jpeg_with_a_correct_cross_reference_table():
    jpeg = encode_jpeg(np.full((200, 140), 230, np.uint8))
    pdf = pdf_from_jpegs([jpeg, jpeg, jpeg])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Count 3" in pdf and pdf.count(b"/Type /Page ") == 3
    xref_at = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    entries = re.findall(rb"(\d{10}) 00000 n", pdf[xref_at:])
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)


def test_pdf_needs_at_least_one_page():
    with pytest.raises(ValueError):
        pdf_from_jpegs([])
