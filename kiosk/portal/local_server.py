"""The local portal: `openapi.yaml` served on loopback, for demo mode, training and tests.

A real HTTP server (stdlib `ThreadingHTTPServer`) with its own SQLite database, OAuth2 client
credentials, idempotent dossier submission (one key → one dossier, whatever the retries) and fault
injection:
- `latency_ms`: every request waits this long first;
- `error_rate`: that share of requests is answered 502/503/504 WITHOUT being processed;
- `drop_rate`: that share of requests is processed, then the connection is closed without an
  answer (the client cannot know whether it worked — the idempotency key makes the retry safe).

`start_local_portal(db_path, port=0)` runs it in-process on a free port (demo mode, tests);
`kiosk portal-serve` runs it in the foreground.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import random
import re
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from kiosk.domain.accounts import password_problems
from kiosk.domain.calendar.vietnam_time import UTC_OFFSET
from kiosk.domain.forms import mask_phone

log = logging.getLogger(__name__)
T = TypeVar("T")

DEMO_CLIENT_ID = "kiosk-demo"
DEMO_CLIENT_SECRET = "demo-secret-not-for-production"
TOKEN_LIFETIME_S = 3600
OTP_LIFETIME_S = 300
OTP_MAX_ATTEMPTS = 5
ACTIVATION_LIFETIME = timedelta(days=7)
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")

STATUS_TEXTS = {
    "received": "Đã tiếp nhận",
    "processing": "Đang giải quyết",
    "completed": "Đã có kết quả",
    "returned": "Cần bổ sung hồ sơ",
    "rejected": "Không được tiếp nhận",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (
    portal_code TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_sha256 TEXT NOT NULL,
    kiosk_reference TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    applicant_id TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    fee_vnd INTEGER NOT NULL DEFAULT 0,
    paid_at TEXT
);
CREATE INDEX IF NOT EXISTS ix_dossiers_applicant ON dossiers (applicant_id);
CREATE TABLE IF NOT EXISTS daily_sequence (
    day_key TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY,
    id_number TEXT NOT NULL,
    full_name TEXT NOT NULL,
    date_of_birth TEXT,
    phone TEXT,
    delivery TEXT NOT NULL,
    status TEXT NOT NULL,
    password_hash TEXT,
    activation_code TEXT,
    activation_expires_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS otps (
    account_id TEXT PRIMARY KEY,
    otp TEXT NOT NULL,
    expires_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
"""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Faults:
    error_rate: float = 0.0
    latency_ms: int = 0
    drop_rate: float = 0.0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be ≥ 0, got {self.latency_ms}")


class Refusal(Exception):
    """An error answer: HTTP status, error code and Vietnamese message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ReceivedDossier:
    portal_code: str
    idempotency_key: str
    received_at: str
    kiosk_reference: str
    procedure_code: str
    status: str


class PortalDatabase:
    """The local portal's SQLite database. One connection, serialised by a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result

    def received(self) -> list[ReceivedDossier]:
        with self._lock:
            rows = self._db.execute(
                "SELECT portal_code, idempotency_key, received_at, kiosk_reference,"
                " procedure_code, status FROM dossiers ORDER BY received_at, portal_code"
            ).fetchall()
        return [ReceivedDossier(**dict(row)) for row in rows]


def list_received(db_path: Path) -> list[ReceivedDossier]:
    """The dossiers a local portal database holds (for `kiosk portal-serve --list`)."""
    if not db_path.exists():
        raise FileNotFoundError(db_path)
    db = PortalDatabase(db_path)
    try:
        return db.received()
    finally:
        db.close()


# --- the API behind the HTTP layer ------------------------------------------------------------


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
        body = _json_object(raw_body)

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
            now = _now()
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
        """`UNIT-YYMMDD-XXXX` with a daily sequence per unit (DOMAIN.md §7)."""
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
                activation = "".join(
                    secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8)
                )
                expires = (_now() + ACTIVATION_LIFETIME).isoformat()
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
                    _now().isoformat(),
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
                (row["phone"], f"Ma xac thuc dang ky tai khoan DVC: {otp}", _now().isoformat()),
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


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refusal(400, "bad_request", "Dữ liệu gửi lên không phải JSON.") from None
    if not isinstance(value, dict):
        raise Refusal(400, "bad_request", "Dữ liệu gửi lên không phải đối tượng JSON.")
    return value


# --- HTTP -------------------------------------------------------------------------------------


class _Dropped(Exception):
    """The fault injector decided to drop this connection after processing."""


_DOSSIER_PATH = re.compile(r"/v1/dossiers/([^/]+)(/fee)?")
_OTP_PATH = re.compile(r"/v1/accounts/([^/]+)/otp(/verify)?")


