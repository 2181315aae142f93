import numpy as np
import pytest

from devices.camera.qr import guide_rect, make_decoder
from devices.camera.synthetic import EXAMPLE_QR_TEXT, Pose, card_image, place, qr_centre


def _card_frame(text: str = EXAMPLE_QR_TEXT) -> np.ndarray:
    return place(card_image(text), Pose(width_fraction=1.5, rotate_deg=5, anchor=qr_centre()))


@pytest.mark.parametrize("decoder", ["zxing", "opencv"])
def test_decoder_reads_the_vietnamese_utf8_text_of_a_card_qr(decoder):
    # docs/domain.md §3: CCCD 2021 QR text, UTF-8, `|`-separated
    assert make_decoder(decoder).decode(_card_frame()) == EXAMPLE_QR_TEXT


@pytest.mark.parametrize("decoder", ["zxing", "opencv"])
def test_decoder_returns_none_when_no_qr_is_in_view(decoder):
    assert make_decoder(decoder).decode(np.full((480, 640, 3), 128, np.uint8)) is None


def test_unknown_decoder_name_is_refused():
    with pytest.raises(ValueError, match="unknown QR decoder"):
        make_decoder("wechat")


def test_guide_rectangle_is_a_centred_square_inside_the_frame():
    x, y, w, h = guide_rect(640, 480)
    assert w == h
    assert x + w / 2 == 320 and y + h / 2 == 240
    assert x >= 0 and y >= 0 and x + w <= 640 and y + h <= 480
