"""The A4 receipt: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (Mẫu số 01, Circular 01/2018/TT-VPCP),
and the CT04 variant for residence procedures. Two copies (liên) in one PDF.

Each copy has the national header, the title, the dossier code (or a boxed warning that it is only
the kiosk's reference), a QR code for status lookup, a Code128 of the code, the numbered items of
the form, the fee (with a VietQR to pay it while unpaid) and the two signature blocks.
`receipt_pdf` returns the PDF bytes; `copy_text` gives the text each copy carries, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing import fonts, line_wrap, qr, wording
from printing.model import FORM_CT04, ReceiptData
from printing.pdf_document import a4_pdf

COPIES = (
    "Liên 1: lưu tại Bộ phận tiếp nhận và trả kết quả",
    "Liên 2: giao cho người nộp hồ sơ",
)
KIOSK_REFERENCE_WARNING = "ĐÂY LÀ MÃ THAM CHIẾU CỦA KI-ỐT, CHƯA PHẢI MÃ HỒ SƠ CHÍNH THỨC."
KIOSK_REFERENCE_EXPLANATION = (
    "Mã hồ sơ chính thức sẽ được cấp khi hệ thống một cửa của tỉnh nhận hồ sơ. "
    "Ông/bà dùng mã tham chiếu này để hỏi cán bộ hoặc tra cứu."
)

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 20 * mm, 15 * mm, 14 * mm, 14 * mm
WIDTH = PAGE_W - LEFT - RIGHT
QR_SIZE = 30 * mm
SIGNATURE_SPACE = 15 * mm  # room to sign between "(Ký và ghi rõ họ tên)" and the name
BODY_SIZE = 13.0
LEADING = 1.4


@dataclass(frozen=True)
class _Form:
    mark: str
    unit_heading: str  # under the agency's name in the header ("" for none)
    title: str
    code_label: str
    unit_label: str
    citizen_label: str
    id_label: str
    address_label: str
    request_label: str
    documents_label: str
    receiver_title: str


FORM_01 = _Form(
    mark="Mẫu số 01 (Thông tư 01/2018/TT-VPCP)",
    unit_heading="BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
    title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    code_label="Mã hồ sơ",
    unit_label="Bộ phận tiếp nhận và trả kết quả",
    citizen_label="Tiếp nhận hồ sơ của",
    id_label="Số định danh cá nhân",
    address_label="Địa chỉ",
    request_label="Nội dung yêu cầu giải quyết",
    documents_label="1. Thành phần hồ sơ nộp gồm:",
    receiver_title="NGƯỜI TIẾP NHẬN HỒ SƠ",
)
FORM_CT04_LAYOUT = _Form(
    mark="Mẫu CT04 (Thông tư 66/2023/TT-BCA)",
    unit_heading="",  # the residence registration agency (Công an xã) heads it alone
    title="PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    code_label="Mã hồ sơ",
    unit_label="Cơ quan đăng ký cư trú",
    citizen_label="Đã nhận hồ sơ của ông/bà",
    id_label="Số định danh cá nhân",
    address_label="Nơi cư trú",
    request_label="Nội dung đề nghị",
    documents_label="1. Hồ sơ gồm có:",
    receiver_title="CÁN BỘ TIẾP NHẬN HỒ SƠ",
)


def _form(data: ReceiptData) -> _Form:
    return FORM_CT04_LAYOUT if data.form == FORM_CT04 else FORM_01


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` in lines no wider than `width` points in `font` at `size`."""
    return line_wrap.wrap(text, width, lambda part: stringWidth(part, font, size))


def _items(data: ReceiptData) -> list[tuple[str, str]]:
    """(label, value) rows of the body, in the form's order."""
    form = _form(data)
    rows = [
        (form.unit_label, data.unit),
        (form.citizen_label, data.citizen_name),
    ]
    if data.id_number:
        rows.append((form.id_label, data.id_number))
    rows.append((form.address_label, data.address))
    contact = data.phone + (f"    Email: {data.email}" if data.email else "")
    rows.append(("Số điện thoại", contact))
    rows.append((form.request_label, data.request))
    return rows


