"""Sample documents with made-up people, for `kiosk receipt --sample`, tests and benchmarks."""

from __future__ import annotations

from datetime import date, datetime

from printing.model import (
    FORM_CT04,
    ActivationSlip,
    DailyReport,
    DeviceIncident,
    OfflineSlip,
    ProcedureCount,
    QueueTicket,
    ReceiptData,
    StepTime,
)

# VietQR for 8,000 đ to the demo fee account (BIN 970415, account KIOSKDEMO0001), purpose = code.
SAMPLE_VIETQR = (
    "00020101021238570010A000000727012700069704150113KIOSKDEMO00010208QRIBFTTA"
    "5303704540480005802VN62290825000.00.12.H56-250815-00076304824C"
)


def sample_receipt(*, kiosk_reference: bool = False, form: str = "01") -> ReceiptData:
    code = "K-000.00.12.H56-250815-0007" if kiosk_reference else "000.00.12.H56-250815-0007"
    common = dict(
        place="Demo",
        dossier_code=code,
        kiosk_reference=kiosk_reference,
        citizen_name="Nguyễn Thị Hằng",
        phone="09******78",  # as kiosk.domain.forms.mask_phone writes it
        sets=1,
        received_at=datetime(2025, 8, 15, 9, 30),
        channel="Nộp qua Ki-ốt tự phục vụ số 01 (cán bộ ký xác nhận khi tiếp nhận)",
        register_book="03/2025",
        register_number="0007",
    )
    if form == FORM_CT04:
        return ReceiptData(
            office_name="Công an xã Demo",
            unit="Công an xã Demo, tỉnh Demo",
            address="Thôn Đông, xã Demo, tỉnh Demo",
            request="Đăng ký thường trú",
            documents=(
                "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
                "Giấy tờ chứng minh chỗ ở hợp pháp",
            ),
            processing_days=7,
            due_at=datetime(2025, 8, 26, 9, 30),
            result_place="Công an xã Demo",
            fee_vnd=20000,
            fee_paid=True,
            id_number="001******345",  # masked as on Mẫu 01 (kiosk.domain.identity.mask_id)
            form=FORM_CT04,
            next_steps=("Mang giấy hẹn này đến Công an xã khi nhận kết quả.",),
            **common,  # type: ignore[arg-type]
        )
    return ReceiptData(
        office_name="UBND xã Demo",
        unit="Bộ phận Một cửa UBND xã Demo",
        address="Thôn Đông, xã Demo, tỉnh Demo",
        request="Cấp bản sao trích lục khai sinh",
        documents=(
            "Tờ khai cấp bản sao trích lục hộ tịch",
            "Thẻ căn cước (xuất trình, đã đọc chip tại ki-ốt)",
        ),
        processing_days=1,
        due_at=datetime(2025, 8, 18, 9, 30),
        result_place="Bộ phận Một cửa UBND xã Demo",
        fee_vnd=8000,
        fee_paid=False,
        id_number="001******345",
        email="",
        vietqr_payload=SAMPLE_VIETQR,
        fee_payee="UBND xã Demo, tài khoản KIOSKDEMO0001",
        next_steps=(
            "Nộp phí bằng mã VietQR hoặc tại quầy.",
            "Mang giấy hẹn và thẻ căn cước khi đến nhận kết quả.",
            "Tra cứu: quét mã QR trên giấy này.",
        ),
        **common,  # type: ignore[arg-type]
    )


def sample_activation() -> ActivationSlip:
    return ActivationSlip(
        office_name="UBND xã Demo",
        username="001******345",
        phone="09******78",  # as kiosk.domain.forms.mask_phone writes it
        issued_at=datetime(2025, 8, 15, 9, 40),
        steps=(
            "Vào trang dichvucong.gov.vn (quét mã bên dưới).",
            "Đăng nhập bằng số định danh và mật khẩu đã nhận qua tin nhắn.",
            "Đổi mật khẩu ngay lần đầu đăng nhập.",
        ),
        qr_payload="https://dichvucong.gov.vn",
    )


def sample_offline() -> OfflineSlip:
    return OfflineSlip(
        office_name="UBND xã Demo",
        kiosk_reference="K-000.00.12.H56-250815-0007",
        procedure_name="Cấp bản sao trích lục khai sinh",
        received_at=datetime(2025, 8, 15, 9, 30),
        due_at=datetime(2025, 8, 18, 9, 30),
    )


def sample_ticket() -> QueueTicket:
    return QueueTicket(
        office_name="UBND xã Demo",
        number="A015",
        service="Hộ tịch - Chứng thực",
        issued_at=datetime(2025, 8, 15, 9, 31),
        waiting_ahead=3,
        bring=("Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực"),
        counter="Quầy Một cửa",
    )


def sample_report() -> DailyReport:
    return DailyReport(
        office_name="UBND xã Demo",
        day=date(2025, 8, 15),
        generated_at=datetime(2025, 8, 15, 17, 5),
        procedures=(
            ProcedureCount("Cấp bản sao trích lục khai sinh", 14, 1),
            ProcedureCount("Đăng ký thường trú", 6, 2),
            ProcedureCount("Đăng ký khai sinh", 9, 0),
            ProcedureCount("Chứng thực bản sao", 21, 3),
            ProcedureCount("Kích hoạt tài khoản định danh", 11, 4),
        ),
        step_times=(
            StepTime("Đọc thẻ căn cước", 18.4, 61),
            StepTime("Xác thực khuôn mặt", 12.9, 58),
            StepTime("Điền tờ khai", 95.0, 50),
            StepTime("Chụp giấy tờ", 64.2, 47),
            StepTime("Nộp phí", 41.7, 22),
            StepTime("In giấy hẹn", 9.8, 50),
        ),
        incidents=(
            DeviceIncident(
                datetime(2025, 8, 15, 10, 12), "Máy in", "printer_paper_out", "Hết giấy"
            ),
            DeviceIncident(
                datetime(2025, 8, 15, 14, 3),
                "Đầu đọc thẻ",
                "card_removed",
                "Thẻ bị nhấc ra khi đọc",
            ),
        ),
    )
