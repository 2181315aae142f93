"""Typed refusals of the fleet service: each has a stable wire code, `error` (the JSON `error` of
the protocol, docs/fleet.md §2), and the HTTP status it is answered with. They are the service's
answers on the wire, not kiosk error codes: the kiosk's fleet link maps them to its own, and no
citizen ever sees them."""

from __future__ import annotations


class FleetRefusal(Exception):
    error = "bad_request"
    status = 400

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.error)
        self.detail = detail


class BadRequest(FleetRefusal):
    """The body is not what the protocol says (JSON, fields, an event)."""


class TokenInvalid(FleetRefusal):
    """Unknown or revoked kiosk token (or console/dashboard access token)."""

    error = "token_invalid"
    status = 401


class KioskMismatch(FleetRefusal):
    """The body names another kiosk than the token's."""

    error = "kiosk_mismatch"
    status = 403


class Forbidden(FleetRefusal):
    """An office's access token used for another office, or for the province dashboard."""

    error = "forbidden"
    status = 403


class NotFound(FleetRefusal):
    error = "not_found"
    status = 404


class Conflict(FleetRefusal):
    error = "conflict"
    status = 409


class TooLarge(FleetRefusal):
    """A body over the size limit or a batch over the event limit."""

    error = "too_large"
    status = 413


class TooManyRequests(FleetRefusal):
    """A kiosk calling faster than its rate allows (a flood): it waits and sends again."""

    error = "too_many_requests"
    status = 429

    def __init__(self, detail: str, retry_after_s: float) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s
