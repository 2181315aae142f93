"""What the local portal does, independent of HTTP: client-credential tokens, idempotent dossier
submission (one key → one dossier, whatever the retries), dossier status and fees, account
registration with an OTP by (simulated) SMS. A refusal is a `Refusal` the routes turn into an
error answer."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import sqlite3
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kiosk.domain.accounts import password_problems
from kiosk.domain.calendar.vietnam_time import UTC_OFFSET
from kiosk.domain.forms import mask_phone
from kiosk.local_portal.schema import PortalDatabase

TOKEN_LIFETIME_S = 3600
OTP_LIFETIME_S = 300
OTP_MAX_ATTEMPTS = 5
ACTIVATION_LIFETIME = timedelta(days=7)
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper

STATUS_TEXTS = {
    "received": "Đã tiếp nhận",
    "processing": "Đang giải quyết",
    "completed": "Đã có kết quả",
    "returned": "Cần bổ sung hồ sơ",
    "rejected": "Không được tiếp nhận",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class Refusal(Exception):
    """An error answer: HTTP status, error code and Vietnamese message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


_ID_NUMBER = re.compile(r"\d{12}")
_PHONE = re.compile(r"0[35789]\d{8}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNIT_CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")


class PortalApi:
    """What the portal does, independent of HTTP. Methods return (status, body, headers)."""

    def __init__(
        self,
        db: PortalDatabase,
        client_id: str,
        client_secret: str,
        procedure_codes: frozenset[str] | None = None,
    ) -> None:
        self.db = db
        self.client_id = client_id
        self.client_secret = client_secret
        self.procedure_codes = procedure_codes
        self._tokens: dict[str, float] = {}
        self._tokens_lock = threading.Lock()

    # --- auth ---

    def issue_token(self, client_id: str, client_secret: str, grant_type: str) -> dict[str, Any]:
        if grant_type != "client_credentials":
            raise Refusal(400, "unsupported_grant_type", "Chỉ hỗ trợ client_credentials.")
        if not (
            secrets.compare_digest(client_id, self.client_id)
            and secrets.compare_digest(client_secret, self.client_secret)
        ):
            raise Refusal(401, "invalid_client", "Thông tin máy kiosk không đúng.")
        token = secrets.token_urlsafe(24)
        with self._tokens_lock:
            self._tokens[token] = time.monotonic() + TOKEN_LIFETIME_S
        return {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S}

    def check_token(self, authorization: str) -> None:
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        with self._tokens_lock:
            expires = self._tokens.get(token)
        if expires is None or expires < time.monotonic():
            raise Refusal(401, "invalid_token", "Phiên làm việc của máy kiosk đã hết hạn.")

    def expire_tokens(self) -> None:
        with self._tokens_lock:
            self._tokens.clear()

    # --- dossiers ---

    def submit_dossier(self, key: str, raw_body: bytes) -> tuple[int, dict[str, Any], bool]:
        """(HTTP status, receipt, replayed). The same key always gives the same dossier."""
        if not 16 <= len(key) <= 64:
            raise Refusal(400, "idempotency_key_missing", "Thiếu khóa chống gửi trùng hồ sơ.")
        request_sha = hashlib.sha256(raw_body).hexdigest()
        body = json_object(raw_body)

        def work(db: sqlite3.Connection) -> tuple[int, dict[str, Any], bool]:
            row = db.execute(
                "SELECT portal_code, status, received_at, request_sha256 FROM dossiers"
                " WHERE idempotency_key = ?",
                (key,),
            ).fetchone()
            if row is not None:
                if row["request_sha256"] != request_sha:
                    raise Refusal(
                        409, "idempotency_conflict", "Khóa này đã dùng cho một hồ sơ khác."
                    )
                receipt = {
                    "portal_code": row["portal_code"],
                    "status": row["status"],
                    "received_at": row["received_at"],
                }
                return 200, receipt, True
            self._check_dossier(body)
            now = utc_now()
            code = self._next_code(db, str(body["unit_code"]), now)
            received_at = now.isoformat()
            db.execute(
                "INSERT INTO dossiers (portal_code, idempotency_key, request_sha256,"
                " kiosk_reference, procedure_code, applicant_id, body, status, received_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)",
                (
                    code,
                    key,
                    request_sha,
                    body["kiosk_reference"],
                    body["procedure_code"],
                    body["applicant"]["id_number"],
                    raw_body.decode("utf-8"),
                    received_at,
                    received_at,
                ),
            )
            return (
                201,
                {"portal_code": code, "status": "received", "received_at": received_at},
                False,
            )

        return self.db.transaction(work)

    def _check_dossier(self, body: dict[str, Any]) -> None:
        for key in ("procedure_code", "kiosk_reference", "unit_code", "received_at"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise Refusal(400, "bad_request", f"Thiếu trường {key}.")
        if not _UNIT_CODE.fullmatch(body["unit_code"]):
            raise Refusal(422, "unit_unknown", "Mã đơn vị tiếp nhận không đúng.")
        if self.procedure_codes is not None and body["procedure_code"] not in self.procedure_codes:
            raise Refusal(
                422, "procedure_unknown", "Cổng dịch vụ công không có thủ tục này tại đơn vị."
            )
        applicant = body.get("applicant")
        if not isinstance(applicant, dict) or not _ID_NUMBER.fullmatch(
            str(applicant.get("id_number", ""))
        ):
            raise Refusal(422, "applicant_invalid", "Số định danh của người nộp không hợp lệ.")
        if not isinstance(applicant.get("full_name"), str) or not applicant["full_name"].strip():
            raise Refusal(422, "applicant_invalid", "Thiếu họ tên người nộp hồ sơ.")
        if not isinstance(body.get("values"), dict):
            raise Refusal(400, "bad_request", "Thiếu nội dung tờ khai.")
        attachments = body.get("attachments")
        if not isinstance(attachments, list):
            raise Refusal(400, "bad_request", "Thiếu danh sách giấy tờ đính kèm.")
        for item in attachments:
            if not isinstance(item, dict) or not _SHA256.fullmatch(str(item.get("sha256", ""))):
                raise Refusal(422, "attachment_corrupt", "Giấy tờ đính kèm bị lỗi.")
            try:
                data = base64.b64decode(str(item.get("data_base64", "")), validate=True)
            except (binascii.Error, ValueError):
                raise Refusal(422, "attachment_corrupt", "Giấy tờ đính kèm bị lỗi.") from None
            if hashlib.sha256(data).hexdigest() != item["sha256"]:
                name = str(item.get("name", ""))
                raise Refusal(
                    422, "attachment_corrupt", f"Giấy tờ đính kèm «{name}» bị hỏng khi truyền."
                )

    @staticmethod
    def _next_code(db: sqlite3.Connection, unit_code: str, now: datetime) -> str:
        """`UNIT-YYMMDD-XXXX` with a daily sequence per unit (docs/domain.md §7)."""
        day = (now + UTC_OFFSET).strftime("%y%m%d")  # Vietnam time
        day_key = f"{unit_code}-{day}"
        row = db.execute("SELECT last FROM daily_sequence WHERE day_key = ?", (day_key,)).fetchone()
        number = (row["last"] if row else 0) + 1
        db.execute(
            "INSERT INTO daily_sequence (day_key, last) VALUES (?, ?)"
            " ON CONFLICT(day_key) DO UPDATE SET last = excluded.last",
            (day_key, number),
        )
        return f"{day_key}-{number:04d}"

    def dossier_status(self, portal_code: str) -> dict[str, Any]:
        rows = self._status_rows("WHERE portal_code = ?", (portal_code,))
        if not rows:
            raise Refusal(404, "dossier_unknown", "Không tìm thấy hồ sơ này.")
        return rows[0]

    def list_dossiers(self, applicant_id: str) -> dict[str, Any]:
        if not _ID_NUMBER.fullmatch(applicant_id):
            raise Refusal(422, "applicant_invalid", "Số định danh không hợp lệ.")
        rows = self._status_rows(
            "WHERE applicant_id = ? ORDER BY received_at DESC", (applicant_id,)
        )
        return {"dossiers": rows}

    def _status_rows(self, where: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        def work(db: sqlite3.Connection) -> list[sqlite3.Row]:
            return db.execute(
                "SELECT portal_code, kiosk_reference, procedure_code, status, reason, updated_at"
                f" FROM dossiers {where}",
                params,
            ).fetchall()

        return [
            {**dict(row), "status_text": STATUS_TEXTS[row["status"]], "due_at": None}
            for row in self.db.transaction(work)
        ]

    def fee_status(self, portal_code: str) -> dict[str, Any]:
        def work(db: sqlite3.Connection) -> sqlite3.Row | None:
            return db.execute(
                "SELECT portal_code, body, fee_vnd, paid_at FROM dossiers WHERE portal_code = ?",
                (portal_code,),
            ).fetchone()

        row = self.db.transaction(work)
        if row is None:
            raise Refusal(404, "dossier_unknown", "Không tìm thấy hồ sơ này.")
        amount = json.loads(row["body"]).get("fee_vnd", row["fee_vnd"])
        return {
            "portal_code": row["portal_code"],
            "amount_vnd": int(amount) if isinstance(amount, int) else 0,
            "paid": row["paid_at"] is not None,
            "paid_at": row["paid_at"],
        }

    # --- accounts ---

    def register_account(self, body: dict[str, Any]) -> dict[str, Any]:
        id_number = str(body.get("id_number", ""))
        full_name = str(body.get("full_name") or "").strip()
        phone = body.get("phone")
        delivery = body.get("delivery")
        if not _ID_NUMBER.fullmatch(id_number):
            raise Refusal(422, "id_invalid", "Số định danh cá nhân cần đúng 12 chữ số.")
        if not full_name:
            raise Refusal(422, "name_missing", "Thiếu họ và tên.")
        if delivery not in ("sms", "slip"):
            raise Refusal(422, "delivery_invalid", "Cách nhận mã kích hoạt không hợp lệ.")
        if delivery == "sms" and not (isinstance(phone, str) and _PHONE.fullmatch(phone)):
            raise Refusal(422, "phone_invalid", "Số điện thoại di động không hợp lệ.")
        born = body.get("date_of_birth")
        if born is not None:
            try:
                date.fromisoformat(str(born))
            except ValueError:
                raise Refusal(422, "dob_invalid", "Ngày sinh không hợp lệ.") from None

        def work(db: sqlite3.Connection) -> dict[str, Any]:
            active = db.execute(
                "SELECT 1 FROM accounts WHERE id_number = ? AND status = 'active'", (id_number,)
            ).fetchone()
            if active:
                raise Refusal(
                    422, "account_exists", "Số định danh này đã có tài khoản dịch vụ công."
                )
            account_id = secrets.token_hex(8)
            activation = None
            expires = None
            status = "pending_otp"
            if delivery == "slip":
                activation = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(8))
                expires = (utc_now() + ACTIVATION_LIFETIME).isoformat()
                status = "pending_activation"
            db.execute(
                "INSERT INTO accounts (account_id, id_number, full_name, date_of_birth, phone,"
                " delivery, status, activation_code, activation_expires_at, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    account_id,
                    id_number,
                    full_name,
                    born,
                    phone,
                    delivery,
                    status,
                    activation,
                    expires,
                    utc_now().isoformat(),
                ),
            )
            return {
                "account_id": account_id,
                "username": id_number,
                "status": status,
                "activation_code": activation,
                "activation_expires_at": expires,
            }

        return self.db.transaction(work)

    def request_otp(self, account_id: str) -> dict[str, Any]:
        def work(db: sqlite3.Connection) -> dict[str, Any]:
            row = db.execute(
                "SELECT phone, status FROM accounts WHERE account_id = ?", (account_id,)
            ).fetchone()
            if row is None:
                raise Refusal(404, "account_unknown", "Không tìm thấy đăng ký tài khoản.")
            if row["status"] != "pending_otp" or not row["phone"]:
                raise Refusal(422, "otp_not_applicable", "Tài khoản này không nhận mã qua SMS.")
            otp = f"{secrets.randbelow(10**6):06d}"
            db.execute(
                "INSERT INTO otps (account_id, otp, expires_at, attempts) VALUES (?, ?, ?, 0)"
                " ON CONFLICT(account_id) DO UPDATE SET otp = excluded.otp,"
                " expires_at = excluded.expires_at, attempts = 0",
                (account_id, otp, time.time() + OTP_LIFETIME_S),
            )
            db.execute(
                "INSERT INTO sms (phone, text, sent_at) VALUES (?, ?, ?)",
                (row["phone"], f"Ma xac thuc dang ky tai khoan DVC: {otp}", utc_now().isoformat()),
            )
            return {"expires_in": OTP_LIFETIME_S, "sent_to": mask_phone(row["phone"])}

        return self.db.transaction(work)

    def verify_otp(self, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
        otp = str(body.get("otp", ""))
        password = str(body.get("password", ""))

        def work(db: sqlite3.Connection) -> dict[str, Any] | Refusal:
            account = db.execute(
                "SELECT id_number, status FROM accounts WHERE account_id = ?", (account_id,)
            ).fetchone()
            if account is None:
                return Refusal(404, "account_unknown", "Không tìm thấy đăng ký tài khoản.")
            row = db.execute("SELECT * FROM otps WHERE account_id = ?", (account_id,)).fetchone()
            if row is None or row["expires_at"] < time.time():
                return Refusal(422, "otp_expired", "Mã xác thực đã hết hạn, xin gửi lại mã.")
            if row["attempts"] >= OTP_MAX_ATTEMPTS:
                return Refusal(422, "otp_attempts_exceeded", "Nhập sai mã quá số lần cho phép.")
            if not secrets.compare_digest(row["otp"], otp):
                # counted even though the answer is an error: committed, not rolled back
                db.execute(
                    "UPDATE otps SET attempts = attempts + 1 WHERE account_id = ?", (account_id,)
                )
                return Refusal(422, "otp_invalid", "Mã xác thực không đúng.")
            problems = password_problems(password) if password else []
            if problems:
                return Refusal(422, "password_weak", " ".join(problems))
            password_hash = None
            if password:
                salt = secrets.token_bytes(16)
                digest = hashlib.scrypt(password.encode(), salt=salt, n=2**12, r=8, p=1)
                password_hash = f"scrypt${salt.hex()}${digest.hex()}"
            db.execute(
                "UPDATE accounts SET status = 'active', password_hash = ? WHERE account_id = ?",
                (password_hash, account_id),
            )
            db.execute("DELETE FROM otps WHERE account_id = ?", (account_id,))
            return {
                "account_id": account_id,
                "username": account["id_number"],
                "status": "active",
                "password_set": password_hash is not None,
            }

        result = self.db.transaction(work)
        if isinstance(result, Refusal):
            raise result
        return result


def json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refusal(400, "bad_request", "Dữ liệu gửi lên không phải JSON.") from None
    if not isinstance(value, dict):
        raise Refusal(400, "bad_request", "Dữ liệu gửi lên không phải đối tượng JSON.")
    return value
