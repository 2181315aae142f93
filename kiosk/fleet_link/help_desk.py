"""The help desk as the fleet link sees it: a small Protocol over `kiosk.records.help_requests`
(`HelpDesk`), so the link queues `help` / `help_closed` events when a request is raised or closed
and hands the counter's acknowledgements back (docs/fleet_link.md §2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class HelpDeskPort(Protocol):
    def add_listener(self, callback: Callable[[Any], None]) -> None: ...

    def acknowledge(self, help_id: str, state: str, by: str) -> None: ...

    def open_requests(self) -> list[Any]: ...


ACK_STATES = ("acknowledged", "coming")


def is_closed(request: Any) -> bool:
    """A request handed to the listener on close (a `closed_at` set, or state "closed")."""
    return getattr(request, "closed_at", None) is not None or getattr(request, "state", "") in (
        "closed",
        "resolved",
    )


def help_body(request: Any, office: str) -> dict[str, Any]:
    """The `help` event: where the citizen is, never who (docs/fleet_link.md §2)."""
    body: dict[str, Any] = {
        "help_id": str(request.help_id),
        "step": str(request.step),
        "step_number": int(request.step_number),
        "step_title": str(request.step_title),
        "reason": str(request.reason),
    }
    if office:
        body["office"] = office
    return body
