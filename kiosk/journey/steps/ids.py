"""The name of every step: what the audit log, the texts and the screens know it by."""

from __future__ import annotations

from enum import StrEnum


class StepId(StrEnum):
    WELCOME = "welcome"
    CONSENT = "consent"
    QR_SCAN = "qr_scan"
    CARD_READ = "card_read"
    FACE_CHECK = "face_check"
    CHOOSE_PROCEDURE = "choose_procedure"
    PROCEDURE_DETAIL = "procedure_detail"
    COUNTER_TICKET = "counter_ticket"
    FORM = "form"
    DOCUMENTS = "documents"
    REVIEW = "review"
    FEE = "fee"
    SUBMIT = "submit"
    RECEIPT = "receipt"
    DONE = "done"
    ACCOUNT_PHONE = "account_phone"
    ACCOUNT_OTP = "account_otp"
    ACCOUNT_VERIFY = "account_verify"
    ACCOUNT_DONE = "account_done"
    STATUS_LIST = "status_list"
    CARD_PAUSED = "card_paused"
    ERROR = "error"
    STAFF_HELP = "staff_help"
    GOODBYE = "goodbye"
