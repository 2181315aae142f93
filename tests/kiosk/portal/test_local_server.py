"""The local portal: a real loopback HTTP server implementing openapi.yaml, with idempotency and
fault injection (error rate, latency, dropped connection after processing)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
import yaml

from kiosk.local_portal.schema import OPENAPI_FILE
from kiosk.local_portal.server import start_local_portal
from kiosk.portal.errors import PortalAuthError, PortalRejected, PortalUnavailable

from .conftest import make_client, submission

KEY = "0123456789abcdef0123456789abcdef"


def test_a_submission_gets_a_portal_code_in_the_official_format(client):
    receipt = client.submit_dossier(submission(), KEY)
    assert re.fullmatch(r"000\.00\.12\.H56-\d{6}-0001", receipt.portal_code)


def test_the_same_key_gives_the_same_dossier_never_a_second(portal, client):
    first = client.submit_dossier(submission(), KEY)
    again = client.submit_dossier(submission(), KEY)
    assert again.portal_code == first.portal_code and again.replayed
    assert len(portal.received()) == 1


def test_the_same_key_with_a_different_dossier_is_a_conflict(client):
    client.submit_dossier(submission(), KEY)
    with pytest.raises(PortalRejected) as caught:
        client.submit_dossier(submission("KIOSK-260105-BBBBBB"), KEY)
    assert caught.value.http_status == 409


def test_daily_sequence_numbers_follow_each_other(client):
    codes = [client.submit_dossier(submission(f"K{i}"), f"{KEY[:-1]}{i}").portal_code
             for i in range(3)]  # fmt: skip
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]


def test_a_damaged_attachment_is_refused_with_a_reason(client):
    body = submission()
    body["attachments"][0]["data_base64"] = "cGFnZQ=="[:-2] + "ZQ=="
    with pytest.raises(PortalRejected) as caught:
        client.submit_dossier(body, KEY)
    assert (
        caught.value.reject_code == "attachment_corrupt"
        and "Giấy chứng sinh" in caught.value.reason
    )


def test_an_unknown_procedure_is_refused(client):
    with pytest.raises(PortalRejected, match="thủ tục"):
        client.submit_dossier({**submission(), "procedure_code": "moon_landing"}, KEY)


def test_requests_without_a_token_are_refused(portal):
    response = httpx.post(f"{portal.url}/v1/dossiers", json=submission(),
                          headers={"Idempotency-Key": KEY})  # fmt: skip
    assert response.status_code == 401


def test_wrong_client_credentials_are_an_auth_error(portal):
    from kiosk.portal.client import PortalClient

    with PortalClient(portal.url, client_id="kiosk-demo", client_secret="wrong") as c, \
            pytest.raises(PortalAuthError):  # fmt: skip
        c.dossier_status("X")


def test_a_restarted_portal_invalidates_old_tokens_and_the_client_renews(tmp_path):
    first = start_local_portal(tmp_path / "p.db")
    c = make_client(first.url)
    c.submit_dossier(submission(), KEY)
    port = first.port
    first.stop()
    second = start_local_portal(tmp_path / "p.db", port=port)
    try:
        assert c.dossier_status(second.received()[0].portal_code).status == "received"
    finally:
        c.close()
        second.stop()


def test_error_rate_one_answers_every_request_with_a_gateway_error(tmp_path):
    portal = start_local_portal(tmp_path / "p.db", error_rate=1.0)
    try:
        response = httpx.post(f"{portal.url}/oauth/token", data={"grant_type": "x"})
        assert response.status_code in (502, 503, 504)
    finally:
        portal.stop()


def test_a_dropped_request_was_processed_before_the_connection_closed(tmp_path):
    portal = start_local_portal(tmp_path / "p.db")
    c = make_client(portal.url, attempts=1)
    try:
        c._access_token()  # the token is fetched before the faults start
        portal.faults.drop_rate = 1.0
        with pytest.raises(PortalUnavailable, match="dropped"):
            c.submit_dossier(submission(), KEY)
        assert len(portal.received()) == 1
    finally:
        c.close()
        portal.stop()


def test_latency_is_added_to_every_request(tmp_path):
    portal = start_local_portal(tmp_path / "p.db", latency_ms=200)
    try:
        start = time.perf_counter()
        httpx.post(f"{portal.url}/oauth/token", data={})
        assert time.perf_counter() - start >= 0.2
    finally:
        portal.stop()


def test_status_fee_and_applicant_list(portal, client):
    code = client.submit_dossier(submission(), KEY).portal_code
    portal.set_status(code, "returned", "Thiếu giấy chứng sinh bản chính")
    status = client.dossier_status(code)
    assert (status.status, status.reason) == ("returned", "Thiếu giấy chứng sinh bản chính")
    assert not client.fee_status(code).paid
    portal.mark_paid(code)
    assert client.fee_status(code).paid
    assert [s.portal_code for s in client.list_dossiers("001095012345")] == [code]


def test_account_registration_with_sms_otp(portal, client):
    account = client.register_account("001095012345", "Nguyễn Văn An", None, "0912345678")
    sent = client.request_otp(account.account_id)
    assert sent.sent_to == "09******78"
    otp = portal.last_otp("0912345678")
    assert otp is not None and re.fullmatch(r"\d{6}", otp)
    active = client.verify_otp(account.account_id, otp, "Matkhau@2026")
    assert active.status == "active" and active.username == "001095012345"


def test_a_wrong_otp_is_refused_with_its_code(portal, client):
    account = client.register_account("001095012345", "Nguyễn Văn An", None, "0912345678")
    client.request_otp(account.account_id)
    with pytest.raises(PortalRejected) as caught:
        client.verify_otp(account.account_id, "000000" if portal.last_otp("0912345678") != "000000"
                          else "111111")  # fmt: skip
    assert caught.value.reject_code == "otp_invalid"


def test_a_weak_password_is_refused_by_the_portal_too(portal, client):
    account = client.register_account("001095012345", "Nguyễn Văn An", None, "0912345678")
    client.request_otp(account.account_id)
    with pytest.raises(PortalRejected) as caught:
        client.verify_otp(account.account_id, portal.last_otp("0912345678"), "password")
    assert caught.value.reject_code == "password_weak"


def test_registration_without_a_phone_gives_an_activation_code(client):
    account = client.register_account("001095012345", "Nguyễn Văn An", None, None)
    assert account.status == "pending_activation"
    assert account.activation_code and len(account.activation_code) == 8


def test_every_route_of_the_server_is_in_the_openapi_contract():
    spec = yaml.safe_load(Path(OPENAPI_FILE).read_text(encoding="utf-8"))
    assert spec["openapi"].startswith("3.")
    operations = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    assert operations == {
        ("POST", "/oauth/token"),
        ("GET", "/v1/health"),
        ("POST", "/v1/accounts"),
        ("POST", "/v1/accounts/{account_id}/otp"),
        ("POST", "/v1/accounts/{account_id}/otp/verify"),
        ("POST", "/v1/dossiers"),
        ("GET", "/v1/dossiers"),
        ("GET", "/v1/dossiers/{portal_code}"),
        ("GET", "/v1/dossiers/{portal_code}/fee"),
    }
    submit = spec["paths"]["/v1/dossiers"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in submit["parameters"])


def test_every_schema_reference_in_the_contract_resolves():
    text = Path(OPENAPI_FILE).read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    for ref in set(re.findall(r'\$ref: "#/components/(\w+)/(\w+)"', text)):
        assert ref[1] in spec["components"][ref[0]]
