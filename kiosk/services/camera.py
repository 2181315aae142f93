"""The journey's camera services: the card's QR, the face check against the chip photo, and
document photos, on top of `devices.camera`.

Built by the composition root (`kiosk.runtime`): `CameraQrScanner(camera, guidance)` for
`Services.qr`, `CameraFaceVerifier(camera, guidance)` for `Services.face`, and
`CameraDocumentCapture(camera, guidance)` for whoever implements
`DossierService.capture_document`. `guidance(key)` is called each time what the citizen should
do changes (for the voice); `progress(fraction, key)` on every processed frame with the same keys
(texts in `kiosk.texts`). `preview(frame)` (optional) receives every BGR frame at the camera's
rate, from the capture thread, for the UI's mirror (analysis runs on the caller's thread). In demo
mode the camera spec is `sample`: the sample camera plays the demo citizen's card and face, and
its simulated citizen follows the guidance.

Privacy: frames, the chip photo's pixels and every embedding live only inside one call and are
released before it returns; nothing biometric is logged or written.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from kiosk.domain.model import FaceResult, Progress, ServiceError

if TYPE_CHECKING:
    import numpy as np

    from devices.camera.sources import FrameSource

T = TypeVar("T")
log = logging.getLogger(__name__)

Guidance = Callable[[str], None]
Preview = Callable[["np.ndarray"], None]
Camera: TypeAlias = "int | str | FrameSource"  # a `[devices] camera` spec, or a frame source

FACE_TIMEOUT_S = 45.0
DOCUMENT_TIMEOUT_S = 60.0
UNPLUGGED_GIVE_UP_S = 5.0  # camera gone this long during a step: hand over to staff
QR_TILT_HINT_AFTER = 0.3  # share of the QR time after which the citizen is asked to tilt the card

_CARD_QR = re.compile(r"\d{12}\|")


def is_card_qr(text: str) -> bool:
    """A CCCD QR starts with the 12-digit ID and has at least 7 `|`-separated fields
    (docs/domain.md §3); other QR codes (payments, links) are refused."""
    return bool(_CARD_QR.match(text)) and text.count("|") >= 6


class _Reporter:
    """Sends progress on every frame and the guidance callback only when the key changes."""

    def __init__(self, progress: Progress, guidance: Guidance | None, listener: Any) -> None:
        self.progress = progress
        self.guidance = guidance
        self.listener = listener
        self.last = ""

    def __call__(self, fraction: float, key: str) -> None:
        self.progress(max(0.0, min(1.0, fraction)), key)
        if self.listener is not None:
            self.listener.hear(key)
        if key != self.last:
            self.last = key
            if self.guidance is not None:
                self.guidance(key)


class _CameraService:
    def __init__(
        self, camera: Camera, guidance: Guidance | None = None, *, preview: Preview | None = None
    ) -> None:
        self.camera = camera
        self.guidance = guidance
        self.preview = preview

    def _start(self, purpose: str) -> tuple[Any, Any]:
        """An opened capture worker for `purpose`, and the source if it is a simulated person."""
        from devices.camera.capture import CaptureWorker
        from devices.camera.errors import CameraUnavailable
        from devices.camera.sources import Listener, open_source

        try:
            camera = self.camera
            source = camera if not isinstance(camera, int | str) else open_source(camera, purpose)
            preview = self.preview
            worker = CaptureWorker(
                source, on_frame=(lambda frame: preview(frame.image)) if preview else None
            )
            worker.start()
        except CameraUnavailable as exc:
            raise ServiceError(str(exc), code="camera_unavailable") from None
        return worker, source if isinstance(source, Listener) else None

    def _next(self, worker: Any, after: int, report: _Reporter, fraction: float) -> Any:
        """The next frame, or None; raises `device_unplugged` once the camera has been gone for
        `UNPLUGGED_GIVE_UP_S` (the journey then hands over to staff)."""
        frame = worker.next_frame(after, timeout_s=0.5)
        if frame is None and not worker.connected:
            gone = [e for e in worker.events if e.kind == "disconnected"]
            if gone and time.monotonic() - gone[-1].at > UNPLUGGED_GIVE_UP_S:
                raise ServiceError("the camera was unplugged", code="device_unplugged")
            report(fraction, "camera_reconnecting")
        return frame

    def _watch(
        self,
        purpose: str,
        progress: Progress,
        timeout_s: float,
        look: Callable[[Any, float, _Reporter], T | None],
        timed_out: ServiceError,
    ) -> T:
        """Feeds each new frame to `look(frame, fraction, report)` until it returns a result;
        raises `timed_out` when `timeout_s` passes first. The capture worker always stops."""
        worker, listener = self._start(purpose)
        report = _Reporter(progress, self.guidance, listener)
        started = time.monotonic()
        number = -1
        try:
            while (elapsed := time.monotonic() - started) < timeout_s:
                fraction = elapsed / timeout_s
                frame = self._next(worker, number, report, fraction)
                if frame is None:
                    continue
                number = frame.number
                found = look(frame, fraction, report)
                if found is not None:
                    report(1.0, "done")
                    return found
            raise timed_out
        finally:
            worker.stop()


class CameraQrScanner(_CameraService):
    """`QrScanner`: decodes the card's QR from camera frames (zxing-cpp by default)."""

    def __init__(
        self,
        camera: Camera,
        guidance: Guidance | None = None,
        *,
        decoder: str = "",
        preview: Preview | None = None,
    ) -> None:
        super().__init__(camera, guidance, preview=preview)
        self.decoder_name = decoder

    def scan_card_qr(self, timeout_s: float, progress: Progress) -> str:
        from devices.camera.qr import DEFAULT_DECODER, make_decoder

        decoder = make_decoder(self.decoder_name or DEFAULT_DECODER)

        def look(frame: Any, fraction: float, report: _Reporter) -> str | None:
            text = decoder.decode(frame.image)
            if text and is_card_qr(text):
                return str(text)
            if text:
                report(fraction, "not_card_qr")
            elif frame.quality.too_dark:
                report(fraction, "too_dark")
            elif fraction >= QR_TILT_HINT_AFTER:
                report(fraction, "tilt_card")
            else:
                report(fraction, "show_card_qr")
            return None

        timed_out = ServiceError("no card QR decoded in time", code="qr_not_found")
        return self._watch("qr", progress, timeout_s, look, timed_out)


