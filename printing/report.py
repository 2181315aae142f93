"""The staff's daily report (A4 PDF): dossiers per procedure, successes and failures, the typical
(median) time of each journey step, device incidents and notes, with bar charts. Counts only, no
personal data."""

from __future__ import annotations

import math

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing import fonts, wording
from printing.model import DailyReport
from printing.pdf_document import a4_pdf
from printing.receipt import wrap

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 18 * mm, 18 * mm, 16 * mm, 16 * mm
WIDTH = PAGE_W - LEFT - RIGHT
# Light and dark fills, so the series differ in black and white too; each bar also carries its
# value as a number (a photocopy keeps the numbers, not the colours).
SUCCESS = colors.HexColor("#A5D6A7")
FAILURE = colors.HexColor("#8E1B1B")
NEUTRAL = colors.HexColor("#90CAF9")
LABEL_ON = {SUCCESS: colors.black, FAILURE: colors.white, NEUTRAL: colors.black}
TITLE = "BÁO CÁO HOẠT ĐỘNG KI-ỐT TRONG NGÀY"
STEPS_HEADING = "2. Thời gian mỗi bước của người dân (giây; trung vị: một nửa số lượt nhanh hơn)"
NOTES_HEADING = "4. Ghi chú"


def _minutes_seconds(seconds: float) -> str:
    """`95` → `1 phút 35 giây`; `12.4` → `12 giây`; `0.25` → `0,3 giây` (decimal comma)."""
    whole = round(seconds)
    if whole >= 60:
        return f"{whole // 60} phút {whole % 60:02d} giây"
    if seconds < 9.95:
        return f"{seconds:.1f}".replace(".", ",") + " giây"
    return f"{whole} giây"


def report_text(report: DailyReport) -> list[str]:
    """The report's text lines (besides chart axis labels), in order."""
    succeeded = sum(p.succeeded for p in report.procedures)
    failed = sum(p.failed for p in report.procedures)
    lines = [
        report.office_name.upper(),
        TITLE,
        f"Ngày {wording.numeric_date(report.day)} — lập lúc "
        f"{wording.short_moment(report.generated_at)}",
        f"Tổng số lượt làm thủ tục: {succeeded + failed} — thành công: {succeeded}, "
        f"không thành công: {failed}",
        "1. Kết quả theo thủ tục (nhạt: thành công, đậm: không thành công)",
    ]
    lines += [f"{p.name}: {p.succeeded} thành công, {p.failed} không thành công" for p in
              report.procedures]  # fmt: skip
    lines.append(STEPS_HEADING)
    lines += [f"{s.step}: {_minutes_seconds(s.median_s)} ({s.samples} lượt)" for s in
              report.step_times]  # fmt: skip
    lines.append("3. Sự cố thiết bị")
    if report.incidents:
        lines += [f"{i.at:%H:%M} {i.device}: {i.description} ({i.code})" for i in report.incidents]
    else:
        lines.append("Không có sự cố.")
    if report.notes:
        lines.append(NOTES_HEADING)
        lines += list(report.notes)
    return [fonts.nfc(line) for line in lines]


class _Page:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = PAGE_H - TOP

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self.y = PAGE_H - TOP

    def text(self, text: str, size: float = 11, bold: bool = False, centre: bool = False) -> None:
        font = fonts.BOLD if bold else fonts.REGULAR
        for line in wrap(fonts.nfc(text), font, size, WIDTH):
            self.need(size * 1.5)
            self.y -= size * 1.5
            self.canvas.setFont(font, size)
            if centre:
                self.canvas.drawCentredString(LEFT + WIDTH / 2, self.y, line)
            else:
                self.canvas.drawString(LEFT, self.y, line)

    def drawing(self, drawing: Drawing) -> None:
        self.need(drawing.height + 4 * mm)
        self.y -= drawing.height + 2 * mm
        renderPDF.draw(drawing, self.canvas, LEFT, self.y)
        self.y -= 2 * mm


