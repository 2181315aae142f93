import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(scope="session", autouse=True)
def kiosk_fonts(qapp):  # type: ignore[no-untyped-def]
    from ui import theme

    theme.load_fonts()
    qapp.setFont(theme.font(theme.BODY_PX))
    return theme.FAMILY


@pytest.fixture
def kiosk(qtbot):  # type: ignore[no-untyped-def]
    """A kiosk window over fake services, silent voice, a fake staff directory, 1366×768."""
    from kiosk.journey.engine import JourneyEngine
    from tests.fakes import fake_services
    from tests.ui.fakes import FakeStaffDirectory, quick_config
    from ui.main_window import MainWindow
    from ui.voice import Voice

    engine = JourneyEngine(fake_services())
    window = MainWindow(
        engine,
        quick_config(),
        voice=Voice(audio=False, live_tts=False),
        staff=FakeStaffDirectory(),
        watch_card=False,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.runner.wait_idle(3000)
