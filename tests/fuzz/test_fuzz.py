"""Short fuzz runs for CI (the long run is `python -m bench fuzz`): for every parser reachable
from outside, hypothesis feeds random bytes and mutations of valid inputs; only the parser's own
typed errors may come out."""

from __future__ import annotations

import contextlib
import random
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import Target, all_targets, fuzz_input, mutate

TARGETS, MISSING = all_targets()


def _inputs(target: Target) -> st.SearchStrategy[bytes]:
    seeds = target.seeds()
    mutated = st.randoms(use_true_random=False).map(
        lambda rng: fuzz_input(seeds, random.Random(rng.getrandbits(64)))
    )
    return st.one_of(st.binary(max_size=300), mutated)


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_parser_raises_only_its_typed_errors(target: Target) -> None:
    @settings(
        max_examples=80,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_inputs(target))
    def run(data: bytes) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.suppress(*target.expected):
                target.run(data)

    run()


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_seeds_are_accepted_so_mutations_start_deep(target: Target) -> None:
    accepted = 0
    for seed in target.seeds():
        try:
            target.run(seed)
            accepted += 1
        except target.expected:
            continue
    assert accepted >= 1


def test_every_parser_of_the_issue_is_a_target() -> None:
    names = {t.name for t in TARGETS}
    wanted = {
        "kiosk.toml",
        "procedure catalogue",
        "portal responses",
        "APDU responses",
        "LDS DG13",
        "LDS SOD",
        "MRZ",
        "ID card QR",
        "PN532 frames",
        "ESC/POS status bytes",
    }
    assert wanted <= names, f"missing: {wanted - names}; {MISSING}"


def test_mutations_change_the_input_but_keep_most_of_it() -> None:
    rng = random.Random(1)
    seed = bytes(range(200))
    results = [mutate(seed, rng, [seed]) for _ in range(200)]
    assert sum(r != seed for r in results) > 150
    assert sum(len(set(r) & set(seed)) > 50 for r in results) > 100
