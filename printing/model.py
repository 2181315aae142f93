"""Plain data that `printing` renders. The kiosk fills these; nothing here knows the kiosk.

Texts are Vietnamese as printed. Personal values (ID number, phone) arrive already in the form the
document should show (masked or full): the caller decides per form, this package never unmasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

FORM_01 = "01"  # Mẫu số 01, Circular 01/2018/TT-VPCP
FORM_CT04 = "CT04"  # residence procedures (Circular 66/2023/TT-BCA)


@dataclass(frozen=True)
class ReceiptData:
    """One "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (docs/domain.md §7)."""

    office_name: str  # the procedure's agency, e.g. "UBND xã Demo" ("Công an xã Demo" for CT04)
    unit: str  # receiving unit, e.g. "Bộ phận Một cửa UBND xã Demo"
    place: str  # place name in "Demo, ngày 15 tháng 8 năm 2025"
    dossier_code: str  # official code, or the kiosk's reference while the portal has not answered
    kiosk_reference: bool  # True: `dossier_code` is the kiosk's reference, not the official code
    citizen_name: str
    address: str
    phone: str
    request: str  # "Nội dung yêu cầu giải quyết"
    documents: tuple[str, ...]
    sets: int
    processing_days: int  # legal time in working days (0: same day)
    received_at: datetime
    due_at: datetime
    result_place: str  # "Đăng ký nhận kết quả tại"
    fee_vnd: int = 0
    fee_paid: bool = False
    id_number: str = ""  # as it should be printed (masked or full per form); empty: not printed
    email: str = ""
    qr_payload: str = ""  # status-lookup QR content; empty: the dossier code itself
    vietqr_payload: str = ""  # fee QR, printed while the fee is unpaid
    fee_payee: str = ""  # who the VietQR pays, printed beside it ("UBND xã Demo, TK …")
    form: str = FORM_01
    register_book: str = ""  # "Quyển số"
    register_number: str = ""  # "Số thứ tự"
    receiver: str = ""  # the receiving officer's name, when known (the kiosk is not the officer)
    channel: str = ""  # how the dossier came in, e.g. "Nộp qua Ki-ốt tự phục vụ số 01"
    next_steps: tuple[str, ...] = ()  # for the thermal slip

    @property
    def lookup_payload(self) -> str:
        return self.qr_payload or self.dossier_code


@dataclass(frozen=True)
class ActivationSlip:
    """Printed after an electronic-identification / portal account is activated."""

    office_name: str
    username: str  # as printed (the ID number, masked)
    phone: str  # as printed (masked)
    issued_at: datetime
    steps: tuple[str, ...]
    qr_payload: str = ""  # e.g. where to download the app; empty: no QR


@dataclass(frozen=True)
class OfflineSlip:
    """The dossier was received while the portal was unreachable: it will be sent later."""

    office_name: str
    kiosk_reference: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None = None
    qr_payload: str = ""  # empty: the kiosk reference


@dataclass(frozen=True)
class QueueTicket:
    """A numbered ticket for the staff counter."""

    office_name: str
    number: str
    service: str
    issued_at: datetime
    waiting_ahead: int | None = None  # None: not known, not printed
    bring: tuple[str, ...] = ()  # the papers to have ready for the officer
    counter: str = ""  # where to go when the number is called ("": the staff counter)


@dataclass(frozen=True)
class ProcedureCount:
    name: str
    succeeded: int
    failed: int


@dataclass(frozen=True)
class StepTime:
    step: str  # Vietnamese step name, e.g. "Đọc thẻ"
    median_s: float  # the typical time: half of the citizens took less
    samples: int


@dataclass(frozen=True)
class DeviceIncident:
    at: datetime
    device: str  # "Máy in", "Đầu đọc thẻ", ...
    code: str  # error code (e.g. printer_paper_out)
    description: str


@dataclass(frozen=True)
class DailyReport:
    """The staff's end-of-day report. Counts only: no personal data."""

    office_name: str
    day: date
    generated_at: datetime
    procedures: tuple[ProcedureCount, ...] = ()
    step_times: tuple[StepTime, ...] = ()
    incidents: tuple[DeviceIncident, ...] = ()
    notes: tuple[str, ...] = field(default=())
