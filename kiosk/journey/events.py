"""Events that drive the journey: from the citizen (via the UI), devices, staff and time."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    # citizen choices
    CHOSE_SUBMIT = "chose_submit"
    CHOSE_ACCOUNT = "chose_account"
    CHOSE_STATUS = "chose_status"
    CHOSE_PRACTICE = "chose_practice"
    CONSENTED = "consented"
    DECLINED = "declined"
    PROCEDURE_CHOSEN = "procedure_chosen"  # data: {"code": ...}
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"  # data: {"field": key, "value": text}
    PHONE_ENTERED = "phone_entered"  # data: {"phone": ...}
    OTP_ENTERED = "otp_entered"  # data: {"otp": ...}
    PAY_AT_COUNTER = "pay_at_counter"
    BACK = "back"
    CANCELLED = "cancelled"
    RETRY = "retry"
    # results of automatic work
    QR_READ = "qr_read"
    CARD_READ = "card_read"
    FACE_VERIFIED = "face_verified"
    FACE_FAILED = "face_failed"  # data: {"reason": code}
    DOCUMENTS_DONE = "documents_done"
    PAID = "paid"
    FEE_SHOWN = "fee_shown"  # the VietQR is on screen; nothing to wait for (offline)
    OTP_SENT = "otp_sent"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_EXISTS = "account_exists"  # the citizen already has an account: nothing to create
    SUBMITTED = "submitted"
    PRINTED = "printed"
    STATUS_FOUND = "status_found"
    FAILED = "failed"  # data: {"code": error-catalogue code}
    UNAVAILABLE = "unavailable"  # the step's service is not built: data {"feature": ...}
    # devices, time, staff
    CARD_REMOVED = "card_removed"
    CARD_RETURNED = "card_returned"
    DEVICE_ERROR = "device_error"  # data: {"code": ...}
    IDLE_TIMEOUT = "idle_timeout"
    STAFF_TAKEOVER = "staff_takeover"  # data: {"staff": username}
    STAFF_HANDBACK = "staff_handback"
    STAFF_OVERRIDE = "staff_override"  # data: {"staff": username, "reason": text}
    FINISHED = "finished"


@dataclass(frozen=True)
class Event:
    type: EventType
    data: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # data may hold a phone number or OTP: never log it
        return f"Event({self.type.value})"
