"""Public service account registration rules (docs/domain.md §5), in Vietnamese for the citizen.

- ID number, full name and date of birth come from the card; citizens from 14 register themselves.
- A mobile number registered in the citizen's own name receives a 6-digit OTP; a citizen without
  a phone gets a printed activation slip instead.
- Password: at least 8 characters with upper case, lower case, a digit and a special character.
- VNeID level 1 is self-registration in the VNeID app: `VNEID_LEVEL1_STEPS` guides the citizen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.domain.forms import normalise_phone
from kiosk.domain.identity import mask_id

MIN_AGE = 14
OTP_PATTERN = re.compile(r"\d{6}")
MOBILE_PATTERN = re.compile(r"0[35789]\d{8}")

VNEID_LEVEL1_STEPS: tuple[str, ...] = (
    "Tải ứng dụng VNeID trên điện thoại (CH Play hoặc App Store).",
    "Chọn «Đăng ký», nhập số định danh cá nhân và số điện thoại chính chủ.",
    "Nhập mã xác thực (OTP) gửi về điện thoại.",
    "Quét mã QR hoặc áp thẻ căn cước có gắn chip vào điện thoại (NFC).",
    "Chụp ảnh chân dung theo hướng dẫn trên màn hình và gửi yêu cầu.",
    "Khi nhận tin nhắn phê duyệt, mở VNeID, đặt mật khẩu và mã bảo vệ để kích hoạt.",
)

ACTIVATION_SLIP_STEPS: tuple[str, ...] = (
    "Mang phiếu này và thẻ căn cước đến máy kiosk hoặc quầy một cửa.",
    "Nhập mã kích hoạt in trên phiếu và đặt mật khẩu mới.",
    "Mã kích hoạt chỉ dùng một lần; không đưa phiếu cho người khác.",
)


def password_problems(password: str) -> list[str]:
    """Every rule the password breaks, in Vietnamese (empty: the password is acceptable)."""
    problems = []
    if len(password) < 8:
        problems.append("Mật khẩu cần ít nhất 8 ký tự.")
    if not re.search(r"[A-Z]", password):
        problems.append("Mật khẩu cần có ít nhất một chữ in hoa (A–Z).")
    if not re.search(r"[a-z]", password):
        problems.append("Mật khẩu cần có ít nhất một chữ thường (a–z).")
    if not re.search(r"\d", password):
        problems.append("Mật khẩu cần có ít nhất một chữ số.")
    if not re.search(r"[^A-Za-z0-9]", password):
        problems.append("Mật khẩu cần có ít nhất một ký tự đặc biệt, ví dụ @ # ! $.")
    return problems


def mobile_number(value: str) -> str | None:
    """The normalised 10-digit mobile number (`0912345678`), or None when it is not one."""
    phone = normalise_phone(value)
    return phone if MOBILE_PATTERN.fullmatch(phone) else None


def old_enough(date_of_birth: date | None, today: date) -> bool:
    """Citizens from 14 register themselves (an unknown date of birth: staff decide)."""
    if date_of_birth is None:
        return True
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1) >= MIN_AGE


@dataclass(frozen=True)
class ActivationSlip:
    """What the printer puts on paper for a citizen without a phone."""

    masked_username: str  # the ID number, masked
    full_name: str
    activation_code: str
    expires_at: datetime | None
    steps: tuple[str, ...] = ACTIVATION_SLIP_STEPS

    @classmethod
    def for_account(
        cls, id_number: str, full_name: str, code: str, expires_at: datetime | None
    ) -> ActivationSlip:
        return cls(mask_id(id_number), full_name, code, expires_at)
