"""The staff's daily report PDF."""

from __future__ import annotations

import dataclasses

from printing.model import StepTime
from printing.report import report_pdf, report_text
from printing.samples import sample_report
from tests.printing.pdf_tools import needs_poppler, page_count, pdf_text, words


@needs_poppler
def test_report_text_equals_the_source_plus_chart_labels() -> None:
    report = sample_report()
    pdf = report_pdf(report)
    extracted = sum((words(pdf_text(pdf, p)) for p in range(1, page_count(pdf) + 1)), words(""))
    expected = words(report_text(report))
    assert expected - extracted == words("")  # every line of the report is there
    chart_only = extracted - expected  # what is left: chart axes, category names and legend
    assert words([p.name for p in report.procedures]) - chart_only == words("")
    assert words("Thành công Không thành công") - chart_only == words("")


def test_totals_add_up_successes_and_failures() -> None:
    assert "Tổng số lượt làm thủ tục: 71 — thành công: 61, không thành công: 10" in report_text(
        sample_report()
    )


def test_a_day_without_incidents_says_so() -> None:
    report = dataclasses.replace(sample_report(), incidents=())
    assert report_text(report)[-1] == "Không có sự cố."


def test_step_times_read_in_minutes_and_seconds() -> None:
    assert "Điền tờ khai: 1 phút 35 giây (50 lượt)" in report_text(sample_report())


def test_step_times_under_ten_seconds_keep_a_tenth_with_a_decimal_comma() -> None:
    report = dataclasses.replace(sample_report(), step_times=(StepTime("Đồng ý", 0.26, 6),))
    assert "Đồng ý: 0,3 giây (6 lượt)" in report_text(report)


def test_notes_follow_under_their_own_heading() -> None:
    report = dataclasses.replace(sample_report(), notes=("Lượt sử dụng: 6",))
    assert report_text(report)[-2:] == ["4. Ghi chú", "Lượt sử dụng: 6"]


@needs_poppler
def test_an_empty_day_still_renders_a_report() -> None:
    empty = dataclasses.replace(sample_report(), procedures=(), step_times=(), incidents=())
    assert "Tổng số lượt làm thủ tục: 0" in pdf_text(report_pdf(empty), 1)


def test_a_long_procedure_name_is_shortened_in_the_chart_to_stay_on_the_page() -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from printing import fonts
    from printing.model import ProcedureCount
    from printing.report import LEFT, _fit

    name = "Cấp đổi giấy phép lái xe (hướng dẫn và nộp trực tuyến)"
    label = _fit(name, 73 * mm)
    assert label.endswith("…") and name.startswith(label[:-1])
    assert stringWidth(label, fonts.REGULAR, 9) <= 73 * mm < LEFT + 59 * mm
    report = dataclasses.replace(sample_report(), procedures=(ProcedureCount(name, 1, 0),))
    assert f"{name}: 1 thành công, 0 không thành công" in report_text(report)
