"""VietQR fee payment service (docs/domain.md §8)."""

from __future__ import annotations

import pytest

from kiosk.config import KioskConfig, parse_config
from kiosk.domain import vietqr
from kiosk.domain.model import FeeRequest, ServiceError
from kiosk.services.payment import VietQrPaymentService, transfer_purpose

FEE = 8000  # the dossier's fee (`SubmitResult.fee_vnd`)
FREE = 0


def _service(paid: set[str] | None = None) -> VietQrPaymentService:
    return VietQrPaymentService.for_office(KioskConfig().office, lambda ref: ref in (paid or set()))


def test_fee_request_carries_a_valid_dynamic_vietqr_to_the_office_account() -> None:
    request = _service().request(FEE, "000.00.12.H56-250815-0007")
    parsed = vietqr.parse(request.vietqr_payload)
    assert (parsed.bank_bin, parsed.account, parsed.amount) == ("970415", "KIOSKDEMO0001", 8000)
    assert parsed.is_dynamic and parsed.purpose == "000.00.12.H56-250815-0007"
    assert request.amount_vnd == 8000


def test_account_comes_from_the_office_config() -> None:
    config = parse_config('[office]\nfee_bank_bin = "970436"\nfee_account = "0123456789"\n')
    service = VietQrPaymentService.for_office(config.office, lambda _ref: False)
    parsed = vietqr.parse(service.request(FEE, "R1").vietqr_payload)
    assert (parsed.bank_bin, parsed.account) == ("970436", "0123456789")


@pytest.mark.parametrize("bad", ['fee_bank_bin = "97041"', 'fee_account = "12 34"'])
def test_config_refuses_a_malformed_fee_account(bad: str) -> None:
    from kiosk.config import ConfigError

    with pytest.raises(ConfigError):
        parse_config(f"[office]\n{bad}\n")


def test_a_free_dossier_needs_no_qr_and_counts_as_paid() -> None:
    service = _service()
    request = service.request(FREE, "R1")
    assert request == FeeRequest(0, "", "R1")
    assert service.is_paid(request)


def test_payment_is_confirmed_by_the_portal_status_call() -> None:
    request = _service().request(FEE, "R1")
    assert not _service(paid=set()).is_paid(request)
    assert _service(paid={"R1"}).is_paid(request)


def test_a_network_error_in_the_status_call_is_a_typed_service_error() -> None:
    def failing(_ref: str) -> bool:
        raise ConnectionResetError("peer reset")

    service = VietQrPaymentService("970415", "1", failing)
    with pytest.raises(ServiceError) as raised:
        service.is_paid(service.request(FEE, "R1"))
    assert raised.value.code == "payment_status_unavailable"


def test_a_bad_account_is_reported_not_turned_into_a_qr() -> None:
    with pytest.raises(ServiceError) as raised:
        VietQrPaymentService("970415", "not valid!", lambda _r: False).request(FEE, "R1")
    assert raised.value.code == "payment_qr_invalid"


def test_long_reference_keeps_its_tail_as_purpose() -> None:
    assert transfer_purpose("K-000.00.12.H56-250815-0007") == "000.00.12.H56-250815-0007"
