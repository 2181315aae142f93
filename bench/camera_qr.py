"""QR decoding of the CCCD card: decode rate and median time per decoder on synthetic frames.

    python -m bench camera_qr [--frames N]

Frames (640x480 JPEG, seeded): the demo citizen's card held with its QR in the guide square, and
in equal shares: clean, small (whole card at arm's length), tilted (±25°, perspective), Gaussian
blur, motion blur, glare, low light with sensor noise, and all of tilt+blur+glare+low light
together (`devices.camera.synthetic.qr_frames`). A decode counts only if the text is exactly the
card's UTF-8 text.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter, defaultdict


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench camera_qr")
    parser.add_argument("--frames", type=int, default=240)
    args = parser.parse_args(argv)

    from devices.camera.qr import DECODER_NAMES, DEFAULT_DECODER, make_decoder
    from devices.camera.synthetic import CONDITIONS, demo_qr_text, qr_frames

    text = demo_qr_text()
    decoders = [make_decoder(name) for name in DECODER_NAMES]
    frames = list(qr_frames(text, args.frames))
    decoded: Counter[tuple[str, str]] = Counter()
    wrong: Counter[str] = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    per_condition = Counter(condition for condition, _ in frames)
    for condition, frame in frames:
        for decoder in decoders:
            started = time.perf_counter()
            result = decoder.decode(frame)
            times[decoder.name].append((time.perf_counter() - started) * 1000)
            if result == text:
                decoded[(decoder.name, condition)] += 1
            elif result is not None:
                wrong[decoder.name] += 1

    names = [d.name for d in decoders]
    print(f"{len(frames)} synthetic CCCD QR frames at 640x480 ({len(text.encode())} bytes of text)")
    print(f"{'condition':12s}" + "".join(f"{n:>10s}" for n in names))
    for condition in CONDITIONS:
        total = per_condition[condition]
        cells = "".join(f"{decoded[(n, condition)]:>6d}/{total:<3d}" for n in names)
        print(f"{condition:12s}{cells}")
    print(
        f"{'rate':12s}"
        + "".join(f"{sum(decoded[(n, c)] for c in CONDITIONS) / len(frames):>10.1%}" for n in names)
    )
    print(f"{'median ms':12s}" + "".join(f"{statistics.median(times[n]):>10.1f}" for n in names))
    print(f"{'wrong text':12s}" + "".join(f"{wrong[n]:>10d}" for n in names))
    print(f"in use: {DEFAULT_DECODER} (target >= 95 %)")
    return 0
