"""Face model: speed per 640x480 frame, RSS, and match accuracy on augmented sample pairs.

    python -m bench camera_face [--variants N] [--reps N] [--landmarks 5|68]

`--landmarks` picks dlib's shape predictor that aligns the face for the embedding: 5 points (the
default, free to use) or 68 (trained on iBUG 300-W: non-commercial only; for comparison).

Labelled pairs: the three sample photos (assets/faces: obama.jpg and obama2.jpg are one person,
biden.jpg another; so 2 people, 3 photographs) each give N augmented variants (crop, scale,
brightness, rotation, JPEG recompression, a DG2-like 480-high JPEG of ~15 KB like an old chip
photo). Genuine pairs: variants of one person; impostor pairs: variants of different people.
This is a tiny set: it checks the pipeline and the threshold's neighbourhood, it does not measure
the model's real-world error rates (dlib reports 99.38 % on LFW for this network).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

FACES = Path(__file__).resolve().parents[1] / "assets" / "faces"
PEOPLE = {"obama.jpg": "A", "obama2.jpg": "A", "biden.jpg": "B"}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _photo(name: str) -> np.ndarray:
    image = cv2.imread(str(FACES / name))
    if image is None:
        raise FileNotFoundError(FACES / name)
    return np.asarray(image)


def dg2_like(image: np.ndarray, target_bytes: int = 15_000) -> np.ndarray:
    """Scaled to 480 high and JPEG-compressed to about `target_bytes`, as on a chip."""
    scale = 480 / image.shape[0]
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    for quality in range(90, 5, -5):
        ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok and len(data) <= target_bytes:
            break
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR))


def augment(image: np.ndarray, kind: str, rng: random.Random) -> np.ndarray:
    h, w = image.shape[:2]
    if kind == "crop":
        keep = rng.uniform(0.8, 0.95)
        top, left = rng.randint(0, int(h * (1 - keep))), rng.randint(0, int(w * (1 - keep)))
        return image[top : top + int(h * keep), left : left + int(w * keep)]
    if kind == "scale":
        factor = rng.uniform(0.3, 0.7)
        return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    if kind == "brightness":
        gain = rng.uniform(0.55, 1.4)
        return np.clip(image.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    if kind == "rotation":
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-12, 12), 1.0)
        return cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
    if kind == "jpeg":
        _, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(15, 40)])
        return np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR))
    if kind == "dg2":
        return dg2_like(image, rng.randint(12_000, 18_000))
    raise ValueError(kind)


KINDS = ("crop", "scale", "brightness", "rotation", "jpeg", "dg2")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench camera_face")
    parser.add_argument("--variants", type=int, default=12, help="augmented variants per photo")
    parser.add_argument("--reps", type=int, default=15, help="timed frames per photo")
    parser.add_argument("--landmarks", type=int, choices=(5, 68), default=5)
    args = parser.parse_args(argv)

    from devices.camera.errors import NoFaceFound, SeveralFaces
    from devices.camera.face import DEFAULT_THRESHOLD, DlibFaceModel, only_face
    from devices.camera.sample_scenes import portrait_frame

    rss_before = _rss_mb()
    started = time.perf_counter()
    model = DlibFaceModel(landmarks=args.landmarks)
    load_s = time.perf_counter() - started

    # --- speed at 640x480 ---------------------------------------------------------------------
    detect_ms, embed_ms, total_ms, cpu_ms = [], [], [], []
    for name in PEOPLE:
        frame = portrait_frame(_photo(name))
        for _ in range(args.reps):
            c0 = time.process_time()
            t0 = time.perf_counter()
            faces = model.detect(frame)
            t1 = time.perf_counter()
            model.embed(frame, faces[0])
            t2 = time.perf_counter()
            detect_ms.append((t1 - t0) * 1000)
            embed_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
            cpu_ms.append((time.process_time() - c0) * 1000)
    rss_after = _rss_mb()

    # --- labelled pairs -----------------------------------------------------------------------
    rng = random.Random(11)
    samples: list[tuple[str, str, str, np.ndarray]] = []  # (person, photo, kind, embedding)
    skipped = 0
    for name, person in PEOPLE.items():
        original = _photo(name)
        variants: list[tuple[str, np.ndarray | None]] = [("original", original)]
        variants += [(KINDS[i % len(KINDS)], None) for i in range(args.variants)]
        for kind, image in variants:
            picture = image if image is not None else augment(original, kind, rng)
            try:
                face = only_face(model, picture)
            except (NoFaceFound, SeveralFaces):  # an augmentation that lost the face is counted
                skipped += 1
                continue
            samples.append((person, name, kind, model.embed(picture, face)))

    genuine_same_photo, genuine_cross_photo, impostor, dg2_vs_other = [], [], [], []
    for a, b in itertools.combinations(samples, 2):
        score = model.score(a[3], b[3])
        if a[0] != b[0]:
            impostor.append(score)
        elif a[1] == b[1]:
            genuine_same_photo.append(score)
        else:
            genuine_cross_photo.append(score)
            if "dg2" in (a[2], b[2]):
                dg2_vs_other.append(score)
    genuine = genuine_same_photo + genuine_cross_photo

    def rate(scores: list[float], threshold: float) -> float:
        return sum(s >= threshold for s in scores) / len(scores) if scores else float("nan")

    print(f"face model {model.name}: load {load_s:.2f} s, RSS +{rss_after - rss_before:.0f} MB")
    print(f"per 640x480 frame (n={len(total_ms)}), median ms:")
    print(f"  detect+landmarks {statistics.median(detect_ms):7.1f}")
    print(f"  embed            {statistics.median(embed_ms):7.1f}")
    print(f"  detect+embed     {statistics.median(total_ms):7.1f}   target <= 150")
    print(f"  ... CPU time     {statistics.median(cpu_ms):7.1f}   (without waiting on a busy CPU)")
    print(
        f"  load average     {Path('/proc/loadavg').read_text().split()[0]}"
        f" on {os.cpu_count()} cores"
    )
    print(
        f"pairs: {len(samples)} faces ({skipped} variants lost the face), "
        f"genuine {len(genuine)} (cross-photo {len(genuine_cross_photo)}, of which with a DG2-like "
        f"side {len(dg2_vs_other)}), impostor {len(impostor)}"
    )
    for label, scores in (
        ("genuine same photo", genuine_same_photo),
        ("genuine cross photo", genuine_cross_photo),
        ("  with DG2-like side", dg2_vs_other),
        ("impostor", impostor),
    ):
        if scores:
            print(
                f"  {label:22s} score min {min(scores):.3f} median {statistics.median(scores):.3f}"
                f" max {max(scores):.3f}"
            )
    print("threshold   TMR(all)  TMR(cross)  TMR(DG2)  FMR")
    for threshold in (0.30, 0.35, 0.40, DEFAULT_THRESHOLD, 0.50, 0.55):
        mark = "  <- in use" if threshold == DEFAULT_THRESHOLD else ""
        print(
            f"  {threshold:.2f}      {rate(genuine, threshold):6.3f}    "
            f"{rate(genuine_cross_photo, threshold):6.3f}    {rate(dg2_vs_other, threshold):6.3f}"
            f"  {rate(impostor, threshold):6.3f}{mark}"
        )
    return 0
