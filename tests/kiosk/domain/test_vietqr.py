"""VietQR payloads (docs/domain.md §8: NAPAS / EMVCo merchant-presented QR)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kiosk.domain import vietqr
from kiosk.domain.vietqr import VietQr, VietQrError

# docs/domain.md §8, the published NAPAS example: 120,000 đ to BIN 970415, account 0011001932418.
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_builder_reproduces_the_published_napas_example() -> None:
    qr = VietQr("970415", "0011001932418", amount=120000, purpose="ung ho lu lut")
    assert vietqr.build(qr) == PUBLISHED


def test_parser_reads_every_field_of_the_published_example() -> None:
    parsed = vietqr.parse(PUBLISHED)
    assert (parsed.bank_bin, parsed.account, parsed.amount, parsed.purpose) == (
        "970415",
        "0011001932418",
        120000,
        "ung ho lu lut",
    )
    assert parsed.is_dynamic and not parsed.card


@pytest.mark.parametrize(
    ("data", "crc"),
    [
        (b"123456789", 0x29B1),  # the CRC catalogue's check value for CRC-16/CCITT-FALSE
        (b"", 0xFFFF),  # nothing processed: the initial value
    ],
)
def test_crc16_ccitt_false_matches_the_catalogue_check_values(data: bytes, crc: int) -> None:
    assert vietqr.crc16_ccitt_false(data) == crc


def test_static_payload_without_amount_uses_initiation_method_11() -> None:
    payload = vietqr.build(VietQr("970436", "1234567890"))
    assert payload.startswith("000201010211")
    assert "54" not in [tag for tag, _ in vietqr.parse_tlv(payload)]
    assert not vietqr.parse(payload).is_dynamic


def test_card_payload_uses_service_code_qribfttc_and_parses_back_as_card() -> None:
    payload = vietqr.build(VietQr("970415", "9704151234567890", card=True, amount=50000))
    assert "0208QRIBFTTC" in payload
    assert vietqr.parse(payload).card


def test_build_then_parse_returns_the_same_fields() -> None:
    qr = VietQr("970418", "A1B2C3", amount=25000, purpose="LE PHI 000.00.12.H56-25")
    parsed = vietqr.parse(vietqr.build(qr))
    assert (parsed.bank_bin, parsed.account, parsed.amount, parsed.purpose) == (
        qr.bank_bin,
        qr.account,
        qr.amount,
        qr.purpose,
    )


def test_parser_rejects_a_payload_whose_crc_does_not_match() -> None:
    with pytest.raises(VietQrError, match="CRC"):
        vietqr.parse(PUBLISHED[:-4] + "C15D")


def test_parser_rejects_a_changed_amount_even_with_lengths_intact() -> None:
    with pytest.raises(VietQrError, match="CRC"):
        vietqr.parse(PUBLISHED.replace("5406120000", "5406920000"))


@pytest.mark.parametrize(
    "payload",
    [
        PUBLISHED[:-10],  # truncated inside the CRC field
        "0002010102",  # length says 2, nothing left
        "00020101021238570010A000000727",  # field 38 says 57 characters, fewer left
    ],
)
def test_parser_rejects_lengths_that_overrun_the_payload(payload: str) -> None:
    with pytest.raises(VietQrError):
        vietqr.parse(payload)


def _with_crc(body: str) -> str:
    body += "6304"
    return body + f"{vietqr.crc16_ccitt_false(body.encode()):04X}"


def test_parser_rejects_a_wrong_napas_guid_even_with_a_valid_crc() -> None:
    body = PUBLISHED[:-4].replace("A000000727", "A000000999")[:-4]
    with pytest.raises(VietQrError, match="GUID"):
        vietqr.parse(_with_crc(body))


def test_parser_rejects_a_foreign_currency_even_with_a_valid_crc() -> None:
    body = PUBLISHED[:-8].replace("5303704", "5303840")
    with pytest.raises(VietQrError, match="currency"):
        vietqr.parse(_with_crc(body))


@pytest.mark.parametrize(
    ("qr", "complaint"),
    [
        (VietQr("97041", "1"), "BIN"),
        (VietQr("970415", ""), "account"),
        (VietQr("970415", "12345678901234567890"), "account"),  # 20 > 19
        (VietQr("970415", "1", amount=0), "amount"),
        (VietQr("970415", "1", purpose="x" * 26), "purpose"),
        (VietQr("970415", "1", purpose="lệ phí"), "purpose"),
    ],
)
def test_builder_refuses_values_vietqr_cannot_carry(qr: VietQr, complaint: str) -> None:
    with pytest.raises(VietQrError, match=complaint):
        vietqr.build(qr)


def test_ascii_purpose_drops_vietnamese_diacritics_and_keeps_25_characters() -> None:
    assert (
        vietqr.ascii_purpose("Lệ phí đăng ký thường trú hồ sơ 0007") == "Le phi dang ky thuong tru"
    )


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_prints_the_published_payload() -> None:
    done = _kiosk(
        "vietqr", "--bin", "970415", "--account", "0011001932418",
        "--amount", "120000", "--purpose", "ung ho lu lut",
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, PUBLISHED)


def test_cli_parse_json_gives_the_fields() -> None:
    done = _kiosk("vietqr", "--parse", PUBLISHED, "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["amount"] == 120000


def test_cli_bad_payload_exits_2_with_one_line() -> None:
    done = _kiosk("vietqr", "--parse", PUBLISHED[:-1] + "D")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
