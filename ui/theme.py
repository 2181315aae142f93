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
        border-radius: 16px; padding: 8px 28px; text-align: left;
    }}
    QPushButton[primary="true"] {{ color: {ON_ACCENT}; background: {ACCENT}; }}
    QPushButton:pressed {{ background: #D6E0F5; color: {TEXT}; }}
    QPushButton[primary="true"]:pressed {{ background: #062A66; color: {ON_ACCENT}; }}
    QPushButton:disabled, QPushButton[primary="true"]:disabled {{
        color: #4A4A4A; background: #ECECEC; border-color: #4A4A4A; }}
    QProgressBar {{ border: 2px solid {BORDER}; border-radius: 10px; background: {SURFACE};
        height: 28px; color: {TEXT}; text-align: center; }}
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
        border-radius: 12px; padding: 8px 20px; }}
    QWidget#overlay {{ background: {BACKGROUND}; }}
    QWidget#staff {{ background: {SURFACE}; }}
    QWidget#staff QLabel, QWidget#staff QRadioButton, QWidget#staff QCheckBox {{
        color: {TEXT}; }}
    QLineEdit {{ color: {TEXT}; background: {SURFACE}; border: 2px solid {BORDER};
        border-radius: 8px; padding: 6px; }}
    """
