"""HTTP client for the portal API (`kiosk/portal/openapi.yaml`).

- OAuth2 client credentials (token cached, renewed once on 401) or a TLS client certificate.
- Bounded I/O (`bounded.py`): an overall deadline per request (connect, sending, headers, body and
  every retry: a portal trickling its answer ends there) and a cap on the answer's size, read in
  chunks and abandoned past the cap (`PortalDeadline`, `PortalTooLarge`).
- Retries with exponential back-off and full jitter on transient failures only: connection
  refused, connect timeout, HTTP 502/503/504 — and, for idempotent requests (GET, and a dossier
  submission that carries its `Idempotency-Key`), a dropped connection or a read timeout, where
  the portal may have processed the request: the key makes the retry safe.
- Every failure becomes a typed `PortalError` with a staff text; malformed answers become
  `PortalProtocolError`.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from kiosk.portal.bounded import (
    BodyTooLarge,
    BoundedTransport,
    Deadline,
    UnknownEncoding,
    bounded_by,
    environment_proxy,
    read_capped,
)
from kiosk.portal.errors import (
    PortalAuthError,
    PortalDeadline,
    PortalError,
    PortalNotFound,
    PortalProtocolError,
    PortalRejected,
    PortalTimeout,
    PortalTLSError,
    PortalTooLarge,
    PortalUnavailable,
)

log = logging.getLogger(__name__)

OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")  # the contract this client speaks

TRANSIENT_STATUS = frozenset({502, 503, 504})
TOKEN_MARGIN_S = 30.0  # renew a token this long before it expires
DEFAULT_DEADLINE_S = 60.0  # a whole request, retries included; uploads carry attachments
DEFAULT_MAX_RESPONSE_BYTES = 1 << 20  # the portal's JSON answers are a few kB


@dataclass(frozen=True)
class _Answer:
    """A portal answer read in full (within the size cap)."""

    status_code: int
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all; before try n+1 wait uniform(0, min(cap, base·2ⁿ)) seconds."""

    attempts: int = 4
    base_s: float = 0.2
    cap_s: float = 5.0

    def delay(self, retry: int, rng: random.Random) -> float:
        return rng.uniform(0.0, min(self.cap_s, self.base_s * (2**retry)))


