"""`python -m bench fuzz [--inputs N] [--target NAME] [--seed S] [--save DIR]`: mutation fuzzing of
every parser reachable from outside (targets in tests/fuzz/targets.py), N inputs per target
(default 100,000). A finding is an exception other than the target's typed errors; findings are
grouped by exception type and the line that raised it, and with --save their inputs are written
out. Prints per target: inputs, accepted, typed errors, findings, inputs per second."""

from __future__ import annotations

import argparse
import random
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

from tests.fuzz.targets import Target, all_targets, fuzz_input


def where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    return (
        f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}" if last else repr(exc)
    )


def fuzz_target(
    target: Target, inputs: int, seed: int, save: Path | None = None
) -> tuple[Counter[str], dict[str, tuple[str, bytes]], float]:
    rng = random.Random(seed)
    seeds = target.seeds()
    outcomes: Counter[str] = Counter()
    findings: dict[str, tuple[str, bytes]] = {}
    start = time.perf_counter()
    for _ in range(inputs):
        data = fuzz_input(seeds, rng)
        try:
            target.run(data)
            outcomes["accepted"] += 1
        except target.expected:
            outcomes["typed error"] += 1
        except Exception as exc:
            outcomes["finding"] += 1
            key = where(exc)
            if key not in findings:
                findings[key] = (f"{type(exc).__name__}: {exc}"[:160], data)
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    name = f"{target.name}-{len(findings)}".replace(" ", "_").replace("/", "_")
                    (save / f"{name}.bin").write_bytes(data)
    return outcomes, findings, time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fuzz")
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--target", action="append", help="only targets whose name contains this")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--save", type=Path, help="write one input per distinct finding here")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # deprecation notes about malformed certificates, per input
    targets, missing = all_targets()
    if args.target:
        targets = [t for t in targets if any(w.lower() in t.name.lower() for w in args.target)]
    print(
        f"{'target':28} {'inputs':>8} {'accepted':>9} {'typed err':>9} {'findings':>8} "
        f"{'distinct':>8} {'inputs/s':>9}"
    )
    total_findings = 0
    all_findings: list[tuple[str, str, str]] = []
    for target in targets:
        outcomes, findings, seconds = fuzz_target(target, args.inputs, args.seed, args.save)
        total_findings += outcomes["finding"]
        all_findings += [(target.name, key, text) for key, (text, _) in findings.items()]
        print(
            f"{target.name:28} {args.inputs:>8} {outcomes['accepted']:>9} "
            f"{outcomes['typed error']:>9} {outcomes['finding']:>8} {len(findings):>8} "
            f"{args.inputs / seconds:>9.0f}",
            flush=True,
        )
    for name, key, text in all_findings:
        print(f"finding: {name}: {key}: {text}")
    for reason in missing:
        print(f"not fuzzed (parser not in this checkout): {reason}")
    print(f"{len(targets)} targets, {total_findings} findings")
    return 1 if total_findings else 0
