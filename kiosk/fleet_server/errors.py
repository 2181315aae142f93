"""Typed refusals of the fleet service: each has a stable `code` (the JSON `error`) and the HTTP
status it is answered with. The kiosk sees these in its background link, never the citizen."""

from __future__ import annotations


class FleetRefusal(Exception):
    code = "bad_request"
    status = 400

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class BadRequest(FleetRefusal):
    """The body is not what the protocol says (JSON, fields, an event)."""


class TokenInvalid(FleetRefusal):
    """Unknown or revoked kiosk token (or console/dashboard access token)."""

    code = "token_invalid"
    status = 401


class KioskMismatch(FleetRefusal):
    """The body names another kiosk than the token's."""

    code = "kiosk_mismatch"
    status = 403


class Forbidden(FleetRefusal):
    """An office's access token used for another office, or for the province dashboard."""

    code = "forbidden"
    status = 403


class NotFound(FleetRefusal):
    code = "not_found"
    status = 404


class Conflict(FleetRefusal):
    code = "conflict"
    status = 409


class TooLarge(FleetRefusal):
    """A body over the size limit or a batch over the event limit."""

    code = "too_large"
    status = 413


class TooManyRequests(FleetRefusal):
    """A kiosk calling faster than its rate allows (a flood): it waits and sends again."""

    code = "too_many_requests"
    status = 429

    def __init__(self, detail: str, retry_after_s: float) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s
