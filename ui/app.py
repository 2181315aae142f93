"""Starting the kiosk: Qt application and fonts, the welcome screen at once, then the runtime
(built by the composition root, `kiosk.runtime.open_runtime`) on a worker thread, so the citizen
sees the kiosk within a second of power-on. A choice made before the runtime is ready waits for
it. The UI builds nothing itself: it is handed the runtime."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig

if TYPE_CHECKING:
    from kiosk.journey.engine import JourneyEngine
    from kiosk.runtime import Runtime
    from ui.main_window import MainWindow
    from ui.voice import Voice

HEARTBEAT_MS = 5000


def hand_over(runtime: Runtime, engine: JourneyEngine, window: MainWindow, voice: Voice) -> None:
    """The runtime is up: the engine gets its services (with the session recorder attached), the
    window its camera feed, voice, and the staff directory its PIN pad checks."""
    from kiosk.ops.session_record import attach_recorder

    engine.services = runtime.services
    attach_recorder(runtime)(engine)
    engine.attach_help_desk(runtime.help_desk, post=window.post_event)
    window.runtime_ready(staff=runtime.staff, voice=voice, preview=runtime.preview)


def run_kiosk(
    config: KioskConfig,
    demo: bool,
    windowed: bool = False,
    exit_when_ready: bool = False,
    english: bool = False,
) -> int:
    from PySide6.QtCore import (
        QCoreApplication,
        QEvent,
        QObject,
        QRunnable,
        QThreadPool,
        QTimer,
        Signal,
    )
    from PySide6.QtWidgets import QApplication

    from kiosk.journey.engine import JourneyEngine
    from kiosk.ops.startup_clock import elapsed_ms
    from ui import theme
    from ui.main_window import ActivityFilter, MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Một Cửa Kiosk")
    theme.load_fonts()
    kiosk_mode = not (windowed or not config.ui.fullscreen)
    screen = app.primaryScreen()
    if kiosk_mode and screen is not None:  # sizes follow the screen (docs/ui.md §6)
        theme.set_scale(theme.scale_for(screen.geometry().width(), screen.geometry().height()))
    app.setFont(theme.font(theme.BODY_PX))
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # set once the runtime is up
    language = "en" if english else config.ui.language
    window = MainWindow(engine, config, language)
    activity = ActivityFilter(window)
    app.installEventFilter(activity)
    from kiosk.ops.heartbeat import Heartbeat
    from ui.lockdown import KioskLockdown

    lockdown = KioskLockdown(window, keep_fullscreen=kiosk_mode)
    if kiosk_mode:  # a development window stays an ordinary window
        app.installEventFilter(lockdown)

    def supervisor_exit() -> None:
        lockdown.allow_exit()
        app.quit()

    window.exit_requested.connect(supervisor_exit)
    heartbeat = Heartbeat.from_env()  # set by `kiosk watchdog`: proves the GUI thread is alive
    if heartbeat is not None:
        beat = QTimer(window, interval=HEARTBEAT_MS)
        beat.timeout.connect(heartbeat.beat)
        beat.start()
        heartbeat.beat()
    if windowed or not config.ui.fullscreen:
        window.resize(1366, 768)
        window.show()
    else:
        from ui.fullscreen import FullScreen, rebuild_screens

        FullScreen(window, on_rescale=lambda: rebuild_screens(window))

    class _Loaded(QObject):
        done = Signal(object)

    loaded = _Loaded()
    warmed = _Loaded()
    holder: dict[str, Any] = {}
    welcome_ms: list[float] = []

    class _OpenRuntime(QRunnable):
        def run(self) -> None:
            from kiosk.runtime import open_runtime

            try:
                from ui.system_printer import SystemPrinter

                loaded.done.emit(open_runtime(config, demo=demo, system_printer=SystemPrinter))
            except Exception as exc:  # shown to staff on screen and in the log
                loaded.done.emit(exc)

    def on_loaded(result: object) -> None:
        if isinstance(result, Exception):
            holder["failure"] = result  # raised once the window closes: `kiosk` says it, exit 2
            if exit_when_ready:
                lockdown.allow_exit()
                app.quit()
            else:  # the maintenance screen for the citizen, the reason in the log for staff
                window.runtime_failed(result)
            return
        from kiosk.runtime import Runtime
        from ui.voice import Voice

        assert isinstance(result, Runtime)
        holder["runtime"] = result
        voice = Voice(variant=config.ui.voice, volume=config.ui.volume / 100, language=language)
        hand_over(result, engine, window, voice)
        if not exit_when_ready:
            QThreadPool.globalInstance().start(_WarmUp(result))
        if exit_when_ready:
            print(
                f"ready: welcome screen in {welcome_ms[0]:.0f} ms, "
                f"services ready in {elapsed_ms():.0f} ms"
            )
            lockdown.allow_exit()  # Qt 6's quit() asks the windows, and lockdown refuses
            app.quit()

    class _WarmUp(QRunnable):
        def __init__(self, runtime: Any) -> None:
            super().__init__()
            self.runtime = runtime

        def run(self) -> None:
            from kiosk.services.warm_up import warm_up

            warmed.done.emit(warm_up(self.runtime))

    loaded.done.connect(on_loaded)
    warmed.done.connect(lambda took: window.runtime_warmed())

    def after_first_paint() -> None:
        welcome_ms.append(elapsed_ms())
        QThreadPool.globalInstance().start(_OpenRuntime())

    QTimer.singleShot(0, after_first_paint)
    try:
        code = app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        runtime = holder.get("runtime")
        if runtime is not None:
            engine.end_session("shutdown")
            window.runner.wait_idle(2000)
            runtime.close()
        # The application outlives this call when it is made in-process (tests): take back what
        # was put on it. quit() closes the windows, and the last one closing posts a second Quit
        # that would outlive exec() and end every later event loop of the process at once.
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
        app.removeEventFilter(activity)
        app.removeEventFilter(lockdown)
        window.hide()
        window.deleteLater()
    failure = holder.get("failure")
    if isinstance(failure, Exception):
        raise failure  # a broken store, disk or key: one line and exit 2 (`kiosk.cli.main`)
    return code
