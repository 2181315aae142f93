"""The screen stays fluid while devices work: progress is thinned, camera frames are prepared off
the GUI thread, refreshes update words in place, and screens are built while the kiosk waits."""

from __future__ import annotations

import threading
import time

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage

from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from tests.sample_session import VIETQR_EXAMPLE, sample_context
from tests.ui.person import screen, tap, wait_for
from ui.camera_preview import MAX_FPS, CameraPreview, frame_to_image
from ui.runner import PROGRESS_INTERVAL_S, _Signals, _ThrottledProgress
from ui.screens.fee import FeeScreen
from ui.screens.form import FormScreen


class _Feed:
    """A preview feed whose frames the test publishes from a thread of its own."""

    def __init__(self) -> None:
        self.callbacks: list = []

    def subscribe(self, callback):  # type: ignore[no-untyped-def]
        self.callbacks.append(callback)
        return lambda: self.callbacks.remove(callback)

    def publish(self, frame: np.ndarray) -> None:
        for callback in list(self.callbacks):
            callback(frame)


def test_progress_with_the_same_key_is_passed_on_at_most_ten_times_a_second(qapp):
    signals = _Signals()
    received: list[tuple[float, str]] = []
    signals.progress.connect(lambda item, fraction, key: received.append((fraction, key)))
    progress = _ThrottledProgress(None, signals)  # type: ignore[arg-type]
    start = time.monotonic()
    count = 0
    while time.monotonic() - start < 0.35:
        progress(count / 1000, "reading")
        count += 1
    assert count > 100
    assert 2 <= len(received) <= 0.35 / PROGRESS_INTERVAL_S + 1


def test_a_new_guidance_key_is_passed_on_at_once(qapp):
    signals = _Signals()
    keys: list[str] = []
    signals.progress.connect(lambda item, fraction, key: keys.append(key))
    progress = _ThrottledProgress(None, signals)  # type: ignore[arg-type]
    progress(0.1, "look_at_camera")
    progress(0.2, "blink")
    progress(0.3, "turn_left")
    assert keys == ["look_at_camera", "blink", "turn_left"]


def test_a_camera_frame_becomes_a_mirrored_image_of_the_preview_size():
    frame = np.zeros((480, 640, 3), np.uint8)
    frame[:, :320] = (255, 0, 0)  # blue (BGR) on the camera's left
    image = frame_to_image(frame, 480, 360)
    assert (image.width(), image.height()) == (480, 360)
    # mirrored: the camera's left is the screen's right, and blue stays blue
    assert image.pixelColor(470, 180).blue() == 255 and image.pixelColor(470, 180).red() == 0
    assert image.pixelColor(10, 180).blue() == 0


def test_a_page_on_the_desk_is_shown_as_it_lies_not_mirrored(qtbot):
    preview = CameraPreview("page")
    qtbot.addWidget(preview)
    feed = _Feed()
    preview.attach(feed)
    frame = np.zeros((480, 640, 3), np.uint8)
    frame[:, :320] = (255, 0, 0)  # blue on the camera's left
    feed.publish(frame)
    qtbot.waitUntil(lambda: preview.image is not None, timeout=2000)
    assert preview.image.pixelColor(10, 180).blue() == 255


def test_the_preview_is_prepared_on_the_camera_thread_and_thinned_to_fifteen_a_second(qtbot):
    preview = CameraPreview("face")
    qtbot.addWidget(preview)
    feed = _Feed()
    preview.attach(feed)
    threads: list[str] = []
    original = frame_to_image

    def converting(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    import ui.camera_preview as module

    module.frame_to_image = converting  # type: ignore[assignment]
    try:
        frame = np.full((480, 640, 3), 90, np.uint8)

        def camera() -> None:
            end = time.monotonic() + 0.5
            while time.monotonic() < end:
                feed.publish(frame)
                time.sleep(1 / 60)

        thread = threading.Thread(target=camera, name="camera")
        thread.start()
        while thread.is_alive():
            qtbot.wait(10)
        qtbot.wait(50)
    finally:
        module.frame_to_image = original  # type: ignore[assignment]
    assert threads and set(threads) == {"camera"}
    assert isinstance(preview.image, QImage) and preview.image.width() == preview.width()
    assert 2 <= preview.frames_shown <= MAX_FPS * 0.5 + 2  # 30 published in 0.5 s


def test_a_frame_in_flight_when_the_screen_moves_on_is_not_shown(qtbot):
    preview = CameraPreview("card")
    qtbot.addWidget(preview)
    feed = _Feed()
    preview.attach(feed)
    feed.publish(np.zeros((480, 640, 3), np.uint8))  # queued for the GUI thread
    preview.detach()
    qtbot.wait(30)
    assert preview.image is None and preview.frames_shown == 0


def test_a_progress_refresh_of_the_chips_card_keeps_its_widgets(qtbot):
    form = FormScreen("vi")
    qtbot.addWidget(form)
    ctx = sample_context()
    form.show_view(view_for(StepId.FORM, ctx))
    value = form.card.reveal_buttons[0]
    ctx.progress = (0.5, "")
    form.show_view(view_for(StepId.FORM, ctx))
    assert form.card.reveal_buttons[0] is value


def test_the_fee_qr_is_drawn_once_and_reads_back_as_the_payload(qtbot):
    fee = FeeScreen("vi")
    qtbot.addWidget(fee)
    ctx = sample_context()
    fee.show_view(view_for(StepId.FEE, ctx))
    pixmap = fee.qr.pixmap()
    fee.show_view(view_for(StepId.FEE, ctx))  # a progress refresh
    assert fee.qr.pixmap().cacheKey() == pixmap.cacheKey()
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.array(image.constBits()).reshape(image.height(), image.bytesPerLine())
    assert zxingcpp.read_barcodes(pixels[:, : image.width()])[0].text == VIETQR_EXAMPLE


def test_screens_are_built_while_the_welcome_screen_waits(qtbot, kiosk):
    qtbot.waitUntil(lambda: not kiosk.prebuild_timer.isActive(), timeout=15_000)
    assert set(kiosk.screens) == set(StepId)


def test_no_screen_is_built_behind_a_citizen_being_served(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    built = set(kiosk.screens)
    qtbot.wait(600)
    assert set(kiosk.screens) == built


def test_start_up_objects_are_frozen_once_warm_but_never_after_a_citizen_came(qtbot, kiosk):
    import gc

    gc.unfreeze()
    kiosk.runtime_warmed()
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    kiosk.runtime_warmed()  # objects that held personal data must stay collectable
    assert gc.get_freeze_count() == 0
