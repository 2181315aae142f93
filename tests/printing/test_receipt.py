"""The A4 receipt (docs/domain.md §7: Mẫu số 01, Circular 01/2018/TT-VPCP; CT04 for residence)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

from printing.model import FORM_CT04
from printing.receipt import KIOSK_REFERENCE_WARNING, copy_text, receipt_pdf
from printing.samples import sample_receipt
from tests.printing.pdf_tools import (
    decode_code128,
    decode_qr_codes,
    decode_qr_codes_zxing,
    needs_poppler,
    page_count,
    pdf_text,
    render_page,
    words,
)

VARIANTS = {
    "mau-01": sample_receipt(),
    "kiosk-reference": sample_receipt(kiosk_reference=True),
    "ct04": sample_receipt(form=FORM_CT04),
}


@needs_poppler
@pytest.mark.parametrize("variant", VARIANTS)
def test_each_copy_is_one_page_whose_text_equals_the_vietnamese_source(variant: str) -> None:
    data = VARIANTS[variant]
    pdf = receipt_pdf(data)
    assert page_count(pdf) == 2
    for copy in (0, 1):
        assert words(pdf_text(pdf, copy + 1)) == words(copy_text(data, copy))


@needs_poppler
def test_copies_are_marked_lien_1_and_lien_2() -> None:
    pdf = receipt_pdf(sample_receipt())
    assert "(Liên 1: lưu tại Bộ phận tiếp nhận và trả kết quả)" in pdf_text(pdf, 1)
    assert "(Liên 2: giao cho người nộp hồ sơ)" in pdf_text(pdf, 2)


@needs_poppler
def test_every_field_of_mau_01_is_printed_with_its_value() -> None:
    text = " ".join(pdf_text(receipt_pdf(sample_receipt()), 1).split())
    for expected in (
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Demo, ngày 15 tháng 8 năm 2025",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.00.12.H56-250815-0007",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Hằng",
        "Số điện thoại: 09******78",
        "1) Tờ khai cấp bản sao trích lục hộ tịch",
        "2. Số lượng hồ sơ: 1 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 1 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 15/8/2025",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày 18/8/2025",
        "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa UBND xã Demo",
        "7. Phí, lệ phí: 8.000 đồng (chưa nộp)",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 03/2025, Số thứ tự: 0007",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ):
        assert expected in text


@needs_poppler
def test_kiosk_reference_is_labelled_and_boxed_as_not_the_official_code() -> None:
    text = " ".join(pdf_text(receipt_pdf(sample_receipt(kiosk_reference=True)), 2).split())
    assert "Mã tham chiếu của ki-ốt: K-000.00.12.H56-250815-0007" in text
    assert KIOSK_REFERENCE_WARNING in text
    assert "Mã hồ sơ:" not in text


@needs_poppler
def test_ct04_variant_has_its_own_title_and_masks_the_id_number_as_mau_01() -> None:
    text = " ".join(pdf_text(receipt_pdf(sample_receipt(form=FORM_CT04)), 1).split())
    assert "PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Mẫu CT04" in text
    assert "Số định danh cá nhân: 001******345" in text


@functools.cache
def _citizen_copy_at_200_dpi(variant: str) -> np.ndarray:
    return render_page(receipt_pdf(VARIANTS[variant]), 2, dpi=200)


@needs_poppler
@pytest.mark.parametrize("variant", VARIANTS)
def test_status_qr_at_200_dpi_decodes_with_opencv_to_the_dossier_code(variant: str) -> None:
    data = VARIANTS[variant]
    assert data.dossier_code in decode_qr_codes(_citizen_copy_at_200_dpi(variant))


@needs_poppler
@pytest.mark.parametrize("variant", VARIANTS)
def test_code128_at_200_dpi_decodes_to_the_dossier_code(variant: str) -> None:
    data = VARIANTS[variant]
    assert decode_code128(_citizen_copy_at_200_dpi(variant)) == {data.dossier_code}


@needs_poppler
def test_unpaid_fee_prints_the_vietqr_and_a_paid_one_does_not() -> None:
    unpaid = sample_receipt()
    paid = dataclasses.replace(unpaid, fee_paid=True)
    assert unpaid.vietqr_payload in decode_qr_codes_zxing(render_page(receipt_pdf(unpaid), 1))
    assert decode_qr_codes_zxing(render_page(receipt_pdf(paid), 1)) == {paid.dossier_code}


@needs_poppler
def test_long_document_list_continues_on_a_further_page_without_losing_text() -> None:
    data = dataclasses.replace(
        sample_receipt(), documents=tuple(f"Giấy tờ kèm theo số {i}" for i in range(1, 41))
    )
    pdf = receipt_pdf(data)
    pages = page_count(pdf)
    assert pages > 2
    extracted = sum((words(pdf_text(pdf, p)) for p in range(1, pages + 1)), start=words(""))
    continuation = words(" ".join(["(tiếp theo)"] * (pages - 2)))
    assert extracted == words(copy_text(data, 0) + copy_text(data, 1)) + continuation


def test_fonts_are_embedded_in_the_pdf() -> None:
    pdf = receipt_pdf(sample_receipt())
    assert b"/FontFile2" in pdf  # TrueType programs embedded (subsets of Be Vietnam Pro)
