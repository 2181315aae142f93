"""Typed failures of the fleet link. Messages name the service and the reason, never personal
data; the queue keeps every event whatever happens here."""

from __future__ import annotations


class FleetError(Exception):
    """The fleet service cannot be used now (down, too slow, answered 5xx): events wait."""

    code = "fleet_unavailable"


class FleetTokenInvalid(FleetError):
    """The fleet service refused this kiosk's token (401: revoked, or a wrong [fleet] token)."""

    code = "fleet_token_invalid"


class FleetProtocolError(FleetError):
    """The fleet service's answer breaks the protocol (not JSON, too long, 403/413, …)."""

    code = "fleet_protocol"


class FleetBatchRefused(FleetProtocolError):
    """The service refused the sync's content (400 bad_request, 413 too_large): something in
    the batch breaks the protocol. The link isolates the event(s) it refuses and drops them
    (audited), so the rest is not held back forever."""

    def __init__(self, message: str, status: int, detail: str) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class UpdateRefused(FleetError):
    """A catalogue or trust update was not applied: bad signature, unknown key, wrong hash, or a
    payload that does not validate. The old catalogue / trust store stays."""

    code = "fleet_update_refused"
