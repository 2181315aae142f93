import threading
import time

import numpy as np

from devices.camera.capture import CaptureWorker
from devices.camera.errors import CameraUnavailable


class _PluggableCamera:
    """A fake webcam whose cable can be pulled: no frames and no reopening while unplugged."""

    name = "fake camera"
    fps = 100.0

    def __init__(self) -> None:
        self.plugged = threading.Event()
        self.plugged.set()
        self.count = 0

    def open(self) -> None:
        if not self.plugged.is_set():
            raise CameraUnavailable("unplugged")

    def read(self):
        if not self.plugged.is_set():
            return None
        self.count += 1
        return np.full((4, 4, 3), self.count % 256, np.uint8)

    def close(self) -> None:
        pass


def _wait_for(predicate, timeout=3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_next_frame_never_returns_the_same_frame_twice():
    with CaptureWorker(_PluggableCamera()) as worker:
        first = worker.next_frame()
        second = worker.next_frame(after=first.number)
    assert second.number > first.number


def test_unplug_and_replug_are_reported_as_events():
    camera = _PluggableCamera()
    worker = CaptureWorker(camera, lost_after_s=0.1, retry_every_s=0.05)
    worker.start()
    try:
        assert worker.next_frame() is not None
        camera.plugged.clear()
        assert _wait_for(lambda: not worker.connected)
        camera.plugged.set()
        assert _wait_for(lambda: worker.connected)
        assert worker.next_frame(after=worker.next_frame().number) is not None
    finally:
        worker.stop()
    kinds = [event.kind for event in worker.events]
    assert kinds == ["started", "disconnected", "reconnected", "stopped"]


def test_stop_drops_the_last_frame():
    worker = CaptureWorker(_PluggableCamera())
    worker.start()
    assert worker.next_frame() is not None
    worker.stop()
    assert worker.next_frame(timeout_s=0.05) is None


def test_each_frame_carries_its_measured_quality():
    with CaptureWorker(_PluggableCamera()) as worker:
        frame = worker.next_frame()
    assert frame.quality.brightness == float(frame.image.mean())


def test_on_frame_sees_every_frame_even_when_nobody_takes_them():
    seen = []
    worker = CaptureWorker(_PluggableCamera(), on_frame=lambda frame: seen.append(frame.number))
    worker.start()
    try:
        assert _wait_for(lambda: len(seen) >= 5)
    finally:
        worker.stop()
    assert seen[:5] == [0, 1, 2, 3, 4]
