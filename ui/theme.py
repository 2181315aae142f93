"""The kiosk's look in one place: type sizes, touch sizes, palette (with measured contrast),
fonts and pictograms. Screens take every size and colour from here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

ASSETS = Path(__file__).resolve().parents[1] / "assets"
FONT_FILES = [
    "BeVietnamPro-Regular.ttf",
    "BeVietnamPro-Medium.ttf",
    "BeVietnamPro-SemiBold.ttf",
    "BeVietnamPro-Bold.ttf",
]
FAMILY = "Be Vietnam Pro"

# Every size below is for the design's reference screen, 1366×768 (docs/ui.md §6); the
# running kiosk multiplies them by `SCALE` (see `set_scale`), so a 1920×1080 panel is as full and
# as readable as a 1366×768 one. Screens read them as `theme.X` when they build, never copy them.
REFERENCE_SIZE = (1366, 768)

# Type (px). Body 28–32, titles 44–56, numbers that matter 56+ (docs/ui.md).
BODY_PX = 30
SMALL_PX = 28  # the smallest text a citizen ever sees
TITLE_PX = 48
BIG_NUMBER_PX = 60
BUTTON_PX = 32
STAFF_PX = 18  # staff-only screens may be denser

# Touch (px). Primary buttons ≥ 96 tall; ≥ 24 between targets (≈ 15 mm on a 21.5" 1080p panel
# is 57 px: we keep 60 between the two choice buttons).
BUTTON_HEIGHT = 104
BUTTON_GAP = 60
MARGIN = 48
PICTOGRAM = 160
ICON = 56
DOT = 18  # progress dots
KEY_HEIGHT = 76  # on-screen keyboard keys (a correction, not a main choice): ≥ 72
MIN_KEY = 72
CHOICE_WIDTH = 300  # the bottom bar's action buttons
CHOICE_GAP_MIN = 57  # 15 mm on a 21.5" 1080p panel: between the citizen's main choices
SCROLLBAR = 48  # a long list's bar: wide enough to drag with a finger (no swipe needed)
PREVIEW = (480, 360)  # camera preview with its guide
ANIMATION_MS = 2400  # one loop of "place the card" / "look at the camera"

# The sizes at scale 1.0, kept to scale from (set_scale rebinds the names above).
_REFERENCE_INTS: dict[str, int] = {
    "BODY_PX": BODY_PX, "SMALL_PX": SMALL_PX, "TITLE_PX": TITLE_PX,
    "BIG_NUMBER_PX": BIG_NUMBER_PX, "BUTTON_PX": BUTTON_PX, "STAFF_PX": STAFF_PX,
    "BUTTON_HEIGHT": BUTTON_HEIGHT, "BUTTON_GAP": BUTTON_GAP, "MARGIN": MARGIN,
    "PICTOGRAM": PICTOGRAM, "ICON": ICON, "DOT": DOT, "KEY_HEIGHT": KEY_HEIGHT,
    "MIN_KEY": MIN_KEY, "CHOICE_WIDTH": CHOICE_WIDTH, "CHOICE_GAP_MIN": CHOICE_GAP_MIN,
    "SCROLLBAR": SCROLLBAR,
}  # fmt: skip
_REFERENCE_PREVIEW = PREVIEW
SCALE = 1.0


def scale_for(width: int, height: int) -> float:
    """The scale for a window of `width`×`height` logical px (Qt's high-DPI scaling already turns
    device pixels into logical ones): the largest that keeps the 1366×768 design inside the
    window, never below 1.0 — the minimum sizes (docs/ui.md §3, §5) hold on every screen, and a
    narrower panel (1280×1024) keeps them and lays out in its own width."""
    ref_w, ref_h = REFERENCE_SIZE
    return max(1.0, min(width / ref_w, height / ref_h))


def set_scale(scale: float) -> None:
    """Make every size follow the screen. Call before the window builds its screens."""
    global SCALE, PREVIEW
    SCALE = scale
    for name, reference in _REFERENCE_INTS.items():
        globals()[name] = round(reference * scale)
    width, height = _REFERENCE_PREVIEW
    PREVIEW = (round(width * scale), round(height * scale))


def px(reference_px: int) -> int:
    """A size given for the 1366×768 design, at the current scale (for one-off gaps)."""
    return round(reference_px * SCALE)


# Palette: dark text on light background; one accent; green only for success, red for errors.
BACKGROUND = "#FAFAF7"
TEXT = "#141414"
MUTED_TEXT = "#3A3A3A"
ACCENT = "#0B3D91"  # deep blue: primary actions
ON_ACCENT = "#FFFFFF"
SUCCESS = "#1B5E20"
ERROR = "#A4161A"
SURFACE = "#FFFFFF"
BORDER = "#0B3D91"
NOTICE = "#FFF4CC"  # pale yellow behind "practice" and "staff called" banners
MIN_CONTRAST = 7.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two colours (1..21)."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


_fonts_loaded = False


def load_fonts() -> str:
    """Register the bundled Vietnamese font (the PySide6 wheel ships none). Returns the family."""
    global _fonts_loaded
    if not _fonts_loaded:
        for name in FONT_FILES:
            if QFontDatabase.addApplicationFont(str(ASSETS / "fonts" / name)) < 0:
                raise RuntimeError(f"cannot load font {name}")
        _fonts_loaded = True
    return FAMILY


def font(px: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont(FAMILY)
    f.setPixelSize(px)
    f.setWeight(weight)
    return f


def pictogram_path(name: str) -> str:
    return str(ASSETS / "pictograms" / f"{name}.svg")


def stylesheet() -> str:
    return f"""
    QWidget#screen {{ background: {BACKGROUND}; }}
    QLabel {{ color: {TEXT}; }}
    QLabel[role="muted"] {{ color: {MUTED_TEXT}; }}
    QLabel[role="error"] {{ color: {ERROR}; }}
    QLabel[role="success"] {{ color: {SUCCESS}; }}
    QPushButton {{
        color: {ACCENT}; background: {SURFACE}; border: 3px solid {BORDER};
        border-radius: {px(16)}px; padding: {px(8)}px {px(28)}px; text-align: left;
    }}
    QPushButton[primary="true"] {{ color: {ON_ACCENT}; background: {ACCENT}; }}
    QPushButton:pressed {{ background: #D6E0F5; color: {TEXT}; }}
    QPushButton[primary="true"]:pressed {{ background: #062A66; color: {ON_ACCENT}; }}
    QPushButton:disabled, QPushButton[primary="true"]:disabled {{
        color: #4A4A4A; background: #ECECEC; border-color: #4A4A4A; }}
    QProgressBar {{ border: 2px solid {BORDER}; border-radius: 10px; background: {SURFACE};
        height: {px(28)}px; color: {TEXT}; text-align: center; }}
    QProgressBar::chunk {{ background: {ACCENT}; border-radius: 8px; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ border: none; background: {BACKGROUND}; }}
    QScrollBar:vertical {{ width: {SCROLLBAR}px; background: {SURFACE};
        border: 2px solid {BORDER}; border-radius: 12px; margin: 0; }}
    QScrollBar::handle:vertical {{ background: {ACCENT}; border-radius: 10px;
        min-height: {SCROLLBAR * 2}px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    QPushButton[reveal="true"] {{ color: {TEXT}; background: {SURFACE};
        border: 3px dashed {BORDER}; text-align: left; }}
    QPushButton[key="true"] {{ text-align: center; padding: 4px; }}
    QLabel[role="banner"] {{ color: {TEXT}; background: {NOTICE}; border: 3px solid {BORDER};
        border-radius: {px(12)}px; padding: {px(8)}px {px(20)}px; }}
    QWidget#overlay {{ background: {BACKGROUND}; }}
    QWidget#staff {{ background: {SURFACE}; }}
    QWidget#staff QLabel, QWidget#staff QRadioButton, QWidget#staff QCheckBox {{
        color: {TEXT}; }}
    QLineEdit {{ color: {TEXT}; background: {SURFACE}; border: 2px solid {BORDER};
        border-radius: 8px; padding: 6px; }}
    """