def canonical_json(value: Any) -> bytes:
    """The one serialisation of a request body (sorted keys, UTF-8): a retried submission is
    byte-for-byte the first one, which is what the portal's idempotency check compares."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# --- typed answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountInfo:
    account_id: str
    username: str
    status: str  # pending_otp | pending_activation | active
    activation_code: str | None = None
    activation_expires_at: datetime | None = None


@dataclass(frozen=True)
class OtpSent:
    expires_in: int
    sent_to: str


@dataclass(frozen=True)
class DossierReceipt:
    portal_code: str
    status: str
    received_at: datetime
    replayed: bool = False  # the portal had this idempotency key already


@dataclass(frozen=True)
class PortalDossierStatus:
    portal_code: str
    kiosk_reference: str
    procedure_code: str
    status: str
    status_text: str
    reason: str | None
    updated_at: datetime
    due_at: datetime | None


@dataclass(frozen=True)
class FeeStatus:
    portal_code: str
    amount_vnd: int
    paid: bool
    paid_at: datetime | None


DOSSIER_STATES = ("received", "processing", "completed", "returned", "rejected")
ACCOUNT_STATES = ("pending_otp", "pending_activation", "active")


class _Body:
    """Typed access to a JSON object from the portal; anything unexpected is a protocol error."""

    def __init__(self, data: Any, what: str) -> None:
        if not isinstance(data, dict):
            raise PortalProtocolError(f"portal answer to {what} is not a JSON object")
        self.data: dict[str, Any] = data
        self.what = what

    def _get(self, key: str, kind: type | tuple[type, ...], optional: bool) -> Any:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise PortalProtocolError(f"portal answer to {self.what}: bad or missing {key!r}")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, False))

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, str, True)
        return None if value is None else str(value)

    def integer(self, key: str) -> int:
        return int(self._get(key, int, False))

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, False))

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise PortalProtocolError(f"portal answer to {self.what}: {key}={value!r} unknown")
        return value

    def moment(self, key: str) -> datetime:
        return self._time(key, self.text(key))

    def opt_moment(self, key: str) -> datetime | None:
        value = self.opt_text(key)
        return None if value is None else self._time(key, value)

    def _time(self, key: str, value: str) -> datetime:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise PortalProtocolError(
                f"portal answer to {self.what}: {key} is not an ISO date-time"
            ) from None


def _dossier_status(body: _Body) -> PortalDossierStatus:
    return PortalDossierStatus(
        portal_code=body.text("portal_code"),
        kiosk_reference=body.text("kiosk_reference"),
        procedure_code=body.text("procedure_code"),
        status=body.choice("status", DOSSIER_STATES),
        status_text=body.opt_text("status_text") or "",
        reason=body.opt_text("reason"),
        updated_at=body.moment("updated_at"),
        due_at=body.opt_moment("due_at"),
    )


def _account(body: _Body) -> AccountInfo:
    return AccountInfo(
        account_id=body.text("account_id"),
        username=body.text("username"),
        status=body.choice("status", ACCOUNT_STATES),
        activation_code=body.opt_text("activation_code"),
        activation_expires_at=body.opt_moment("activation_expires_at"),
    )


# --- the client -------------------------------------------------------------------------------


class PortalClient:
    def __init__(
        self,
        base_url: str,
        *,
        client_id: str = "",
        client_secret: str = "",
        timeout_s: float = 10.0,
        deadline_s: float = DEFAULT_DEADLINE_S,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry: RetryPolicy | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._retry = retry or RetryPolicy()
        self._timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0))
        self._deadline_s = deadline_s
        self._max_response_bytes = max_response_bytes
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = threading.Lock()
        if transport is None:
            transport = BoundedTransport(
                verify=verify, cert=cert, proxy=environment_proxy(self.base_url)
            )
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=self._timeout,
            transport=transport,
            headers={
                "User-Agent": "mot-cua-kiosk/0.1",
                "Accept": "application/json",
                "Accept-Encoding": "identity",  # a compressed answer is decoded within the cap
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- API -----------------------------------------------------------------------------------

    def health(self) -> bool:
        """True when the portal answers its health check (one try, no retries)."""
        try:
            request = self._http.build_request("GET", "/v1/health")
            answer = self._exchange(request, Deadline(self._deadline_s), "health")
        except (httpx.HTTPError, PortalError):
            return False
        return answer.status_code == 200

    def register_account(
        self, id_number: str, full_name: str, date_of_birth: date | None, phone: str | None
    ) -> AccountInfo:
        body = {
            "id_number": id_number,
            "full_name": full_name,
            "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
            "phone": phone,
            "delivery": "sms" if phone else "slip",
        }
        data = self._call("POST", "/v1/accounts", "registerAccount", json=body, expect=(201,))
        return _account(_Body(data, "registerAccount"))

    def request_otp(self, account_id: str) -> OtpSent:
        path = f"/v1/accounts/{account_id}/otp"
        body = _Body(self._call("POST", path, "requestOtp", expect=(202,)), "requestOtp")
        return OtpSent(expires_in=body.integer("expires_in"), sent_to=body.text("sent_to"))

    def verify_otp(self, account_id: str, otp: str, password: str | None = None) -> AccountInfo:
        """Verify the OTP; with `password` the account's password is set too."""
        path = f"/v1/accounts/{account_id}/otp/verify"
        body = {"otp": otp, **({"password": password} if password else {})}
        data = self._call("POST", path, "verifyOtp", json=body, expect=(200,))
        return _account(_Body(data, "verifyOtp"))

    def submit_dossier(self, submission: Mapping[str, Any], idempotency_key: str) -> DossierReceipt:
        """Submit once per key: a retry (here or after a restart) gets the first answer back."""
        response = self._send(
            "POST",
            "/v1/dossiers",
            "submitDossier",
            content=canonical_json(submission),
            headers={"Idempotency-Key": idempotency_key, "Content-Type": "application/json"},
            idempotent=True,
        )
        data = self._decode(response, "submitDossier", expect=(200, 201))
        body = _Body(data, "submitDossier")
        return DossierReceipt(
            portal_code=body.text("portal_code"),
            status=body.choice("status", DOSSIER_STATES),
            received_at=body.moment("received_at"),
            replayed=response.headers.get("Idempotent-Replayed", "").lower() == "true",
        )

    def dossier_status(self, portal_code: str) -> PortalDossierStatus:
        data = self._call("GET", f"/v1/dossiers/{portal_code}", "dossierStatus", idempotent=True)
        return _dossier_status(_Body(data, "dossierStatus"))

    def list_dossiers(self, applicant_id: str) -> list[PortalDossierStatus]:
        data = self._call(
            "GET",
            "/v1/dossiers",
            "listDossiers",
            params={"applicant_id": applicant_id},
            idempotent=True,
        )
        items = _Body(data, "listDossiers").data.get("dossiers")
        if not isinstance(items, list):
            raise PortalProtocolError("portal answer to listDossiers: 'dossiers' is not a list")
        return [_dossier_status(_Body(item, "listDossiers")) for item in items]

    def fee_status(self, portal_code: str) -> FeeStatus:
        path = f"/v1/dossiers/{portal_code}/fee"
        body = _Body(self._call("GET", path, "feeStatus", idempotent=True), "feeStatus")
        return FeeStatus(
            portal_code=body.text("portal_code"),
            amount_vnd=body.integer("amount_vnd"),
            paid=body.flag("paid"),
            paid_at=body.opt_moment("paid_at"),
        )

    # --- plumbing ------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        expect: tuple[int, ...] = (200,),
        idempotent: bool = False,
        **kwargs: Any,
    ) -> Any:
        response = self._send(method, path, operation, idempotent=idempotent, **kwargs)
        return self._decode(response, operation, expect)

    def _decode(self, response: _Answer, operation: str, expect: tuple[int, ...]) -> Any:
        if response.status_code in expect:
            try:
                return response.json()
            except ValueError:
                raise PortalProtocolError(
                    f"portal answer to {operation} (HTTP {response.status_code}) is not JSON"
                ) from None
        raise self._http_error(response, operation)

    def _http_error(self, response: _Answer, operation: str) -> PortalError:
        status = response.status_code
        if status >= 500:
            return PortalUnavailable(f"portal answered HTTP {status} to {operation}")
        if status in (401, 403):
            return PortalAuthError(
                f"portal refused the kiosk's credentials (HTTP {status}) for {operation}: "
                "check [portal] client_id/client_secret or the client certificate"
            )
        try:
            body = _Body(response.json(), operation)
            code, message = body.text("code"), body.text("message")
        except (ValueError, PortalProtocolError):
            return PortalProtocolError(
                f"portal answered HTTP {status} to {operation} without an error body"
            )
        if status == 404:
            return PortalNotFound(message, reject_code=code, http_status=status)
        if 400 <= status < 500:
            return PortalRejected(message, reject_code=code, http_status=status)
        return PortalProtocolError(f"portal answered unexpected HTTP {status} to {operation}")

    def _send(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        idempotent: bool,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> _Answer:
        """One logical request: retried on transient failures, token renewed once on 401, all of
        it (the token fetch included) within one deadline."""
        deadline = Deadline(self._deadline_s)
        for renewed in (False, True):
            token = self._access_token(deadline)
            auth = {"Authorization": f"Bearer {token}"} if token else {}
            merged = {**(headers or {}), **auth}
            response = self._attempt(
                lambda h=merged: self._http.build_request(method, path, headers=h, **kwargs),  # type: ignore[misc]
                operation,
                idempotent,
                deadline,
            )
            if response.status_code == 401 and not renewed and self._client_id:
                self._forget_token()
                continue
            return response
        return response

    def _exchange(self, request: httpx.Request, deadline: Deadline, operation: str) -> _Answer:
        """One try: every socket operation ends by `deadline`; the body is read up to the cap."""
        left = deadline.remaining()
        if left <= 0:
            raise self._late(deadline, operation)
        request.extensions["timeout"] = _clamped(self._timeout, left)
        with bounded_by(deadline):
            response = self._http.send(request, stream=True)
            try:
                body = read_capped(response, self._max_response_bytes, deadline)
            except BodyTooLarge as exc:
                raise PortalTooLarge(
                    f"portal answer to {operation} is over {self._max_response_bytes} bytes "
                    f"({exc}); reading stopped at [portal] max_response_bytes"
                ) from None
            except UnknownEncoding as exc:
                raise PortalProtocolError(
                    f"portal answer to {operation} has an unreadable encoding ({exc})"
                ) from None
            finally:
                response.close()
        return _Answer(response.status_code, response.headers, body)

    def _late(self, deadline: Deadline, operation: str) -> PortalDeadline:
        return PortalDeadline(
            f"portal did not complete {operation} within the {deadline.seconds:g} s deadline "
            "([portal] deadline_s): a trickling or stuck portal, or a very slow network"
        )

    def _attempt(
        self,
        build: Callable[[], httpx.Request],
        operation: str,
        idempotent: bool,
        deadline: Deadline,
    ) -> _Answer:
        """Send, retrying transient failures with exponential back-off and full jitter, while the
        deadline leaves time for another try."""
        retry = 0
        while True:
            failure: PortalError
            try:
                response = self._exchange(build(), deadline, operation)
            except httpx.TransportError as exc:
                if deadline.expired():  # whatever broke, the request's time is up
                    raise self._late(deadline, operation) from None
                failure = self._transport_failure(exc, operation, idempotent)
            except httpx.HTTPError as exc:
                raise PortalProtocolError(
                    f"HTTP failure talking to the portal ({type(exc).__name__})"
                ) from None
            else:
                if response.status_code not in TRANSIENT_STATUS:
                    return response
                failure = PortalUnavailable(
                    f"portal answered HTTP {response.status_code} to {operation}"
                )
            retry += 1
            if retry >= self._retry.attempts:
                raise failure
            delay = self._retry.delay(retry - 1, self._rng)
            if delay >= deadline.remaining():
                raise failure  # no time left for another try
            log.debug("portal %s: %s; retry %d in %.2fs", operation, failure, retry, delay)
            self._sleep(delay)

    def _transport_failure(
        self, exc: httpx.TransportError, operation: str, idempotent: bool
    ) -> PortalError:
        """The typed error of a failed try; raised at once unless a retry is safe and useful."""
        if isinstance(exc, httpx.ConnectTimeout):
            return PortalUnavailable(f"cannot connect to the portal at {self.base_url}")
        if isinstance(exc, httpx.ConnectError):
            if _is_tls(exc):
                raise PortalTLSError(
                    f"TLS handshake with the portal failed ({_tls_reason(exc)}): check the "
                    "portal certificate, [portal] ca_bundle and the kiosk's clock"
                ) from None
            return PortalUnavailable(f"cannot connect to the portal at {self.base_url}")
        failure: PortalError
        if isinstance(exc, httpx.TimeoutException):
            failure = PortalTimeout(f"portal did not answer {operation} in time")
        elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            failure = PortalUnavailable(f"portal dropped the connection during {operation}")
        else:
            raise PortalProtocolError(
                f"HTTP failure talking to the portal ({type(exc).__name__})"
            ) from None
        if not idempotent:
            raise failure from None
        return failure

    # --- OAuth2 client credentials (RFC 6749 §4.4) --------------------------------------------

    def _access_token(self, deadline: Deadline | None = None) -> str:
        if not self._client_id:
            return ""  # client-certificate authentication only
        deadline = deadline or Deadline(self._deadline_s)
        with self._token_lock:
            if self._token and time.monotonic() < self._token_expires:
                return self._token
            self._token, lifetime = self._fetch_token(deadline)
            self._token_expires = time.monotonic() + max(lifetime - TOKEN_MARGIN_S, 1.0)
            return self._token

    def _forget_token(self) -> None:
        with self._token_lock:
            self._token = None

    def _fetch_token(self, deadline: Deadline) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        response = self._attempt(
            lambda: self._http.build_request("POST", "/oauth/token", data=form),
            "getToken",
            idempotent=True,
            deadline=deadline,
        )
        if response.status_code in (400, 401):
            raise PortalAuthError(
                f"portal refused client {self._client_id!r}: check [portal] client_id and "
                "client_secret"
            )
        body = _Body(self._decode(response, "getToken", (200,)), "getToken")
        return body.text("access_token"), float(body.integer("expires_in"))


def _clamped(timeout: httpx.Timeout, left: float) -> dict[str, float | None]:
    """httpx's per-operation timeouts, none longer than what is left of the deadline."""
    return {
        name: left if value is None else min(value, left)
        for name, value in timeout.as_dict().items()
    }


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "SSL" in str(exc) or "CERTIFICATE" in str(exc).upper()


def _tls_reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