class CameraFaceVerifier(_CameraService):
    """`FaceVerifier`: liveness challenge in random order, then 1:1 match with the chip photo."""

    def __init__(
        self,
        camera: Camera,
        guidance: Guidance | None = None,
        *,
        timeout_s: float = FACE_TIMEOUT_S,
        per_challenge_s: float = 8.0,
        preview: Preview | None = None,
        model: Any = None,
        rng: random.Random | None = None,
        onlooker: Callable[[bool], None] | None = None,
        landmarks: int = 5,
    ) -> None:
        """`onlooker(True)` when a second face comes into view, `onlooker(False)` when it has
        gone (the UI hides personal data meanwhile); called only on change. `landmarks`: dlib's
        5-point predictor (default) or the 68-point one (`[devices] face_landmarks`; its training
        data excludes commercial use, see devices/camera/MODELS.md)."""
        super().__init__(camera, guidance, preview=preview)
        self.landmarks = landmarks
        self.on_onlooker = onlooker
        self.timeout_s = timeout_s
        self.per_challenge_s = per_challenge_s
        self._model = model
        self._rng = rng
        self.onlooker_seen = False  # of the last verify(): a second face was in view

    def model(self) -> Any:
        """The face model, started on first use and kept for later citizens: in a child process
        (3-6 s to start, ~125 MB), because dlib holds the GIL and would freeze the UI thread."""
        if self._model is None:
            from devices.camera.face_process import FaceModelProcess

            self._model = FaceModelProcess(landmarks=self.landmarks)
        return self._model

    def close(self) -> None:
        """Stop the face model's process (at kiosk exit)."""
        close = getattr(self._model, "close", None)
        if close is not None:
            close()
        self._model = None

    def verify(self, chip_photo: bytes, progress: Progress) -> FaceResult:
        from devices.camera.errors import ImageUnreadable, NoFaceFound, SeveralFaces
        from devices.camera.liveness import LivenessChallenge
        from devices.camera.sources import decode_image
        from devices.camera.verification import FaceCheck

        model = self.model()
        challenge = LivenessChallenge(rng=self._rng, per_challenge_s=self.per_challenge_s)
        try:  # the chip photo's pixels are dropped at once: only its embedding stays in `check`
            check = FaceCheck(model, decode_image(chip_photo), challenge)
        except (ImageUnreadable, NoFaceFound, SeveralFaces) as exc:
            raise ServiceError(str(exc), code="chip_photo_unusable") from None
        worker = None
        try:
            worker, listener = self._start("face")
            report = _Reporter(progress, self.guidance, listener)
            started = time.monotonic()
            number = -1
            fraction = 0.0
            onlooker_shown = False
            while time.monotonic() - started < self.timeout_s and not check.done:
                frame = self._next(worker, number, report, fraction)
                if frame is None:
                    continue
                number = frame.number
                verdict = check.process(frame.image, frame.at)
                fraction = verdict.fraction
                # While someone else is in view the screen hides personal data (progress key).
                report(fraction, "onlooker" if verdict.onlooker else verdict.guidance)
                if verdict.onlooker != onlooker_shown:
                    onlooker_shown = verdict.onlooker
                    if self.on_onlooker is not None:
                        self.on_onlooker(onlooker_shown)
            if onlooker_shown and self.on_onlooker is not None:
                self.on_onlooker(False)
            outcome = check.outcome()
            self.onlooker_seen = check.onlooker_seen
            log.info(
                "face check: match=%s live=%s reason=%s",
                outcome.match,
                outcome.live,
                outcome.reason,
            )
            return FaceResult(
                match=outcome.match,
                score=round(outcome.score, 4),
                threshold=outcome.threshold,
                live=outcome.live,
                reason=outcome.reason,
            )
        finally:
            check.release()
            if worker is not None:
                worker.stop()


class CameraDocumentCapture(_CameraService):
    """Photographs one paper: waits until a page lies still, then flattens and enhances it."""

    def capture(self, progress: Progress, timeout_s: float = DOCUMENT_TIMEOUT_S) -> bytes:
        """The page as a grey JPEG; raises `ServiceError(document_not_found)` on timeout."""
        from devices.camera.document import SteadyCapture, encode_jpeg, enhance, flatten

        steady = SteadyCapture()

        def look(frame: Any, fraction: float, report: _Reporter) -> bytes | None:
            state, corners = steady.update(frame.image)
            if state == "capture" and corners is not None:
                return encode_jpeg(enhance(flatten(frame.image, corners)))
            report(fraction, "place_document" if state == "no_page" else "hold_document_still")
            return None

        timed_out = ServiceError("no steady page in time", code="document_not_found")
        return self._watch("document", progress, timeout_s, look, timed_out)
