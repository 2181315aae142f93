"""Typed portal errors. Each carries an error code (for the citizen text) and a staff text."""

from __future__ import annotations

from kiosk.domain.model import ServiceError


class PortalError(ServiceError):
    """The portal could not be used."""

    code = "portal_error"
    transient = False  # True: the same request may succeed later

    def __init__(self, staff_text: str, *, code: str | None = None) -> None:
        super().__init__(staff_text, code=code)
        self.staff_text = staff_text


class PortalUnavailable(PortalError):
    """Connection refused or dropped, or the portal answered 5xx (after the retries)."""

    code = "portal_unavailable"
    transient = True


class PortalTimeout(PortalError):
    """The portal did not answer in time (after the retries)."""

    code = "portal_timeout"
    transient = True


class PortalDeadline(PortalTimeout):
    """The whole request (connect, sending, headers, body, retries) overran `[portal] deadline_s`:
    a portal trickling its answer, or a connection that never completes."""

    code = "portal_deadline"


class PortalTLSError(PortalError):
    """The TLS handshake failed: wrong certificate, expired certificate, wrong CA bundle."""

    code = "portal_tls"


class PortalAuthError(PortalError):
    """The portal refused the kiosk's credentials (OAuth2 client or client certificate)."""

    code = "portal_auth"


class PortalProtocolError(PortalError):
    """The portal answered something this contract does not allow (not JSON, missing keys)."""

    code = "portal_protocol"


class PortalTooLarge(PortalProtocolError):
    """The portal's answer is longer than `[portal] max_response_bytes`; reading stopped there."""

    code = "portal_too_large"


class PortalRejected(PortalError):
    """The portal understood the request and refused it; `reason` is its Vietnamese message."""

    code = "portal_rejected"

    def __init__(self, reason: str, *, reject_code: str, http_status: int) -> None:
        super().__init__(
            f"portal refused the request (HTTP {http_status}, {reject_code}): {reason}"
        )
        self.reason = reason
        self.reject_code = reject_code
        self.http_status = http_status


class PortalNotFound(PortalRejected):
    """The portal does not know this account or dossier (HTTP 404)."""

    code = "portal_not_found"