class _Handler(BaseHTTPRequestHandler):
    server: _PortalHttpServer
    protocol_version = "HTTP/1.1"
    server_version = "LocalPortal/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("local portal: " + format, *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        faults = self.server.faults
        if url.path != "/v1/health":
            if faults.latency_ms:
                time.sleep(faults.latency_ms / 1000)
            if faults.error_rate and faults.rng.random() < faults.error_rate:
                status = faults.rng.choice((502, 503, 504))
                self._answer(status, {"code": "unavailable", "message": "Cổng tạm thời bận."})
                return
        try:
            status, body, headers = self._route(method, url.path, parse_qs(url.query), raw)
        except Refusal as refusal:
            status, body, headers = (
                refusal.status,
                {"code": refusal.code, "message": refusal.message},
                {},
            )
        except Exception:
            log.exception("local portal: internal error on %s %s", method, url.path)
            status, body, headers = 500, {"code": "internal", "message": "Lỗi máy chủ."}, {}
        if url.path != "/v1/health" and faults.drop_rate and faults.rng.random() < faults.drop_rate:
            self._drop()
            return
        self._answer(status, body, headers)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        api = self.server.api
        if (method, path) == ("GET", "/v1/health"):
            return 200, {"status": "ok"}, {}
        if (method, path) == ("POST", "/oauth/token"):
            form = {k: v[0] for k, v in parse_qs(raw.decode("ascii", "replace")).items()}
            client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                try:
                    pair = base64.b64decode(basic[6:]).decode()
                    client_id, _, client_secret = pair.partition(":")
                except (binascii.Error, UnicodeDecodeError):
                    raise Refusal(
                        401, "invalid_client", "Thông tin máy kiosk không đúng."
                    ) from None
            return 200, api.issue_token(client_id, client_secret, form.get("grant_type", "")), {}
        api.check_token(self.headers.get("Authorization", ""))
        if method == "POST" and path == "/v1/dossiers":
            key = self.headers.get("Idempotency-Key", "")
            status, receipt, replayed = api.submit_dossier(key, raw)
            return status, receipt, {"Idempotent-Replayed": "true"} if replayed else {}
        if method == "GET" and path == "/v1/dossiers":
            return 200, api.list_dossiers(query.get("applicant_id", [""])[0]), {}
        if method == "POST" and path == "/v1/accounts":
            return 201, api.register_account(_json_object(raw)), {}
        if method == "GET" and (match := _DOSSIER_PATH.fullmatch(path)):
            code, fee = match.groups()
            return 200, api.fee_status(code) if fee else api.dossier_status(code), {}
        if method == "POST" and (match := _OTP_PATH.fullmatch(path)):
            account_id, verify = match.groups()
            if verify:
                return 200, api.verify_otp(account_id, _json_object(raw)), {}
            return 202, api.request_otp(account_id), {}
        raise Refusal(404, "not_found", "Không có chức năng này.")

    def _answer(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _PortalHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: PortalApi, faults: Faults) -> None:
        super().__init__(address, _Handler)
        self.api = api
        self.faults = faults
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """A stopped portal is gone: kept-alive connections must not go on being served."""
        with self._open_lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


# --- running it -------------------------------------------------------------------------------


class LocalPortal:
    """A local portal running in a background thread of this process."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        procedure_codes: frozenset[str] | None = None,
    ) -> None:
        self.db = PortalDatabase(db_path)
        if procedure_codes is None:
            from kiosk.domain.catalogue import load_catalogue

            procedure_codes = frozenset(p.code for p in load_catalogue().procedures)
        self.api = PortalApi(self.db, client_id, client_secret, procedure_codes)
        self.faults = faults or Faults()
        self.client_id = client_id
        self.client_secret = client_secret
        self._server = _PortalHttpServer((host, port), self.api, self.faults)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalPortal:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="local-portal", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()
        self._server.close_open_connections()
        self.db.close()

    # --- for demo mode and tests ---

    def received(self) -> list[ReceivedDossier]:
        return self.db.received()

    def set_status(self, portal_code: str, status: str, reason: str | None = None) -> None:
        if status not in STATUS_TEXTS:
            raise ValueError(f"unknown dossier status {status!r}")
        self.db.transaction(
            lambda db: db.execute(
                "UPDATE dossiers SET status = ?, reason = ?, updated_at = ? WHERE portal_code = ?",
                (status, reason, _now().isoformat(), portal_code),
            )
        )

    def mark_paid(self, portal_code: str) -> None:
        self.db.transaction(
            lambda db: db.execute(
                "UPDATE dossiers SET paid_at = ? WHERE portal_code = ?",
                (_now().isoformat(), portal_code),
            )
        )

    def sms_sent(self, phone: str) -> list[str]:
        """The texts the portal "sent" to `phone` (the local portal's SMS gateway is a table)."""
        rows = self.db.transaction(
            lambda db: db.execute(
                "SELECT text FROM sms WHERE phone = ? ORDER BY id", (phone,)
            ).fetchall()
        )
        return [row["text"] for row in rows]

    def last_otp(self, phone: str) -> str | None:
        texts = self.sms_sent(phone)
        return texts[-1].rsplit(" ", 1)[-1] if texts else None


def start_local_portal(
    db_path: Path | str,
    port: int = 0,
    *,
    error_rate: float = 0.0,
    latency_ms: int = 0,
    drop_rate: float = 0.0,
    seed: int | None = None,
) -> LocalPortal:
    """Start a local portal on 127.0.0.1 (`port=0`: a free port); `.url`, `.stop()`."""
    faults = Faults(error_rate, latency_ms, drop_rate, random.Random(seed))
    return LocalPortal(db_path, port=port, faults=faults).start()