def _fit(label: str, width: float, size: float = 9) -> str:
    """`label` shortened with "…" to `width` (the full name is in the lines under the chart)."""
    text = fonts.nfc(label)
    if stringWidth(text, fonts.REGULAR, size) <= width:
        return text
    while text and stringWidth(text + "…", fonts.REGULAR, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _chart_height(rows: int) -> float:
    return max(1, rows) * 8 * mm + 14 * mm


def _bar_chart(
    labels: list[str],
    series: list[list[float]],
    fills: list[colors.Color],
    stacked: bool,
    counts: bool = False,
) -> Drawing:
    label_w = 62 * mm
    height = _chart_height(len(labels))
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, 10 * mm
    chart.width, chart.height = WIDTH - label_w - 8 * mm, height - 14 * mm
    chart.data = series
    # A label may reach into the left margin, not past the page edge.
    chart.categoryAxis.categoryNames = [
        _fit(label, label_w - 3 * mm + LEFT - 4 * mm) for label in labels
    ]
    chart.categoryAxis.reverseDirection = True  # first item on top
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    if counts:  # whole numbers on the axis: 0, 1, 2 … (not 0.5 of a dossier)
        top = max((sum(column) for column in zip(*series, strict=True)), default=0)
        step = max(1, math.ceil(top / 6))
        chart.valueAxis.valueStep = step
        chart.valueAxis.valueMax = max(step, step * math.ceil(top / step))
    else:  # room after the longest bar for its label ("1 phút 35 giây")
        chart.valueAxis.valueMax = max((max(column) for column in series), default=1) * 1.3
    chart.barSpacing = 1
    if stacked:
        chart.categoryAxis.style = "stacked"
    for i, fill in enumerate(fills):
        chart.bars[i].fillColor = fill
        chart.bars[i].strokeColor = colors.black
        chart.bars[i].strokeWidth = 0.5
    _value_labels(chart, fills, counts)
    drawing.add(chart)
    return drawing


def _value_labels(chart: HorizontalBarChart, fills: list[colors.Color], counts: bool) -> None:
    """Each bar's value written on it: counts inside their segment (none on an empty one), times
    after the bar."""
    chart.barLabels.fontName = fonts.BOLD
    chart.barLabels.fontSize = 9
    if counts:
        chart.barLabelFormat = lambda value: f"{value:g}" if value else ""
        chart.barLabels.boxAnchor = "e"
        chart.barLabels.dx = -3
        for i, fill in enumerate(fills):
            chart.barLabels[i].fillColor = LABEL_ON.get(fill, colors.black)
    else:
        chart.barLabelFormat = lambda value: fonts.nfc(_minutes_seconds(value))
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3


def _legend(items: list[tuple[str, colors.Color]]) -> Drawing:
    drawing = Drawing(WIDTH, 6 * mm)
    x = 62 * mm
    for label, fill in items:
        drawing.add(Rect(x, 1 * mm, 4 * mm, 4 * mm, fillColor=fill, strokeColor=colors.black))
        text = fonts.nfc(label)
        drawing.add(String(x + 6 * mm, 1.6 * mm, text, fontName=fonts.REGULAR, fontSize=9))
        x += 12 * mm + len(text) * 1.8 * mm
    return drawing


def procedure_chart(report: DailyReport) -> Drawing:
    """Successes and failures per procedure, stacked, each segment labelled with its count."""
    return _bar_chart(
        [p.name for p in report.procedures],
        [[p.succeeded for p in report.procedures], [p.failed for p in report.procedures]],
        [SUCCESS, FAILURE],
        stacked=True,
        counts=True,
    )


def render(canvas: Canvas, report: DailyReport) -> None:
    fonts.register_pdf_fonts()
    text = report_text(report)
    page = _Page(canvas)
    page.text(text[0], 11, bold=True, centre=True)
    page.text(text[1], 16, bold=True, centre=True)
    page.text(text[2], 11, centre=True)
    page.y -= 3 * mm
    page.text(text[3], 12, bold=True)
    page.y -= 2 * mm
    page.text(text[4], 12, bold=True)
    if report.procedures:
        page.drawing(procedure_chart(report))
        page.drawing(_legend([("Thành công", SUCCESS), ("Không thành công", FAILURE)]))
    for line in text[5 : 5 + len(report.procedures)]:
        page.text(line, 10)
    page.y -= 3 * mm
    page.need(12 * 1.5 + min(_chart_height(len(report.step_times)) + 4 * mm, 120 * mm))
    page.text(text[5 + len(report.procedures)], 12, bold=True)
    if report.step_times:
        page.drawing(
            _bar_chart(
                [s.step for s in report.step_times],
                [[s.median_s for s in report.step_times]],
                [NEUTRAL],
                stacked=False,
            )
        )
    start = 6 + len(report.procedures)
    for line in text[start : start + len(report.step_times)]:
        page.text(line, 10)
    page.y -= 3 * mm
    page.need(12 * 1.5 + 3 * 10 * 1.5)  # keep the heading with its first lines
    for i, line in enumerate(text[start + len(report.step_times) :]):
        heading = i == 0 or line == fonts.nfc(NOTES_HEADING)
        if heading and i:
            page.y -= 3 * mm
            page.need(12 * 1.5 + 3 * 10 * 1.5)
        page.text(line, 12 if heading else 10, bold=heading)
    canvas.showPage()


def report_pdf(report: DailyReport) -> bytes:
    title = f"{TITLE.capitalize()} {wording.numeric_date(report.day)}"
    return a4_pdf(title, report.office_name, lambda canvas: render(canvas, report))
