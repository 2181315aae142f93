"""Starting the kiosk: Qt application, fonts, runtime (store, services), the window."""

from __future__ import annotations

import sys

from kiosk.config import KioskConfig


def run_kiosk(
    config: KioskConfig,
    demo: bool,
    windowed: bool = False,
    exit_when_ready: bool = False,
    english: bool = False,
) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.journey.engine import JourneyEngine
    from kiosk.services.wiring import open_runtime
    from kiosk.session_record import attach_recorder
    from kiosk.startup_clock import elapsed_ms
    from ui import theme
    from ui.main_window import ActivityFilter, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Một Cửa Kiosk")
    theme.load_fonts()
    app.setFont(theme.font(theme.BODY_PX))
    runtime = open_runtime(config, demo=demo)
    engine = JourneyEngine(runtime.services)
    attach_recorder(runtime)(engine)
    language = "en" if english or config.ui.language == "en" else "vi"
    window = MainWindow(engine, config, language)
    app.installEventFilter(ActivityFilter(window))
    if windowed or not config.ui.fullscreen:
        window.resize(1366, 768)
        window.show()
    else:
        window.showFullScreen()
    if exit_when_ready:

        def ready() -> None:
            print(f"ready: welcome screen in {elapsed_ms():.0f} ms")
            app.quit()

        QTimer.singleShot(0, ready)  # after the first paint of the welcome screen
    try:
        code = app.exec()
    finally:
        engine.end_session("shutdown")
        window.runner.wait_idle(2000)
        runtime.close()
    return code
