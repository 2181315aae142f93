"""The kiosk window is handed the runtime the composition root built: the PIN pad checks the
runtime's staff directory, which honours `[security] staff_lockout_minutes`."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.journey.engine import JourneyEngine
from kiosk.records.staff import LockedOut, WrongPin
from kiosk.runtime import open_runtime
from tests.ui.fakes import quick_config
from ui.app import hand_over
from ui.main_window import MainWindow
from ui.voice import Voice


@pytest.fixture
def runtime(tmp_path):  # type: ignore[no-untyped-def]
    config = quick_config()
    config = dataclasses.replace(
        config,
        storage=dataclasses.replace(config.storage, data_dir=str(tmp_path)),
        security=dataclasses.replace(config.security, staff_lockout_minutes=7),
    )
    opened = open_runtime(config, demo=True)
    yield opened
    opened.close()


def test_the_pin_pad_locks_for_the_configured_staff_lockout_minutes(qtbot, runtime):
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # as `kiosk run` starts
    window = MainWindow(engine, runtime.config, watch_card=False)
    qtbot.addWidget(window)
    hand_over(runtime, engine, window, Voice(audio=False, live_tts=False))
    directory = window.pin_pad.directory
    assert directory is not None
    for _ in range(4):
        with pytest.raises(WrongPin):
            directory.authenticate(None, "999999")
    before = datetime.now(UTC)
    with pytest.raises(LockedOut) as locked:
        directory.authenticate(None, "999999")
    assert timedelta(minutes=7) <= locked.value.until - before < timedelta(minutes=7, seconds=5)


def test_the_window_gets_the_runtime_services_and_camera_feed(qtbot, runtime):
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]
    window = MainWindow(engine, runtime.config, watch_card=False)
    qtbot.addWidget(window)
    hand_over(runtime, engine, window, Voice(audio=False, live_tts=False))
    assert engine.services is runtime.services
    assert window.options.preview is runtime.preview
