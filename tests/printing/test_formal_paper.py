"""What the printed paper says to and about people: the formal address, the officer's place to
countersign, the agency per procedure, the fee's VietQR on the slip (docs/domain.md §7, §8)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from printing.model import FORM_CT04
from printing.receipt import copy_text, receipt_pdf
from printing.samples import (
    sample_activation,
    sample_offline,
    sample_receipt,
    sample_report,
    sample_ticket,
)
from printing.slip import activation_slip, offline_slip, queue_ticket, receipt_slip
from tests.printing.pdf_tools import decode_qr_codes_zxing, needs_poppler, pdf_text

PAPERS = {
    "mau-01": lambda: copy_text(sample_receipt(), 1),
    "kiosk-reference": lambda: copy_text(sample_receipt(kiosk_reference=True), 1),
    "ct04": lambda: copy_text(sample_receipt(form=FORM_CT04), 1),
    "slip": lambda: list(receipt_slip(sample_receipt()).texts),
    "activation": lambda: list(activation_slip(sample_activation()).texts),
    "offline": lambda: list(offline_slip(sample_offline()).texts),
    "ticket": lambda: list(queue_ticket(sample_ticket()).texts),
}


@pytest.mark.parametrize("paper", PAPERS)
def test_paper_never_calls_the_citizen_bac(paper: str) -> None:
    assert not [line for line in PAPERS[paper]() if "Bác" in line or "BÁC" in line]


def test_the_kiosk_reference_explanation_addresses_the_citizen_as_ong_ba() -> None:
    assert any("Ông/bà dùng mã tham chiếu" in t for t in PAPERS["kiosk-reference"]())


@needs_poppler
@pytest.mark.parametrize("form", ["01", FORM_CT04])
def test_the_receivers_signature_place_is_left_for_the_officer(form: str) -> None:
    data = sample_receipt(form=form)
    text = " ".join(pdf_text(receipt_pdf(data), 2).split())
    tail = text[text.index("NGƯỜI NỘP HỒ SƠ") :]
    assert "Ki-ốt" not in tail.replace(data.channel, "")
    assert data.channel in text  # the kiosk is named as the way in, not as the signer


@needs_poppler
def test_the_residence_receipt_is_headed_by_the_commune_police_alone() -> None:
    text = pdf_text(receipt_pdf(sample_receipt(form=FORM_CT04)), 1)
    header = text[: text.index("PHIẾU TIẾP NHẬN")]
    assert "CÔNG AN XÃ DEMO" in header
    assert "UBND" not in header and "BỘ PHẬN TIẾP NHẬN" not in header


def _qr_codes(slip_image: object) -> set[str]:
    grey = np.array(slip_image.convert("L"))  # type: ignore[attr-defined]
    return decode_qr_codes_zxing(np.stack([grey] * 3, axis=-1))


def test_a_slip_with_an_unpaid_fee_prints_the_vietqr_with_amount_and_payee() -> None:
    data = sample_receipt()
    slip = receipt_slip(data)
    assert data.vietqr_payload in _qr_codes(slip.image)
    assert "Số tiền: 8.000 đồng" in slip.texts
    assert "Người nhận: UBND xã Demo, tài khoản KIOSKDEMO0001" in slip.texts


def test_a_slip_with_the_fee_paid_prints_no_vietqr() -> None:
    paid = dataclasses.replace(sample_receipt(), fee_paid=True)
    assert _qr_codes(receipt_slip(paid).image) == {paid.dossier_code}


def test_the_slip_and_the_receipt_call_the_paper_giay_hen() -> None:
    lines = list(receipt_slip(sample_receipt()).texts) + copy_text(sample_receipt(), 1)
    said = " ".join(lines).lower()
    assert "giấy hẹn" in said and "phiếu hẹn" not in said


def test_report_bars_carry_their_values_and_differ_in_grey() -> None:
    from reportlab.graphics.shapes import Rect, String

    from printing.report import FAILURE, SUCCESS, procedure_chart

    report = sample_report()
    shapes = list(_flatten(procedure_chart(report)))
    labels = [s.text for s in shapes if isinstance(s, String)]
    for count in report.procedures:
        assert str(count.succeeded) in labels
        if count.failed:
            assert str(count.failed) in labels
    assert labels.count("0") <= 1  # an empty segment is not labelled (the axis has one 0)

    def grey(colour: object) -> float:
        r, g, b = colour.red, colour.green, colour.blue  # type: ignore[attr-defined]
        return 0.299 * r + 0.587 * g + 0.114 * b

    assert abs(grey(SUCCESS) - grey(FAILURE)) > 0.4
    fills = {s.fillColor for s in shapes if isinstance(s, Rect) and s.fillColor is not None}
    assert {SUCCESS, FAILURE} <= fills


def _flatten(node: object):  # type: ignore[no-untyped-def]
    from reportlab.graphics.shapes import Group

    if isinstance(node, Group):
        for child in node.getContents():
            yield from _flatten(child)
    elif hasattr(node, "draw") and not hasattr(node, "text"):  # a chart widget: expand it
        yield from _flatten(node.draw())  # type: ignore[attr-defined]
    else:
        yield node


@needs_poppler
def test_the_report_prints_the_day_as_decree_30_writes_it() -> None:
    from printing.report import report_pdf

    assert "Ngày 15/8/2025" in pdf_text(report_pdf(sample_report()), 1)


def test_the_screens_and_the_voice_call_that_paper_giay_hen_too() -> None:
    from kiosk.texts.catalogue import DATA_DIR, read_language

    said = " ".join(read_language(DATA_DIR / "vi.toml").values()).lower()
    assert "giấy hẹn" in said and "phiếu hẹn" not in said
