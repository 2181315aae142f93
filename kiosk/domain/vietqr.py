"""VietQR payloads (NAPAS's profile of the EMVCo merchant-presented QR), built and parsed.

The payload is a chain of TLV fields: a 2-digit ID, a 2-digit length and the value. The layout
used here is docs/domain.md §8:

    00 "01" payload format · 01 "11" static / "12" dynamic · 38 merchant account
    {00 GUID A000000727 · 01 {00 bank BIN · 01 account or card number} · 02 service code}
    53 "704" (VND) · 54 amount · 58 "VN" · 62 {08 purpose} · 63 CRC-16/CCITT-FALSE

The CRC covers everything before its value, including the "6304" of the CRC field itself, and is
written as 4 upper-case hex digits. Building and parsing are pure functions: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"  # transfer to a bank account
SERVICE_CARD = "QRIBFTTC"  # transfer to a card number
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
PURPOSE_MAX = 25
ACCOUNT_MAX = 19

_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_BIN = re.compile(r"\d{6}")
_AMOUNT = re.compile(r"\d{1,13}")


class VietQrError(ValueError):
    """The payload or a value for it is not a valid VietQR (the message says which part)."""


@dataclass(frozen=True)
class VietQr:
    """The fields of one VietQR payload."""

    bank_bin: str
    account: str
    card: bool = False  # True: `account` is a card number (service QRIBFTTC)
    amount: int | None = None  # whole đồng
    purpose: str = ""  # ASCII, at most 25 characters
    dynamic: bool | None = None  # None: dynamic exactly when an amount is given

    @property
    def is_dynamic(self) -> bool:
        return self.amount is not None if self.dynamic is None else self.dynamic

    @property
    def service(self) -> str:
        return SERVICE_CARD if self.card else SERVICE_ACCOUNT


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQrError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def ascii_purpose(text: str) -> str:
    """Vietnamese text as VietQR purpose text: diacritics dropped (đ → d), ASCII, ≤ 25 chars."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = "".join(c for c in plain if 32 <= ord(c) < 127)
    return " ".join(plain.split())[:PURPOSE_MAX].rstrip()


def build(qr: VietQr) -> str:
    """The payload string for `qr`; raises `VietQrError` for a value VietQR cannot carry."""
    if not _BIN.fullmatch(qr.bank_bin):
        raise VietQrError(f"bank BIN must be 6 digits, got {qr.bank_bin!r}")
    if not _ACCOUNT.fullmatch(qr.account):
        raise VietQrError(f"account must be 1-{ACCOUNT_MAX} letters or digits, got {qr.account!r}")
    if qr.amount is not None and (qr.amount <= 0 or not _AMOUNT.fullmatch(str(qr.amount))):
        raise VietQrError(f"amount must be a positive whole number of đồng, got {qr.amount!r}")
    if len(qr.purpose) > PURPOSE_MAX or not qr.purpose.isascii() or not qr.purpose.isprintable():
        raise VietQrError(f"purpose must be printable ASCII, at most {PURPOSE_MAX} characters")
    beneficiary = _field("00", qr.bank_bin) + _field("01", qr.account)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", qr.service)
    parts = [
        _field("00", "01"),
        _field("01", "12" if qr.is_dynamic else "11"),
        _field("38", merchant),
        _field("53", CURRENCY_VND),
    ]
    if qr.amount is not None:
        parts.append(_field("54", str(qr.amount)))
    parts.append(_field("58", COUNTRY_VN))
    if qr.purpose:
        parts.append(_field("62", _field("08", qr.purpose)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_tlv(text: str, where: str = "payload") -> list[tuple[str, str]]:
    """Split a TLV chain into (ID, value) pairs, checking every length."""
    fields: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        head = text[i : i + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQrError(f"{where}: bad field header {head!r} at position {i}")
        tag, length = head[:2], int(head[2:])
        value = text[i + 4 : i + 4 + length]
        if len(value) != length:
            raise VietQrError(f"{where}: field {tag} says {length} characters, {len(value)} left")
        fields.append((tag, value))
        i += 4 + length
    return fields


def _unique(fields: list[tuple[str, str]], where: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    for tag, value in fields:
        if tag in seen:
            raise VietQrError(f"{where}: field {tag} appears twice")
        seen[tag] = value
    return seen


def parse(payload: str) -> VietQr:
    """Parse and validate a VietQR payload: lengths, CRC, and every field §8 defines."""
    payload = payload.strip()
    if not payload.isascii():
        raise VietQrError("payload must be ASCII")
    fields = parse_tlv(payload)
    if not fields or fields[-1][0] != "63" or len(fields[-1][1]) != 4:
        raise VietQrError("payload must end with the CRC field 63 of length 4")
    expected = crc16_ccitt_false(payload[:-4].encode("ascii"))
    if fields[-1][1].upper() != f"{expected:04X}":
        raise VietQrError(f"CRC mismatch: payload says {fields[-1][1]}, computed {expected:04X}")
    if fields[0] != ("00", "01"):
        raise VietQrError("payload must start with format indicator 000201")
    root = _unique(fields, "payload")
    method = root.get("01")
    if method not in ("11", "12"):
        raise VietQrError(f"initiation method (01) must be 11 or 12, got {method!r}")
    if root.get("53", CURRENCY_VND) != CURRENCY_VND:
        raise VietQrError(f"currency (53) must be {CURRENCY_VND}, got {root['53']!r}")
    if root.get("58", COUNTRY_VN) != COUNTRY_VN:
        raise VietQrError(f"country (58) must be {COUNTRY_VN}, got {root['58']!r}")
    if "38" not in root:
        raise VietQrError("no NAPAS merchant account field (38)")
    merchant = _unique(parse_tlv(root["38"], "field 38"), "field 38")
    if merchant.get("00") != NAPAS_GUID:
        raise VietQrError(f"field 38.00 must be the NAPAS GUID {NAPAS_GUID}")
    beneficiary = _unique(parse_tlv(merchant.get("01", ""), "field 38.01"), "field 38.01")
    bank_bin, account = beneficiary.get("00", ""), beneficiary.get("01", "")
    if not _BIN.fullmatch(bank_bin):
        raise VietQrError(f"bank BIN (38.01.00) must be 6 digits, got {bank_bin!r}")
    if not _ACCOUNT.fullmatch(account):
        raise VietQrError(f"account (38.01.01) must be 1-{ACCOUNT_MAX} letters or digits")
    service = merchant.get("02")
    if service not in (SERVICE_ACCOUNT, SERVICE_CARD):
        raise VietQrError(f"service code (38.02) must be QRIBFTTA or QRIBFTTC, got {service!r}")
    amount: int | None = None
    if "54" in root:
        if not _AMOUNT.fullmatch(root["54"]) or int(root["54"]) == 0:
            raise VietQrError(f"amount (54) must be a positive whole number, got {root['54']!r}")
        amount = int(root["54"])
    purpose = ""
    if "62" in root:
        extra = _unique(parse_tlv(root["62"], "field 62"), "field 62")
        purpose = extra.get("08", "")
        if len(purpose) > PURPOSE_MAX:
            raise VietQrError(f"purpose (62.08) is longer than {PURPOSE_MAX} characters")
    return VietQr(
        bank_bin=bank_bin,
        account=account,
        card=service == SERVICE_CARD,
        amount=amount,
        purpose=purpose,
        dynamic=method == "12",
    )
