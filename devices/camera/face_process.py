"""The face model in a child process.

dlib holds Python's GIL while it detects and embeds (measured: a 5 ms ticker thread got 5 ticks in
1.4 s of embeddings), so in the kiosk's process it would freeze the Qt GUI thread for ~150-300 ms
per embedding. `FaceModelProcess` runs `DlibFaceModel` in a spawned child and talks to it over a
pipe: the parent only pickles a frame (~1 ms for 640x480) and then waits in C with the GIL
released. Frames and embeddings cross the pipe in memory only; the child writes nothing.
Like any `multiprocessing` spawn, the child re-imports the main script: the `kiosk` entry points
are fine (`python -m kiosk`, the console script); a frozen build must call `freeze_support()`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from devices.camera.face import DEFAULT_LANDMARKS, DEFAULT_THRESHOLD, DetectedFace

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0  # spawning Python, importing dlib and loading the model (~3-6 s)


def _serve(connection: Connection, threshold: float, landmarks: int) -> None:
    from devices.camera.face import DlibFaceModel

    model = DlibFaceModel(threshold=threshold, landmarks=landmarks)
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        kind, frame, extra = request
        try:
            if kind == "detect":
                faces = model.detect(frame, thorough=extra)
                connection.send(("ok", [(f.box, f.landmarks) for f in faces]))
            elif kind == "embed":
                box, points = extra
                connection.send(("ok", model.embed(frame, DetectedFace(box, points))))
            else:
                connection.send(("error", f"unknown request {kind!r}"))
        except Exception as exc:  # reported to the caller, who raises it
            connection.send(("error", f"{type(exc).__name__}: {exc}"))


class FaceModelProcess:
    """A `FaceModel` whose detector and embedder run in a child process (see module doc)."""

    def __init__(
        self, threshold: float = DEFAULT_THRESHOLD, *, landmarks: int = DEFAULT_LANDMARKS
    ) -> None:
        self.threshold = threshold
        self.landmarks = landmarks
        self.name = f"dlib-resnet-v1, {landmarks}-point landmarks (child process)"
        context = multiprocessing.get_context("spawn")  # no fork of a process with Qt threads
        self._connection, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, threshold, landmarks), name="face-model", daemon=True
        )
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        if not self._connection.poll(START_TIMEOUT_S):
            self.close()
            raise RuntimeError("the face model process did not start in time")
        try:
            status, _ = self._connection.recv()
        except EOFError:
            status = "exited"
        if status != "ready":
            self.close()
            raise RuntimeError(
                "the face model process failed to start (a script that starts it must guard its "
                "top level with `if __name__ == '__main__':`; a frozen build must call "
                "multiprocessing.freeze_support())"
            )

    def _ask(self, kind: str, frame: np.ndarray, extra: Any) -> Any:
        with self._lock:
            if not self._process.is_alive():
                raise RuntimeError("the face model process has stopped")
            self._connection.send((kind, frame, extra))
            status, answer = self._connection.recv()
        if status != "ok":
            raise RuntimeError(f"face model process: {answer}")
        return answer

    def detect(self, frame: np.ndarray, *, thorough: bool = False) -> list[DetectedFace]:
        return [DetectedFace(box, points) for box, points in self._ask("detect", frame, thorough)]

    def embed(self, frame: np.ndarray, face: DetectedFace) -> np.ndarray:
        vector: np.ndarray = self._ask("embed", frame, (face.box, face.landmarks))
        return vector

    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        return 1.0 - float(np.linalg.norm(a - b))

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def close(self) -> None:
        with self._lock:
            if self._process.is_alive():
                with contextlib.suppress(BrokenPipeError, OSError):  # the child already left
                    self._connection.send(None)
                self._process.join(timeout=5.0)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(timeout=5.0)
            self._connection.close()
