"""80 mm thermal slips rendered as 1-bit rasters, and their ESC/POS encoding."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from printing import fonts
from printing.escpos import encode
from printing.samples import (
    sample_activation,
    sample_offline,
    sample_receipt,
    sample_ticket,
)
from printing.slip import DOTS_80MM, activation_slip, offline_slip, queue_ticket, receipt_slip


def _qr_text(image: Image.Image) -> str:
    grey = np.array(image.convert("L"))
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(grey)
    return str(text)


def test_receipt_slip_is_an_80mm_one_bit_raster() -> None:
    slip = receipt_slip(sample_receipt())
    assert slip.image.mode == "1"
    assert slip.image.width == DOTS_80MM


def test_receipt_slip_qr_decodes_to_the_dossier_code() -> None:
    data = sample_receipt()
    assert _qr_text(receipt_slip(data).image) == data.dossier_code


def test_receipt_slip_carries_code_return_day_time_fee_and_next_steps() -> None:
    data = sample_receipt()
    texts = receipt_slip(data).texts
    assert "000.00.12.H56-250815-0007" in texts
    assert "Thứ Hai, 18/8/2025" in texts
    assert "lúc 09:30" in texts
    assert "Phí: 8.000 đồng (chưa nộp)" in texts
    assert all(f"• {step}" in texts for step in data.next_steps)


def test_kiosk_reference_slip_says_it_is_not_the_official_code() -> None:
    texts = receipt_slip(sample_receipt(kiosk_reference=True)).texts
    assert "Mã tham chiếu ki-ốt:" in texts
    assert "Chưa phải mã hồ sơ chính thức. Cán bộ sẽ báo mã chính thức." in texts


def test_inverted_warning_band_is_black_with_white_text() -> None:
    plain = receipt_slip(sample_receipt()).image
    marked = receipt_slip(sample_receipt(kiosk_reference=True)).image
    rows_mostly_black = lambda im: int((np.array(im.convert("L")).mean(axis=1) < 100).sum())  # noqa: E731
    assert rows_mostly_black(marked) > rows_mostly_black(plain) + 40


def test_printed_time_is_added_when_given() -> None:
    slip = receipt_slip(sample_receipt(), printed_at=datetime(2025, 8, 15, 9, 31))
    assert slip.texts[-1] == "In lúc 09:31 ngày 15/8/2025"


@pytest.mark.parametrize(
    ("render", "expected"),
    [
        (lambda: offline_slip(sample_offline()), "K-000.00.12.H56-250815-0007"),
        (lambda: activation_slip(sample_activation()), "https://dichvucong.gov.vn"),
    ],
)
def test_other_slips_carry_a_readable_qr(render: object, expected: str) -> None:
    assert callable(render)
    assert _qr_text(render().image) == expected


def test_offline_slip_tells_the_citizen_it_will_be_sent() -> None:
    texts = offline_slip(sample_offline()).texts
    assert "Hồ sơ sẽ được gửi lên hệ thống khi có mạng. Ông/bà không cần làm lại." in texts


def test_queue_ticket_prints_the_number_and_people_ahead() -> None:
    texts = queue_ticket(sample_ticket()).texts
    assert "A015" in texts and "Đang có 3 người chờ trước ông/bà." in texts


def test_long_values_wrap_inside_the_paper_width() -> None:
    data = dataclasses.replace(sample_receipt(), request="Đăng ký " * 40)
    slip = receipt_slip(data)
    assert slip.image.width == DOTS_80MM
    assert slip.image.height > receipt_slip(sample_receipt()).image.height + 200


def test_every_vietnamese_letter_has_a_real_glyph_in_the_raster_font() -> None:
    font = fonts.raster_font(30)

    def glyph(char: str) -> bytes:
        image = Image.new("L", (60, 60), 0)
        ImageDraw.Draw(image).text((10, 5), char, font=font, fill=255)
        return image.tobytes()

    missing = glyph("\U000f0000")  # a private-use code point: the .notdef box
    letters = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    letters += letters.upper()
    assert [c for c in letters if glyph(c) == missing] == []


def test_escpos_job_starts_with_init_carries_the_raster_and_ends_with_a_cut() -> None:
    slip = receipt_slip(sample_receipt())
    data = encode(slip.image)
    assert data.startswith(b"\x1b@\x1dv0\x00")
    assert data[6:8] == (DOTS_80MM // 8).to_bytes(2, "little")  # xL xH: bytes per row
    assert data.endswith(b"\x1dVB\x00")


def test_native_qr_is_sent_as_gs_paren_k_when_asked() -> None:
    data = encode(receipt_slip(sample_receipt()).image, native_qr="000.00.12.H56-250815-0007")
    assert b"\x1d(k\x1c\x001P0000.00.12.H56-250815-0007" in data


def test_cached_glyph_text_measures_like_pillows_own_basic_layout() -> None:
    from printing import raster_text

    line = "Nguyễn Thị Hằng — Phí: 8.000 đồng (chưa nộp)"
    for bold in (False, True):
        expected = fonts.raster_font(30, bold).getlength(line)
        assert abs(raster_text.width(line, 30, bold) - expected) < 1.0


def test_cached_glyph_text_draws_the_same_pixels_as_pillow() -> None:
    from printing import raster_text

    line = "Giấy hẹn trả kết quả"
    ours = Image.new("1", (500, 50), 1)
    raster_text.draw(ours, 4, 2, line, 30)
    pillows = Image.new("1", (500, 50), 1)
    ImageDraw.Draw(pillows).text((4, 2), line, font=fonts.raster_font(30), fill=0)
    differing = sum(a != b for a, b in zip(ours.tobytes(), pillows.tobytes(), strict=True))
    assert differing <= len(ours.tobytes()) // 100  # sub-pixel pen rounding only