def _numbered(data: ReceiptData) -> list[tuple[str, str]]:
    days = "trong ngày" if data.processing_days == 0 else f"{data.processing_days} ngày làm việc"
    if data.fee_vnd == 0:
        fee = "không thu"
    else:
        fee = wording.money(data.fee_vnd) + (" (đã nộp)" if data.fee_paid else " (chưa nộp)")
    return [
        ("2. Số lượng hồ sơ", f"{data.sets} (bộ)"),
        ("3. Thời gian giải quyết hồ sơ theo quy định là", days),
        ("4. Thời gian nhận hồ sơ", wording.clock_and_day(data.received_at)),
        ("5. Thời gian trả kết quả giải quyết hồ sơ", wording.clock_and_day(data.due_at)),
        ("6. Đăng ký nhận kết quả tại", data.result_place),
        ("7. Phí, lệ phí", fee),
    ]


def code_line(data: ReceiptData) -> str:
    if data.kiosk_reference:
        return f"Mã tham chiếu của ki-ốt: {data.dossier_code}"
    return f"{_form(data).code_label}: {data.dossier_code}"


def copy_text(data: ReceiptData, copy: int) -> list[str]:
    """Every text the copy prints, in reading order (what pdftotext must give back)."""
    form = _form(data)
    texts = [form.mark, data.office_name.upper()]
    if form.unit_heading:
        texts.append(form.unit_heading)
    texts += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    texts += [wording.place_and_date(data.place, data.received_at.date()), form.title]
    texts += [code_line(data), f"({COPIES[copy]})"]
    if data.kiosk_reference:
        texts += [KIOSK_REFERENCE_WARNING, KIOSK_REFERENCE_EXPLANATION]
    texts += ["Quét mã để tra cứu hồ sơ"]
    texts += [f"{label}: {value}" for label, value in _items(data)]
    texts += [form.documents_label]
    texts += [f"{i}) {doc}" for i, doc in enumerate(data.documents, 1)]
    texts += [f"{label}: {value}" for label, value in _numbered(data)]
    if data.register_book or data.register_number:
        texts.append(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {data.register_book}, "
            f"Số thứ tự: {data.register_number}"
        )
    if data.channel:
        texts.append(data.channel)
    texts += ["NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", form.receiver_title]
    texts += ["(Ký và ghi rõ họ tên)", data.citizen_name]
    if data.receiver:
        texts.append(data.receiver)
    if data.vietqr_payload and not data.fee_paid and data.fee_vnd:
        texts.append(_vietqr_caption(data))
    return [fonts.nfc(t) for t in texts]


def _vietqr_caption(data: ReceiptData) -> str:
    payee = f" cho {data.fee_payee}" if data.fee_payee else ""
    return (
        f"Nộp phí {wording.money(data.fee_vnd)}{payee}: quét mã VietQR bên cạnh "
        "bằng ứng dụng ngân hàng của ông/bà."
    )


class _Writer:
    """Draws text top-down on a canvas, wrapping to a width that may depend on the height."""

    def __init__(self, canvas: Canvas, y: float) -> None:
        self.canvas = canvas
        self.y = y
        self.width_at: Callable[[float], float] = lambda _y: WIDTH

    def centred(self, text: str, font: str, size: float, x: float, width: float) -> None:
        for line in wrap(fonts.nfc(text), font, size, width):
            self.y -= size * LEADING
            self.canvas.setFont(font, size)
            self.canvas.drawCentredString(x, self.y, line)

    def labelled(self, label: str, value: str, indent: float = 0.0) -> None:
        """`Label: value`, the value in the bold face, wrapped under the label."""
        label = fonts.nfc(label + ": ")
        value = fonts.nfc(value)
        label_w = stringWidth(label, fonts.REGULAR, BODY_SIZE)
        self._room()
        self.y -= BODY_SIZE * LEADING
        c = self.canvas
        c.setFont(fonts.REGULAR, BODY_SIZE)
        x = LEFT + indent
        # A label so long that it fills the line leaves the value for the next line.
        if label_w > self.width_at(self.y) * 0.75:
            for line in wrap(label.rstrip(), fonts.REGULAR, BODY_SIZE, self.width_at(self.y)):
                c.setFont(fonts.REGULAR, BODY_SIZE)
                c.drawString(x, self.y, line)
                self.y -= BODY_SIZE * LEADING
            label_w = 0.0
        else:
            c.drawString(x, self.y, label.rstrip())
        first_width = self.width_at(self.y) - indent - label_w
        words = value.split()
        head: list[str] = []
        while words and stringWidth(" ".join([*head, words[0]]), fonts.BOLD, BODY_SIZE) <= (
            first_width
        ):
            head.append(words.pop(0))
        c.setFont(fonts.BOLD, BODY_SIZE)
        c.drawString(x + label_w, self.y, " ".join(head))
        if words:
            for line in wrap(
                " ".join(words), fonts.BOLD, BODY_SIZE, self.width_at(self.y) - indent
            ):
                self._room()
                self.y -= BODY_SIZE * LEADING
                c.setFont(fonts.BOLD, BODY_SIZE)
                c.drawString(x, self.y, line)

    def plain(self, text: str, indent: float = 0.0, font: str = fonts.REGULAR) -> None:
        for line in wrap(fonts.nfc(text), font, BODY_SIZE, self.width_at(self.y) - indent):
            self._room()
            self.y -= BODY_SIZE * LEADING
            self.canvas.setFont(font, BODY_SIZE)
            self.canvas.drawString(LEFT + indent, self.y, line)

    def _room(self) -> None:
        if self.y - BODY_SIZE * LEADING < BOTTOM + 10 * mm:
            self.canvas.showPage()
            self.y = PAGE_H - TOP
            self.canvas.setFont(fonts.REGULAR, 9)
            self.canvas.drawString(LEFT, self.y, fonts.nfc("(tiếp theo)"))
            self.y -= 4 * mm


