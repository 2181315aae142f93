"""The accessibility audit: walks a widget tree and lists every rule it breaks (docs/ui.md):
an interactive widget without an accessible name, a touch target or font below the minimum,
main choices closer than 15 mm, text whose contrast with its background (measured on the
rendered pixels, so the real palette and style sheet are what count) is under 7:1."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from ui import theme
from ui.widgets import BigButton


def _visible(widgets: list, root: QWidget) -> list:  # type: ignore[type-arg]
    return [w for w in widgets if w.isVisibleTo(root) and w.window() is root.window()]


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    pixels = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3]
    return pixels.copy()  # own the memory: the QImage goes away with this frame


def text_contrast(image: QImage, widget: QWidget, root: QWidget) -> float:
    """Contrast of the widget's ink against its most common (background) colour. Antialiased
    edge pixels lie between the two, so the most contrasting colour present is the ink."""
    top_left = widget.mapTo(root, widget.rect().topLeft())
    crop = _pixels(image.copy(top_left.x(), top_left.y(), widget.width(), widget.height()))
    packed = (crop[..., 2].astype(np.uint32) << 16) | (crop[..., 1].astype(np.uint32) << 8)
    packed |= crop[..., 0]
    colours, counts = np.unique(packed.ravel(), return_counts=True)
    background = int(colours[counts.argmax()])
    ink = [int(c) for c, n in zip(colours, counts, strict=True) if n >= 6]
    return max(theme.contrast(f"#{c:06X}", f"#{background:06X}") for c in ink)


def audit(root: QWidget, citizen: bool = True) -> list[str]:
    problems: list[str] = []
    interactive = _visible(root.findChildren(QAbstractButton) + root.findChildren(QLineEdit), root)
    for widget in interactive:
        name = widget.accessibleName()
        what = f"{type(widget).__name__} {name or getattr(widget, 'text', lambda: '')()!r}"
        if not name.strip():
            problems.append(f"{what}: no accessible name")
        if citizen and isinstance(widget, QAbstractButton):
            least = theme.BUTTON_HEIGHT if isinstance(widget, BigButton) else theme.MIN_KEY
            if widget.height() < min(least, 96) or widget.width() < theme.CHOICE_GAP_MIN:
                problems.append(f"{what}: {widget.width()}x{widget.height()} px is too small")
    if citizen:
        texts = _visible(root.findChildren(QLabel), root) + interactive
        for widget in texts:
            if isinstance(widget, QLabel) and not widget.text():
                continue
            px = widget.font().pixelSize()
            if px < theme.SMALL_PX:
                problems.append(f"{type(widget).__name__} {widget.accessibleName()!r}: {px} px")
    image = root.grab().toImage()
    for widget in _visible(root.findChildren(QLabel), root) + interactive:
        if isinstance(widget, QLabel) and not widget.text():
            continue  # pictures (the QR code) are not text
        ratio = text_contrast(image, widget, root)
        if ratio < theme.MIN_CONTRAST:
            problems.append(f"{type(widget).__name__} {widget.accessibleName()!r}: {ratio:.1f}:1")
    return problems


def choice_gaps(choices: list[QWidget], root: QWidget) -> list[str]:
    """Main choices at least 15 mm (57 px) apart, edge to edge."""
    problems = []
    rects = [
        (w, w.geometry().translated(w.parentWidget().mapTo(root, w.pos()) - w.pos()))
        for w in choices
    ]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            dx = max(rb.x() - (ra.x() + ra.width()), ra.x() - (rb.x() + rb.width()), 0)
            dy = max(rb.y() - (ra.y() + ra.height()), ra.y() - (rb.y() + rb.height()), 0)
            if max(dx, dy) < theme.CHOICE_GAP_MIN:
                problems.append(f"{a.text()!r} and {b.text()!r} are {max(dx, dy)} px apart")
    return problems
