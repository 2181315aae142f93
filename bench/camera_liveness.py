"""Liveness: the simulated live citizen against simulated presentation attacks, and the preview rate
while a face check runs.

    python -m bench camera_liveness [--runs N] [--landmarks 5|68]

`--landmarks 68` runs the same measures on dlib's 68-point predictor (reduced to the same five
points) for comparison; it is not licensed for commercial use (devices/camera/MODELS.md).

Scenes (all synthetic, from the sample photo the demo uses):
- live: the sample camera's simulated citizen, who blinks and turns when asked (random order);
  also wearing synthetic dark-rimmed glasses with a reflection on each lens;
- printed photo held still: the same picture, never blinking or turning;
- printed photo skewed in the hand when asked to turn: a homography of the whole picture; a skew
  of 0.3 reaches the turn threshold (only the depth check can refuse it), one of 0.6 mostly loses
  the face;
- phone screen: the simulated citizen seen through a display's pixel grid (period 3-5 px, 10-40 %
  dark lines), moiré as a camera would alias it.
None of this is a real attack recording: the numbers say the checks respond to what they model.
Preview: frames/s delivered to a preview callback by the capture thread during one full check of
`kiosk.services.camera.CameraFaceVerifier` with the sample camera (target >= 15).
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np


def _screen(frame: np.ndarray, period: int, depth: float, zoom: float = 2.0) -> np.ndarray:
    big = cv2.resize(frame, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
    rows, cols = np.indices(big.shape[:2])
    grid = ((rows % period) == 0) | ((cols % period) == 0)
    big = big.astype(np.float32)
    big[grid] *= 1 - depth
    small = cv2.resize(big, (frame.shape[1], frame.shape[0]), interpolation=cv2.INTER_AREA)
    return np.clip(small, 0, 255).astype(np.uint8)


def _skew(frame: np.ndarray, amount: float) -> np.ndarray:
    h, w = frame.shape[:2]
    matrix = np.array([[1.0, amount, -amount * h / 2], [0.0, 1.0, 0.0]], np.float32)
    return cv2.warpAffine(frame, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _perspective(frame: np.ndarray, k: float) -> np.ndarray:
    """The picture turned about its vertical axis (one side further away)."""
    h, w = frame.shape[:2]
    d = abs(k) * h / 2
    far = [[0, 0], [w, d], [w, h - d], [0, h]] if k > 0 else [[0, d], [w, 0], [w, h], [0, h - d]]
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, np.array(far, np.float32))
    return cv2.warpPerspective(frame, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _rotate(frame: np.ndarray, degrees: float) -> np.ndarray:
    h, w = frame.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(frame, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def flat_versus_turned(model, portraits: list[np.ndarray]) -> None:
    """Turn shift and parallax residual: flat warps of each photo vs the simulated turns."""
    from devices.camera.landmarks import head_turn, parallax_residual
    from devices.camera.liveness import inner_box
    from devices.camera.quality import to_gray
    from devices.camera.sample_scenes import turn_face

    flat: list[tuple[float, float]] = []
    turned: list[tuple[float, float]] = []
    for still in portraits:
        faces = model.detect(still)
        if not faces:
            continue
        base = faces[0]
        warps = [_perspective(still, k) for k in (-0.4, -0.2, -0.1, 0.1, 0.2, 0.4)]
        warps += [_skew(still, a) for a in (-0.4, -0.2, -0.1, 0.1, 0.2, 0.4)]
        warps += [_rotate(still, d) for d in (-15, -5, 5, 15)]
        sines = (-0.5, -0.42, -0.25, 0.25, 0.42, 0.5)
        for group, frames in (
            (flat, warps),
            (turned, [turn_face(still, base.landmarks, a) for a in sines]),
        ):
            for frame in frames:
                found = model.detect(frame)
                if found:
                    points = found[0].landmarks
                    shift = head_turn(points) - head_turn(base.landmarks)
                    residual = parallax_residual(
                        to_gray(still), base.landmarks, inner_box(base.box), to_gray(frame), points
                    )
                    group.append((shift, residual))
    for label, group in (("flat warps", flat), ("simulated turns", turned)):
        shifts = [abs(shift) for shift, _ in group]
        residuals = [residual for _, residual in group]
        print(
            f"  {label:16s} n={len(group):2d}  |turn shift| min {min(shifts):.3f} max"
            f" {max(shifts):.3f}  parallax min {min(residuals):.4f} median"
            f" {statistics.median(residuals):.4f} max {max(residuals):.4f}"
        )


def _run_check(model, chip, frames, seed: int, order=None, limit: int = 240):
    from devices.camera.liveness import LivenessChallenge
    from devices.camera.verification import FaceCheck

    check = FaceCheck(model, chip, LivenessChallenge(order, rng=random.Random(seed)))
    key = "look_at_camera"
    spent = []
    for number in range(limit):
        frame = frames(number, key)
        started = time.perf_counter()
        verdict = check.process(frame, number / 15.0)
        spent.append(time.perf_counter() - started)
        key = verdict.guidance
        if verdict.done:
            break
    outcome = check.outcome()
    check.release()
    return outcome, spent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench camera_liveness")
    parser.add_argument("--runs", type=int, default=6, help="runs per scene (random orders)")
    parser.add_argument("--landmarks", type=int, choices=(5, 68), default=5)
    args = parser.parse_args(argv)

    from devices.camera.face import DlibFaceModel
    from devices.camera.liveness import MIN_PARALLAX, TURN_MIN
    from devices.camera.sample_scenes import (
        FACES_DIR,
        SampleCamera,
        demo_face_photo,
        portrait_frame,
    )
    from devices.camera.sources import read_image

    model = DlibFaceModel(landmarks=args.landmarks)
    chip = read_image(demo_face_photo())
    still = portrait_frame(chip)
    results: dict[str, Counter[str]] = {}
    frame_ms: list[float] = []

    def live_scene(seed: int, screen: tuple[int, float] | None = None, glasses: bool = False):
        camera = SampleCamera("face", seed=seed, glasses=glasses)
        camera.open()

        def frames(number: int, key: str) -> np.ndarray:
            camera.hear(key)
            frame = camera.read()
            assert frame is not None
            return _screen(frame, *screen) if screen else frame

        return frames

    def photo_still(number: int, key: str) -> np.ndarray:
        return still

    def photo_skewed(skew: float) -> Callable[[int, str], np.ndarray]:
        state = {"since": -100, "sign": 0.0}

        def frames(number: int, key: str) -> np.ndarray:
            if key in ("turn_left", "turn_right") and number - state["since"] > 12:
                state["since"], state["sign"] = number, (1.0 if key == "turn_left" else -1.0)
            step = number - state["since"]
            amount = skew * state["sign"] if 2 <= step <= 6 else 0.0
            return _skew(still, amount) if amount else still

        return frames

    turns_only = ("turn_left", "turn_right")  # a photo cannot blink: isolate the depth check
    scenes: list[tuple[str, Callable[[int], Callable[[int, str], np.ndarray]], Any]] = [
        ("live (simulated citizen)", lambda seed: live_scene(seed), None),
        ("live, glasses with glare", lambda seed: live_scene(seed, glasses=True), None),
        ("printed photo, still", lambda seed: photo_still, None),
        ("printed photo, skew 0.3 *", lambda seed: photo_skewed(0.3), turns_only),
        ("printed photo, skew 0.6 *", lambda seed: photo_skewed(0.6), turns_only),
        ("phone screen, 3 px 40 %", lambda seed: live_scene(seed, (3, 0.4)), None),
        ("phone screen, 4 px 20 %", lambda seed: live_scene(seed, (4, 0.2)), None),
        ("phone screen, 4 px 10 %", lambda seed: live_scene(seed, (4, 0.1)), None),
        ("phone screen, 5 px 10 %", lambda seed: live_scene(seed, (5, 0.1)), None),
    ]
    for name, make, order in scenes:
        counter: Counter[str] = Counter()
        for run in range(args.runs):
            outcome, spent = _run_check(model, chip, make(run), seed=run, order=order)
            counter["live" if outcome.live else outcome.reason] += 1
            if name.startswith("live"):
                frame_ms.extend(s * 1000 for s in spent)
        results[name] = counter

    print(
        f"liveness with {model.name}, {args.runs} runs per scene (random challenge order;"
        " * turns only):"
    )
    for name, counter in results.items():
        verdicts = ", ".join(f"{k} {v}" for k, v in counter.most_common())
        print(f"  {name:26s} {verdicts}")
    print(
        f"flat pictures vs simulated turns (a turn needs >= {TURN_MIN};"
        f" depth floor {MIN_PARALLAX}):"
    )
    portraits = [portrait_frame(read_image(FACES_DIR / n)) for n in ("obama.jpg", "obama2.jpg")]
    biden = read_image(FACES_DIR / "biden.jpg")
    portraits.append(portrait_frame(biden[: biden.shape[0] // 2]))  # face big enough to find
    flat_versus_turned(model, portraits)
    print(
        f"face-check time per processed frame (live runs): median {statistics.median(frame_ms):.1f}"
        f" ms, p90 {np.percentile(frame_ms, 90):.1f} ms"
    )

    from kiosk.services.camera import CameraFaceVerifier

    # one full check as the kiosk runs it: model in its child process, preview from the capture
    # thread, and a 10 ms ticker thread standing in for the Qt GUI thread
    stamps: list[float] = []
    ticks: list[float] = []
    stop = threading.Event()

    def gui_thread() -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    verifier = CameraFaceVerifier(
        "sample",
        rng=random.Random(1),
        preview=lambda f: stamps.append(time.monotonic()),
        landmarks=args.landmarks,
    )
    spawn_started = time.monotonic()
    child = verifier.model()  # started before the citizen arrives
    spawn_s = time.monotonic() - spawn_started
    status = Path(f"/proc/{child.pid}/status").read_text().splitlines()
    child_rss = next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))
    print(f"face model process: started in {spawn_s:.1f} s, its RSS {child_rss} MB")
    ticker = threading.Thread(target=gui_thread)
    ticker.start()
    started = time.monotonic()
    result = verifier.verify(cv2.imencode(".jpg", chip)[1].tobytes(), lambda f, k: None)
    elapsed = time.monotonic() - started
    stop.set()
    ticker.join()
    verifier.close()
    print(
        f"one verify as wired ({elapsed:.1f} s, match={result.match}, live={result.live}): "
        f"preview {len(stamps) / (stamps[-1] - stamps[0]):.1f} frames/s (camera paced at 15), "
        f"GUI-thread stand-in longest stall {np.diff(ticks).max() * 1000:.0f} ms"
    )
    return 0
