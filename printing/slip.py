"""80 mm thermal slips as 1-bit raster images: large type, Vietnamese drawn by our own font.

Printing Vietnamese as a picture avoids the printer's code pages (TCVN-3, CP1258 and friends vary
by model): every printer that prints a raster prints the diacritics right. 576 dots is the
printable width of an 80 mm head at 203 dpi (8 dots per mm).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image, ImageDraw

from printing import fonts, line_wrap, qr, raster_text, wording
from printing.model import ActivationSlip, OfflineSlip, QueueTicket, ReceiptData

DOTS_80MM = 576
MARGIN = 8
NORMAL, LARGE, HUGE = 30, 38, 48


@dataclass
class _Slip:
    """A slip under construction: blocks of pixels stacked top to bottom."""

    width: int
    blocks: list[Image.Image] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every text drawn, in order (for tests)

    @property
    def inner(self) -> int:
        return self.width - 2 * MARGIN

    def text(self, text: str, size: int = NORMAL, bold: bool = False, centre: bool = False) -> None:
        text = fonts.nfc(text)
        self.texts.append(text)
        for line in _wrap(text, size, bold, self.inner):
            self._line(line, size, bold, centre)

    def bullet(self, text: str, size: int = NORMAL) -> None:
        """`• text`, wrapped lines indented under the text (not under the bullet)."""
        text = fonts.nfc(text)
        self.texts.append(f"• {text}")
        indent = round(raster_text.width("• ", size))
        for i, line in enumerate(_wrap(text, size, False, self.inner - indent)):
            if i == 0:
                self._line(f"• {line}", size, False, False)
            else:
                self._line(line, size, False, False, indent=indent)

    def fitted(self, text: str, largest: int, smallest: int = NORMAL, bold: bool = True) -> None:
        """One centred line in the largest size that fits the width (wrapped if none does)."""
        text = fonts.nfc(text)
        for size in range(largest, smallest - 1, -2):
            if raster_text.width(text, size, bold) <= self.inner:
                self.texts.append(text)
                self._line(text, size, bold, centre=True)
                return
        self.text(text, smallest, bold, centre=True)

    def inverted(self, text: str, size: int = NORMAL) -> None:
        """White bold text on a black band: the warnings."""
        text = fonts.nfc(text)
        self.texts.append(text)
        lines = _wrap(text, size, True, self.inner - 16)
        line_h = int(size * 1.4)
        band = Image.new("1", (self.width, line_h * len(lines) + 16), 0)
        for i, line in enumerate(lines):
            x = (self.width - raster_text.width(line, size, True)) / 2
            raster_text.draw(band, x, 8 + i * line_h + int(size * 0.1), line, size, True, ink=1)
        self.blocks.append(band)
        self.space(8)

    def rule(self) -> None:
        block = Image.new("1", (self.width, 18), 1)
        ImageDraw.Draw(block).line((MARGIN, 8, self.width - MARGIN, 8), fill=0, width=3)
        self.blocks.append(block)

    def space(self, pixels: int) -> None:
        self.blocks.append(Image.new("1", (self.width, pixels), 1))

    def qr(self, payload: str, caption: str) -> None:
        rows = len(qr.matrix(payload))
        module = max(3, min(8, (self.width * 2 // 3) // (rows + 2 * qr.QUIET_ZONE)))
        code = qr.image(payload, module)
        block = Image.new("1", (self.width, code.height), 1)
        block.paste(code, ((self.width - code.width) // 2, 0))
        self.blocks.append(block)
        self.text(caption, NORMAL - 4, centre=True)

    def _line(self, line: str, size: int, bold: bool, centre: bool, indent: int = 0) -> None:
        height = int(size * 1.4)
        block = Image.new("1", (self.width, height), 1)
        x = (self.width - raster_text.width(line, size, bold)) / 2 if centre else MARGIN + indent
        raster_text.draw(block, x, int(size * 0.1), line, size, bold)
        self.blocks.append(block)

    def image(self) -> Image.Image:
        self.space(24)
        height = sum(b.height for b in self.blocks)
        out = Image.new("1", (self.width, height), 1)
        y = 0
        for block in self.blocks:
            out.paste(block, (0, y))
            y += block.height
        return out


def _wrap(text: str, size: int, bold: bool, width: int) -> list[str]:
    return line_wrap.wrap(text, width, lambda part: raster_text.width(part, size, bold))


@dataclass(frozen=True)
class Slip:
    """A rendered slip: the raster and the texts it carries (in reading order)."""

    image: Image.Image
    texts: tuple[str, ...]


def _finish(slip: _Slip, printed_at: datetime | None) -> Slip:
    if printed_at is not None:
        slip.text(f"In lúc {wording.short_moment(printed_at)}", NORMAL - 8, centre=True)
    return Slip(slip.image(), tuple(slip.texts))


def _steps(slip: _Slip, title: str, steps: Iterable[str]) -> None:
    steps = list(steps)
    if steps:
        slip.text(title, NORMAL, bold=True)
        for step in steps:
            slip.bullet(step)


def _due_day(due_at: datetime) -> str:
    """`Thứ Hai, 18/8/2025` (dates as Decree 30/2020 writes them, docs/domain.md §7)."""
    return f"{wording.weekday(due_at, capital=True)}, {wording.numeric_date(due_at)}"


def _fee_qr(slip: _Slip, data: ReceiptData) -> None:
    """The unpaid fee's VietQR with the amount and who it pays: the citizen can pay from the
    slip alone (docs/domain.md §8)."""
    slip.space(8)
    slip.qr(data.vietqr_payload, "Quét mã VietQR bằng ứng dụng ngân hàng để nộp phí")
    slip.text(f"Số tiền: {wording.money(data.fee_vnd)}", NORMAL, bold=True, centre=True)
    if data.fee_payee:
        slip.text(f"Người nhận: {data.fee_payee}", NORMAL - 4, centre=True)


def receipt_slip(
    data: ReceiptData, width: int = DOTS_80MM, printed_at: datetime | None = None
) -> Slip:
    """The appointment slip: dossier code, return date and time, fee, next steps, QR."""
    slip = _Slip(width)
    slip.text(data.office_name.upper(), NORMAL, bold=True, centre=True)
    slip.fitted("GIẤY HẸN TRẢ KẾT QUẢ", LARGE)
    slip.rule()
    slip.text("Mã tham chiếu ki-ốt:" if data.kiosk_reference else "Mã hồ sơ:", centre=True)
    slip.fitted(data.dossier_code, HUGE)
    if data.kiosk_reference:
        slip.inverted("Chưa phải mã hồ sơ chính thức. Cán bộ sẽ báo mã chính thức.")
    slip.text(data.request, NORMAL, centre=True)
    slip.rule()
    slip.text("Ngày trả kết quả:", centre=True)
    slip.fitted(_due_day(data.due_at), HUGE)
    slip.fitted(f"lúc {data.due_at:%H:%M}", LARGE)
    slip.text(f"Tại: {data.result_place}", centre=True)
    slip.rule()
    if data.fee_vnd == 0:
        slip.text("Phí, lệ phí: không thu", LARGE, bold=True, centre=True)
    else:
        state = "đã nộp" if data.fee_paid else "chưa nộp"
        slip.text(f"Phí: {wording.money(data.fee_vnd)} ({state})", LARGE, bold=True, centre=True)
    if data.vietqr_payload and data.fee_vnd and not data.fee_paid:
        _fee_qr(slip, data)
    slip.space(6)
    _steps(slip, "Việc tiếp theo:", data.next_steps)
    slip.space(10)
    slip.qr(data.lookup_payload, "Quét mã để tra cứu hồ sơ")
    return _finish(slip, printed_at)


def activation_slip(
    data: ActivationSlip, width: int = DOTS_80MM, printed_at: datetime | None = None
) -> Slip:
    slip = _Slip(width)
    slip.text(data.office_name.upper(), NORMAL, bold=True, centre=True)
    slip.fitted("TÀI KHOẢN ĐÃ KÍCH HOẠT", LARGE)
    slip.rule()
    slip.text("Tên đăng nhập:", centre=True)
    slip.fitted(data.username, HUGE)
    slip.text(f"Số điện thoại: {data.phone}", centre=True)
    slip.text(f"Lúc {wording.short_moment(data.issued_at)}", centre=True)
    slip.rule()
    _steps(slip, "Các bước tiếp theo:", data.steps)
    slip.inverted("Không đưa mật khẩu cho bất kỳ ai, kể cả cán bộ.")
    if data.qr_payload:
        slip.qr(data.qr_payload, "Quét mã để mở trang hướng dẫn")
    return _finish(slip, printed_at)


def offline_slip(
    data: OfflineSlip, width: int = DOTS_80MM, printed_at: datetime | None = None
) -> Slip:
    """The portal was unreachable: the kiosk keeps the dossier and sends it later."""
    slip = _Slip(width)
    slip.text(data.office_name.upper(), NORMAL, bold=True, centre=True)
    slip.fitted("ĐÃ NHẬN HỒ SƠ", LARGE)
    slip.inverted("Hồ sơ sẽ được gửi lên hệ thống khi có mạng. Ông/bà không cần làm lại.")
    slip.text("Mã tham chiếu ki-ốt:", centre=True)
    slip.fitted(data.kiosk_reference, HUGE)
    slip.text(data.procedure_name, centre=True)
    slip.text(f"Nhận lúc {wording.short_moment(data.received_at)}", centre=True)
    if data.due_at is not None:
        slip.text("Ngày hẹn trả (dự kiến):", centre=True)
        slip.fitted(_due_day(data.due_at), LARGE)
    slip.rule()
    slip.text("Cán bộ sẽ báo mã hồ sơ chính thức qua tin nhắn hoặc khi ông/bà đến nhận kết quả.")
    slip.qr(data.qr_payload or data.kiosk_reference, "Quét mã để tra cứu hồ sơ")
    return _finish(slip, printed_at)


def queue_ticket(
    data: QueueTicket, width: int = DOTS_80MM, printed_at: datetime | None = None
) -> Slip:
    slip = _Slip(width)
    slip.text(data.office_name.upper(), NORMAL, bold=True, centre=True)
    slip.text("SỐ THỨ TỰ CỦA ÔNG/BÀ", NORMAL, centre=True)
    slip.fitted(data.number, 150, HUGE)
    slip.text(data.service, LARGE, bold=True, centre=True)
    if data.waiting_ahead is not None:
        slip.text(f"Đang có {data.waiting_ahead} người chờ trước ông/bà.", centre=True)
    slip.text(f"Lấy số lúc {wording.short_moment(data.issued_at)}", centre=True)
    if data.bring:
        slip.rule()
        slip.text("Ông/bà chuẩn bị sẵn:", bold=True)
        for paper in data.bring:
            slip.bullet(paper)
    slip.rule()
    counter = data.counter or "quầy cán bộ"
    slip.text(f"Khi nghe gọi số {data.number}, mời ông/bà đến {counter}.", centre=True)
    return _finish(slip, printed_at)
