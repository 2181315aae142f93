"""`PaymentService` for the journey: the fee as a dynamic VietQR, confirmed by the portal.

Wiring:

    payments = VietQrPaymentService.for_office(config.office, payment_status=portal.payment_status)

`payment_status(reference) -> bool` is the portal's payment-status call: True once the fee for
`reference` is paid, e.g. `lambda code: client.fee_status(code).paid` with
`kiosk.portal.client.PortalClient`. The QR carries the office's fee account
(`[office] fee_bank_bin`, `fee_account`), the amount, and the reference as the transfer purpose
so the bank statement and the portal can match it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.config import OfficeConfig
from kiosk.domain.model import FeeRequest, ServiceError
from kiosk.domain.vietqr import PURPOSE_MAX, VietQr, VietQrError, ascii_purpose, build

log = logging.getLogger(__name__)

PaymentStatus = Callable[[str], bool]


def transfer_purpose(reference: str) -> str:
    """The reference as VietQR purpose text: ASCII, at most 25 characters (its tail if longer,
    which keeps the date and daily sequence of a dossier code)."""
    text = reference if reference.isascii() else ascii_purpose(reference)
    return "".join(c for c in text if c.isprintable())[-PURPOSE_MAX:]


class VietQrPaymentService:
    def __init__(
        self,
        bank_bin: str,
        account: str,
        payment_status: PaymentStatus,
        *,
        payee: str = "",
        counter: str = "",
    ) -> None:
        self.bank_bin = bank_bin
        self.account = account
        self.payee = payee  # the account holder, named beside the QR
        self.counter = counter  # where the fee is paid in cash
        self._payment_status = payment_status

    @classmethod
    def for_office(
        cls, office: OfficeConfig, payment_status: PaymentStatus
    ) -> VietQrPaymentService:
        """Fees go to the office's account (`[office] fee_bank_bin`, `fee_account`)."""
        return cls(
            office.fee_bank_bin,
            office.fee_account,
            payment_status,
            payee=office.name,
            counter=office.fee_counter,
        )

    def request(self, amount_vnd: int, reference: str) -> FeeRequest:
        """The dossier's fee (its own, computed from its answers: docs/domain.md §6) as a
        VietQR; nothing to pay gets an empty payload."""
        if amount_vnd <= 0:
            return FeeRequest(amount_vnd=0, vietqr_payload="", reference=reference)
        where = {"payee": self.payee, "account": self.account, "counter": self.counter}
        try:
            payload = build(
                VietQr(
                    bank_bin=self.bank_bin,
                    account=self.account,
                    amount=amount_vnd,
                    purpose=transfer_purpose(reference),
                )
            )
        except VietQrError as exc:
            raise ServiceError(str(exc), code="payment_qr_invalid") from None
        return FeeRequest(amount_vnd, payload, reference, **where)

    def is_paid(self, request: FeeRequest) -> bool:
        """Whether the portal has the fee. Portal failures propagate as the portal client's typed
        `ServiceError`s (portal_unavailable, portal_timeout, ...); an OS-level network error
        becomes `payment_status_unavailable`."""
        if request.amount_vnd <= 0:
            return True
        try:
            return bool(self._payment_status(request.reference))
        except OSError as exc:
            log.warning("payment status call failed: %s", type(exc).__name__)
            raise ServiceError(str(exc), code="payment_status_unavailable") from exc