def _header(w: _Writer, data: ReceiptData) -> None:
    c = w.canvas
    form = _form(data)
    c.setFont(fonts.REGULAR, 8.5)
    c.drawRightString(PAGE_W - RIGHT, PAGE_H - TOP + 2 * mm, fonts.nfc(form.mark))
    top = w.y
    left_x, left_w = LEFT + 38 * mm, 76 * mm
    right_x, right_w = PAGE_W - RIGHT - 50 * mm, 100 * mm
    if form.unit_heading:
        w.centred(data.office_name.upper(), fonts.REGULAR, 11, left_x, left_w)
        w.centred(form.unit_heading, fonts.BOLD, 11, left_x, left_w)
    else:
        w.centred(data.office_name.upper(), fonts.BOLD, 11, left_x, left_w)
    c.line(left_x - 14 * mm, w.y - 9, left_x + 14 * mm, w.y - 9)
    left_bottom = w.y
    w.y = top
    w.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fonts.BOLD, 11, right_x, right_w)
    w.centred("Độc lập - Tự do - Hạnh phúc", fonts.BOLD, 12, right_x, right_w)
    motto_w = stringWidth(fonts.nfc("Độc lập - Tự do - Hạnh phúc"), fonts.BOLD, 12)
    c.line(right_x - motto_w / 2, w.y - 8, right_x + motto_w / 2, w.y - 8)
    w.y -= 5
    w.centred(
        wording.place_and_date(data.place, data.received_at.date()),
        fonts.REGULAR,
        11,
        right_x,
        right_w,
    )
    w.y = min(w.y, left_bottom) - 5 * mm


def _title(w: _Writer, data: ReceiptData, copy: int) -> None:
    c = w.canvas
    centre = LEFT + WIDTH / 2
    w.centred(_form(data).title, fonts.BOLD, 15, centre, WIDTH)
    w.y -= 2
    w.centred(code_line(data), fonts.BOLD, 14, centre, WIDTH - 2 * QR_SIZE)
    w.centred(f"({COPIES[copy]})", fonts.REGULAR, 11, centre, WIDTH)
    # Code128 of the code, centred, for the staff's scanner.
    barcode = code128.Code128(
        data.dossier_code, barWidth=0.3 * mm, barHeight=11 * mm, humanReadable=False, quiet=True
    )
    w.y -= 2 * mm + barcode.height
    barcode.drawOn(c, centre - barcode.width / 2, w.y)
    w.y -= 2 * mm
    if data.kiosk_reference:
        _kiosk_reference_box(w)


def _kiosk_reference_box(w: _Writer) -> None:
    c = w.canvas
    inner = WIDTH - 8 * mm
    lines_bold = wrap(fonts.nfc(KIOSK_REFERENCE_WARNING), fonts.BOLD, 12, inner)
    lines_plain = wrap(fonts.nfc(KIOSK_REFERENCE_EXPLANATION), fonts.REGULAR, 10.5, inner)
    height = (len(lines_bold) * 12 + len(lines_plain) * 10.5) * LEADING + 5 * mm
    c.saveState()
    c.setLineWidth(2.5)
    c.setFillGray(0.9)
    c.rect(LEFT, w.y - height, WIDTH, height, stroke=1, fill=1)
    c.restoreState()
    w.y -= 2 * mm
    for line in lines_bold:
        w.y -= 12 * LEADING
        c.setFont(fonts.BOLD, 12)
        c.drawString(LEFT + 4 * mm, w.y, line)
    for line in lines_plain:
        w.y -= 10.5 * LEADING
        c.setFont(fonts.REGULAR, 10.5)
        c.drawString(LEFT + 4 * mm, w.y, line)
    w.y -= 5 * mm


