"""Acting like a person at the kiosk: tap what is on screen, wait for the next screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from kiosk.journey.steps import StepId


def tap(qtbot, widget: QAbstractButton) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(widget.isVisible, timeout=2000)  # a new button is shown by the next loop
    assert widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_for(qtbot, window, step: StepId, timeout: int = 3000) -> None:  # type: ignore[no-untyped-def]
    """Until the step's screen is shown and the kiosk's work there is done (a person waits for
    the prefilled form before answering)."""
    qtbot.waitUntil(
        lambda: window.engine.state is step and window.shown is step and window.runner.busy is None,
        timeout=timeout,
    )


def screen(window):  # type: ignore[no-untyped-def]
    return window.screens[window.engine.state]


def procedure_tile(qtbot, listing, code: str):  # type: ignore[no-untyped-def]
    """Turn the procedure list's pages until the procedure's tile is on screen, as a citizen
    would."""
    for _ in range(listing.page_count()):
        found = [t for t in listing.procedure_buttons if t.card.code == code]
        if found:
            return found[0]
        tap(qtbot, listing.next_page)
    raise AssertionError(f"{code} is on no page")
