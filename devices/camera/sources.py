"""Frame sources: a webcam through OpenCV, still images, a video file, or the demo's sample scenes.

A source hands out BGR `numpy` frames one at a time. `read()` returns None when no frame came (the
camera was unplugged, or a video ended and does not loop); `CaptureWorker` turns that into events.
The camera spec string comes from `kiosk.toml` `[devices] camera`: an index (`0`), a device or
video path, a folder of images, an image file, or `sample` (the demo's synthetic scenes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from devices.camera.errors import CameraUnavailable, ImageTooLarge, ImageUnreadable
from devices.camera.image_header import MAX_IMAGE_BYTES, check_bounds

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")
FRAME_SIZE = (640, 480)  # width, height asked of webcams


class FrameSource(Protocol):
    name: str
    fps: float

    def open(self) -> None:
        """Start delivering frames; raises `CameraUnavailable`."""

    def read(self) -> np.ndarray | None:
        """The next BGR frame, or None when none came."""

    def close(self) -> None: ...


@runtime_checkable
class Listener(Protocol):
    """A simulated person in front of the camera, who follows the kiosk's spoken instructions."""

    def hear(self, instruction: str) -> None: ...


def decode_image(data: bytes) -> np.ndarray:
    """BGR pixels of JPEG/PNG/JPEG 2000/BMP/WebP bytes; the declared size is checked before
    decoding (`image_header.check_bounds`). Raises `ImageUnreadable` (`ImageTooLarge`)."""
    header = check_bounds(data)
    try:
        frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error as exc:  # OpenCV asserts instead of answering None for some inputs
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else "OpenCV error"
        raise ImageUnreadable(
            f"the {header.image_format} image cannot be decoded: {message}"
        ) from None
    if frame is None:
        raise ImageUnreadable(f"the {header.image_format} image cannot be decoded (damaged?)")
    return frame


def read_image(path: str | Path) -> np.ndarray:
    """Decode the image file at `path`, reading at most `MAX_IMAGE_BYTES` + 1 bytes (a device
    or a growing file cannot make the kiosk read without end)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        raise ImageUnreadable(f"cannot read {path}: {exc.strerror}") from None
    try:
        return decode_image(data)
    except ImageTooLarge as exc:
        raise ImageTooLarge(f"{path}: {exc}") from None
    except ImageUnreadable as exc:
        raise ImageUnreadable(f"{path} is not a readable image: {exc}") from None


class OpenCvCamera:
    """A webcam (by index) or a video file/stream (by path) through `cv2.VideoCapture`."""

    def __init__(self, target: int | str, *, loop: bool = False) -> None:
        self.target = target
        self.loop = loop
        self.name = f"camera {target}" if isinstance(target, int) else f"video {target}"
        self.fps = 30.0
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        capture = cv2.VideoCapture(self.target)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(f"cannot open {self.name}")
        if isinstance(self.target, int):
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, FRAME_SIZE[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, FRAME_SIZE[1])
        reported = capture.get(cv2.CAP_PROP_FPS)
        if 1.0 <= reported <= 120.0:
            self.fps = float(reported)
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok and self.loop and isinstance(self.target, str):
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        return frame if ok else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class StillImages:
    """Image files played as frames (one file, or every image of a folder in name order)."""

    def __init__(self, paths: Sequence[Path], *, fps: float = 15.0, loop: bool = True) -> None:
        if not paths:
            raise CameraUnavailable("no images to play")
        self.paths = list(paths)
        self.fps = fps
        self.loop = loop
        self.name = f"images {self.paths[0].parent}" if len(paths) > 1 else f"image {paths[0]}"
        self._frames: list[np.ndarray] = []
        self._index = 0

    @classmethod
    def from_folder(cls, folder: Path, **kwargs: float | bool) -> StillImages:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not paths:
            raise CameraUnavailable(f"no images in {folder}")
        return cls(paths, **kwargs)  # type: ignore[arg-type]

    def open(self) -> None:
        try:
            self._frames = [read_image(p) for p in self.paths]
        except ImageUnreadable as exc:
            raise CameraUnavailable(str(exc)) from None
        self._index = 0

    def read(self) -> np.ndarray | None:
        if not self._frames:
            return None
        if self._index >= len(self._frames):
            if not self.loop:
                return None
            self._index = 0
        frame = self._frames[self._index]
        self._index += 1
        return frame.copy()

    def close(self) -> None:
        self._frames = []


class GeneratedFrames:
    """Frames made by a function of the frame number (synthetic scenes, tests)."""

    def __init__(self, make: Callable[[int], np.ndarray | None], *, name: str, fps: float = 15.0):
        self._make = make
        self.name = name
        self.fps = fps
        self._number = 0
        self._open = False

    def open(self) -> None:
        self._open = True
        self._number = 0

    def read(self) -> np.ndarray | None:
        if not self._open:
            return None
        frame = self._make(self._number)
        self._number += 1
        return frame

    def close(self) -> None:
        self._open = False


def parse_camera_spec(spec: int | str) -> int | str:
    """`0` / "0" → 0; other strings are kept (a path or `sample`)."""
    if isinstance(spec, int):
        return spec
    text = spec.strip()
    return int(text) if text.isdigit() else text


def open_source(spec: int | str, purpose: str = "face") -> FrameSource:
    """The frame source named by a camera spec, not yet opened.

    `purpose` (`face`, `qr`, `document`) only matters to the sample camera, which then plays the
    scene a demo needs: a person, an ID card's QR, or a paper.
    """
    target = parse_camera_spec(spec)
    if isinstance(target, int):
        return OpenCvCamera(target)
    if target == "sample":
        from devices.camera.sample_scenes import SampleCamera

        return SampleCamera(purpose)
    path = Path(target).expanduser()
    if path.is_dir():
        return StillImages.from_folder(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return StillImages([path])
    if path.exists() or target.startswith("/dev/"):
        return OpenCvCamera(str(path), loop=not target.startswith("/dev/"))
    raise CameraUnavailable(f"no camera, video, image or folder at {target}")


def wait_for_frame(source: FrameSource, timeout_s: float) -> np.ndarray | None:
    """Poll `source` until a frame comes or `timeout_s` passes (for one-shot reads)."""
    deadline = time.monotonic() + timeout_s
    while True:
        frame = source.read()
        if frame is not None or time.monotonic() >= deadline:
            return frame
        time.sleep(0.02)
