"""The local portal's HTTP layer: a stdlib `ThreadingHTTPServer` routing `openapi.yaml`'s paths
onto the rules, with the faults applied around each request."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import re
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kiosk.local_portal.faults import Faults
from kiosk.local_portal.rules import PortalApi, Refusal, json_object

log = logging.getLogger(__name__)

_DOSSIER_PATH = re.compile(r"/v1/dossiers/([^/]+)(/fee)?")
_OTP_PATH = re.compile(r"/v1/accounts/([^/]+)/otp(/verify)?")


class _Handler(BaseHTTPRequestHandler):
    server: PortalHttpServer
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
        refused = faults.refusal_before(url.path)
        if refused is not None:
            self._answer(refused, {"code": "unavailable", "message": "Cổng tạm thời bận."})
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
        if faults.drops_answer(url.path):
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
            return 201, api.register_account(json_object(raw)), {}
        if method == "GET" and (match := _DOSSIER_PATH.fullmatch(path)):
            code, fee = match.groups()
            return 200, api.fee_status(code) if fee else api.dossier_status(code), {}
        if method == "POST" and (match := _OTP_PATH.fullmatch(path)):
            account_id, verify = match.groups()
            if verify:
                return 200, api.verify_otp(account_id, json_object(raw)), {}
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


class PortalHttpServer(ThreadingHTTPServer):
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