def _body(w: _Writer, data: ReceiptData) -> None:
    c = w.canvas
    form = _form(data)
    qr_top = w.y
    qr_x = PAGE_W - RIGHT - QR_SIZE
    qr.draw(c, data.lookup_payload, qr_x, qr_top - QR_SIZE, QR_SIZE)
    c.setFont(fonts.REGULAR, 8.5)
    c.drawCentredString(
        qr_x + QR_SIZE / 2, qr_top - QR_SIZE - 9, fonts.nfc("Quét mã để tra cứu hồ sơ")
    )
    qr_bottom = qr_top - QR_SIZE - 12
    w.width_at = lambda y: WIDTH - QR_SIZE - 4 * mm if y > qr_bottom else WIDTH
    for label, value in _items(data):
        w.labelled(label, value)
    w.plain(form.documents_label)
    for i, document in enumerate(data.documents, 1):
        w.plain(f"{i}) {document}", indent=6 * mm)
    for label, value in _numbered(data):
        w.labelled(label, value)
    if data.register_book or data.register_number:
        w.plain(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {data.register_book}, "
            f"Số thứ tự: {data.register_number}"
        )
    if data.channel:
        w.plain(data.channel)
    w.width_at = lambda _y: WIDTH


def _signatures(w: _Writer, data: ReceiptData) -> None:
    c = w.canvas
    if w.y < BOTTOM + 45 * mm:
        c.showPage()
        w.y = PAGE_H - TOP
    w.y -= 4 * mm
    top = w.y
    left_x, right_x = LEFT + WIDTH / 4, LEFT + 3 * WIDTH / 4
    bottom = top
    # The receiver's place is the officer's: the kiosk never signs (docs/domain.md §7).
    for x, title, name in (
        (left_x, "NGƯỜI NỘP HỒ SƠ", data.citizen_name),
        (right_x, _form(data).receiver_title, data.receiver),
    ):
        w.y = top
        w.centred(title, fonts.BOLD, 11.5, x, WIDTH / 2)
        w.centred("(Ký và ghi rõ họ tên)", fonts.REGULAR, 10, x, WIDTH / 2)
        w.y -= SIGNATURE_SPACE
        w.centred(name, fonts.BOLD, 11.5, x, WIDTH / 2)
        bottom = min(bottom, w.y)
    w.y = bottom


def _vietqr(w: _Writer, data: ReceiptData) -> None:
    if not (data.vietqr_payload and data.fee_vnd and not data.fee_paid):
        return
    c = w.canvas
    size = 25 * mm  # 0.5 mm modules: phones read it
    if w.y - size - 2 * mm < BOTTOM:
        c.showPage()
        w.y = PAGE_H - TOP
    w.y -= 1 * mm
    qr.draw(c, data.vietqr_payload, LEFT, w.y - size, size)
    text_x = LEFT + size + 5 * mm
    line_y = w.y - 8 * mm
    for line in wrap(
        fonts.nfc(_vietqr_caption(data)), fonts.BOLD, BODY_SIZE, WIDTH - size - 5 * mm
    ):
        c.setFont(fonts.BOLD, BODY_SIZE)
        c.drawString(text_x, line_y, line)
        line_y -= BODY_SIZE * LEADING
    w.y -= size


def render(canvas: Canvas, data: ReceiptData) -> None:
    """Draw both copies of the receipt on `canvas` (one copy per page, more if it overflows)."""
    fonts.register_pdf_fonts()
    for copy in range(len(COPIES)):
        writer = _Writer(canvas, PAGE_H - TOP)
        _header(writer, data)
        _title(writer, data, copy)
        _body(writer, data)
        _signatures(writer, data)
        _vietqr(writer, data)
        canvas.showPage()


def receipt_pdf(data: ReceiptData) -> bytes:
    """The receipt as PDF bytes (A4, fonts embedded)."""
    title = f"{_form(data).title.capitalize()} {data.dossier_code}"
    return a4_pdf(title, data.office_name, lambda canvas: render(canvas, data))
