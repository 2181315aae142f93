import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(scope="session", autouse=True)
def kiosk_fonts(qapp):  # type: ignore[no-untyped-def]
    from ui import theme

    theme.load_fonts()
    qapp.setFont(theme.font(theme.BODY_PX))
    return theme.FAMILY
