"""The portal client: retries only on transient failures, typed errors with staff texts,
OAuth2 token renewal (RFC 6749 §4.4), exponential back-off with jitter."""

from __future__ import annotations

import random
import ssl

import httpx
import pytest

from kiosk.portal.client import PortalClient, RetryPolicy
from kiosk.portal.errors import (
    PortalAuthError,
    PortalNotFound,
    PortalProtocolError,
    PortalRejected,
    PortalTimeout,
    PortalTLSError,
    PortalUnavailable,
)

RECEIPT = {"portal_code": "000.00.12.H56-260105-0001", "status": "received",
           "received_at": "2026-01-05T02:00:00+00:00"}  # fmt: skip
TOKEN = {"access_token": "t1", "token_type": "Bearer", "expires_in": 3600}


class Script:
    """A mock portal answering dossier calls from a list of outcomes (status, body) or
    exceptions; the token endpoint always answers."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls: list[httpx.Request] = []
        self.tokens = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.tokens += 1
            return httpx.Response(200, json={**TOKEN, "access_token": f"t{self.tokens}"})
        self.calls.append(request)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        status, body = outcome
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)


def client(script: Script, sleeps: list[float] | None = None, attempts: int = 4) -> PortalClient:
    return PortalClient(
        "http://portal.test",
        client_id="kiosk",
        client_secret="secret",
        retry=RetryPolicy(attempts=attempts, base_s=0.1, cap_s=1.0),
        transport=httpx.MockTransport(script),
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
        rng=random.Random(1),
    )


def submit(c: PortalClient):
    return c.submit_dossier({"kiosk_reference": "K1"}, "k" * 32)


def test_a_503_is_retried_and_the_next_answer_is_used():
    script = Script((503, {"code": "x", "message": "bận"}), (201, RECEIPT))
    assert submit(client(script)).portal_code == RECEIPT["portal_code"]
    assert len(script.calls) == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_exhaust_the_retries_as_portal_unavailable(status):
    script = Script(*[(status, {"code": "x", "message": "m"})] * 4)
    with pytest.raises(PortalUnavailable) as caught:
        submit(client(script))
    assert len(script.calls) == 4 and str(status) in caught.value.staff_text


def test_a_refusal_is_not_retried_and_carries_the_portals_reason():
    script = Script((422, {"code": "procedure_unknown", "message": "Không có thủ tục này."}))
    with pytest.raises(PortalRejected) as caught:
        submit(client(script))
    assert caught.value.reason == "Không có thủ tục này."
    assert caught.value.reject_code == "procedure_unknown" and len(script.calls) == 1


def test_an_internal_server_error_is_not_retried():
    script = Script((500, {"code": "internal", "message": "Lỗi"}))
    with pytest.raises(PortalUnavailable):
        submit(client(script))
    assert len(script.calls) == 1


def test_a_404_becomes_portal_not_found():
    script = Script((404, {"code": "dossier_unknown", "message": "Không tìm thấy"}))
    with pytest.raises(PortalNotFound):
        client(script).dossier_status("X")


def test_an_answer_that_is_not_json_is_a_protocol_error():
    with pytest.raises(PortalProtocolError):
        submit(client(Script((201, b"<html>oops</html>"))))


def test_an_answer_missing_a_required_key_is_a_protocol_error():
    with pytest.raises(PortalProtocolError, match="portal_code"):
        submit(client(Script((201, {"status": "received"}))))


def test_an_unknown_dossier_state_is_a_protocol_error():
    with pytest.raises(PortalProtocolError, match="status"):
        submit(client(Script((201, {**RECEIPT, "status": "lost"}))))


def test_an_error_status_without_an_error_body_is_a_protocol_error():
    with pytest.raises(PortalProtocolError):
        submit(client(Script((422, b"nope"))))


def test_a_dropped_connection_is_retried_for_a_keyed_submission():
    script = Script(httpx.RemoteProtocolError("Server disconnected"), (200, RECEIPT))
    assert submit(client(script)).portal_code == RECEIPT["portal_code"]
    assert [r.headers["Idempotency-Key"] for r in script.calls] == ["k" * 32] * 2


def test_a_retried_submission_sends_the_same_bytes():
    script = Script(httpx.RemoteProtocolError("dropped"), (200, RECEIPT))
    submit(client(script))
    assert script.calls[0].content == script.calls[1].content


def test_a_dropped_connection_is_not_retried_for_a_non_idempotent_request():
    script = Script(httpx.RemoteProtocolError("Server disconnected"))
    with pytest.raises(PortalUnavailable, match="dropped"):
        client(script).request_otp("acc1")
    assert len(script.calls) == 1


def test_a_connection_refused_is_retried_even_for_a_non_idempotent_request():
    account = {"account_id": "a", "username": "001095012345", "status": "pending_otp"}
    script = Script(httpx.ConnectError("refused"), (201, account))
    assert client(script).register_account("001095012345", "An", None, "0912345678").account_id
    assert len(script.calls) == 2


def test_a_read_timeout_becomes_portal_timeout_after_the_retries():
    script = Script(*[httpx.ReadTimeout("slow")] * 4)
    with pytest.raises(PortalTimeout):
        client(script).fee_status("X")
    assert len(script.calls) == 4


def test_a_tls_failure_is_not_retried_and_says_so_to_staff():
    error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    error.__cause__ = ssl.SSLCertVerificationError("certificate verify failed")
    script = Script(error)
    with pytest.raises(PortalTLSError) as caught:
        submit(client(script))
    assert "ca_bundle" in caught.value.staff_text and len(script.calls) == 1


def test_a_401_renews_the_token_once_and_repeats_the_request():
    script = Script((401, {"code": "invalid_token", "message": "hết hạn"}), (201, RECEIPT))
    submit(client(script))
    assert script.tokens == 2
    assert script.calls[1].headers["Authorization"] == "Bearer t2"


def test_a_second_401_is_an_auth_error_for_staff():
    script = Script(*[(401, {"code": "invalid_token", "message": "m"})] * 2)
    with pytest.raises(PortalAuthError, match="client_id"):
        submit(client(script))


def test_the_token_is_reused_between_requests():
    script = Script((201, RECEIPT), (201, RECEIPT))
    c = client(script)
    submit(c)
    submit(c)
    assert script.tokens == 1


def test_backoff_waits_grow_exponentially_within_the_cap_with_jitter():
    sleeps: list[float] = []
    script = Script(*[(503, {"code": "x", "message": "m"})] * 6)
    with pytest.raises(PortalUnavailable):
        submit(client(script, sleeps, attempts=6))
    ceilings = [min(1.0, 0.1 * 2**n) for n in range(5)]
    assert all(0 <= s <= c for s, c in zip(sleeps, ceilings, strict=True))
    assert len(set(sleeps)) == len(sleeps)  # jittered, not a fixed ladder


def test_every_portal_error_carries_a_code_for_the_citizen_text():
    from kiosk.texts.errors import codes

    for error in (PortalUnavailable("x"), PortalTimeout("x"), PortalTLSError("x"),
                  PortalAuthError("x"), PortalProtocolError("x"),
                  PortalRejected("r", reject_code="c", http_status=422)):  # fmt: skip
        assert error.code in codes()
