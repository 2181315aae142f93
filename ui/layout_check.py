"""The layout checker: what a person would see as broken on the kiosk's window, found on the live
widget tree (docs/ui.md §6): a widget outside the window, a text cut off (wider or taller than its
label or button), a list that scrolls sideways, a window grown past its screen, buttons drawn on
top of each other."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

SLACK_PX = 1  # rounding of fractional font metrics


def _rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    what = text or widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {what[:60]!r}"


def _scrolled(widget: QWidget, root: QWidget) -> bool:
    """Inside a scroll area's content: it may lie below the fold (the list scrolls down)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent.parentWidget(), QScrollArea) or parent.objectName() == (
            "qt_scrollarea_viewport"
        ):
            return True
        parent = parent.parentWidget()
    return False


def _label_cut(label: QLabel) -> str:
    text = label.text()
    if not text or not label.pixmap().isNull():
        return ""
    inner = label.contentsRect()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK_PX:
            return f"text needs {needed} px high, label is {label.height()}"
        widest = max(label.fontMetrics().horizontalAdvance(w) for w in text.split())
        if widest > inner.width() + SLACK_PX:  # one word wider than the label: cut sideways
            return f"a word needs {widest} px wide, label is {inner.width()}"
        return ""
    lines = text.splitlines() or [text]
    wide = max(label.fontMetrics().horizontalAdvance(line) for line in lines)
    high = label.fontMetrics().lineSpacing() * len(lines)
    if wide > inner.width() + SLACK_PX:
        return f"text needs {wide} px wide, label is {inner.width()}"
    if high > inner.height() + label.fontMetrics().leading() + SLACK_PX:
        return f"text needs {high} px high, label is {inner.height()}"
    return ""


def _button_cut(button: QAbstractButton) -> str:
    if not button.text():
        return ""
    hint = button.sizeHint()  # text, icon, and the style sheet's border and padding
    if hint.width() > button.width() + SLACK_PX:
        return f"text needs {hint.width()} px wide, button is {button.width()}"
    return ""


def _layer(widget: QWidget, root: QWidget) -> QWidget:
    """What the widget is drawn in: the window's child holding it (the screens, or an overlay
    above them), or the window itself for its own buttons."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        widget, parent = parent, parent.parentWidget()
    return root if widget.parentWidget() is root and isinstance(widget, QAbstractButton) else widget


def _drawn_rect(widget: QWidget, root: QWidget) -> QRect:
    """Where the widget is drawn: inside a scroll area, only the part within its viewport (a
    row below the fold is not drawn over the bottom bar)."""
    rect = _rect_in(widget, root)
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if parent.objectName() == "qt_scrollarea_viewport":
            rect = rect.intersected(_rect_in(parent, root))
        parent = parent.parentWidget()
    return rect


def _overlaps(buttons: list[QAbstractButton], root: QWidget) -> list[str]:
    found = []
    placed = [(b, _drawn_rect(b, root), _layer(b, root)) for b in buttons]
    for index, (a, rect_a, layer_a) in enumerate(placed):
        for b, rect_b, layer_b in placed[index + 1 :]:
            nested = a.isAncestorOf(b) or b.isAncestorOf(a)
            if layer_a is layer_b and rect_a.intersects(rect_b) and not nested:
                found.append(f"{_name(a)} and {_name(b)} are drawn on top of each other")
    return found


def layout_problems(window: QWidget, size: QSize | None = None) -> list[str]:
    """Every layout defect visible on `window` now, one line each (empty when it is clean)."""
    problems: list[str] = []
    if size is not None and window.size() != size:
        problems.append(
            f"window is {window.width()}x{window.height()}, the screen {size.width()}x"
            f"{size.height()}"
        )
    bounds = window.rect() if size is None else QRect(0, 0, size.width(), size.height())
    shown = [
        w for w in window.findChildren(QWidget) if w.isVisibleTo(window) and w.window() is window
    ]
    problems += _overlaps([w for w in shown if isinstance(w, QAbstractButton)], window)
    for widget in shown:
        if not _scrolled(widget, window) and not bounds.contains(_rect_in(widget, window)):
            rect = _rect_in(widget, window)
            problems.append(
                f"{_name(widget)} lies outside the window at {rect.x()},{rect.y()} "
                f"{rect.width()}x{rect.height()}"
            )
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            problems.append(
                f"{_name(widget)} scrolls sideways by {widget.horizontalScrollBar().maximum()} px"
            )
        cut = ""
        if isinstance(widget, QLabel):
            cut = _label_cut(widget)
        elif isinstance(widget, QAbstractButton):
            cut = _button_cut(widget)
        if cut:
            problems.append(f"{_name(widget)} is cut off: {cut}")
    return problems
