"""Shared builders for tests: test PKIs and card profiles are costly (RSA keys), so cache them."""

from __future__ import annotations

from functools import lru_cache

from devices.card.simulator import (
    CardProfile,
    ChipFaults,
    SimulatedChip,
    TestPki,
    build_profile,
    demo_citizens,
    make_pki,
)
from devices.card.simulator.citizen import Citizen
from devices.card.transports.simulated import LinkFaults, SimulatedTransport
from devices.card.trust_store import TrustStore

CITIZEN: Citizen = demo_citizens()[0]


@lru_cache(maxsize=4)
def pki(kind: str = "ecdsa") -> TestPki:
    return make_pki(kind, label=f"test-{kind}")


def trust(kind: str = "ecdsa") -> TrustStore:
    return TrustStore([pki(kind).csca_certificate])


@lru_cache(maxsize=32)
def profile(
    kind: str = "ecdsa",
    *,
    aa: str = "ecdsa",
    ca: bool = True,
    pace: bool = True,
    faults: ChipFaults | None = None,
    citizen_index: int = 0,
) -> CardProfile:
    citizen = demo_citizens()[citizen_index]
    faults = faults or ChipFaults()
    label = f"test/{kind}/{aa}/{ca}/{pace}/{faults}/{citizen_index}"
    return build_profile(citizen, pki(kind), aa=aa, ca=ca, pace=pace, faults=faults, label=label)


def transport(
    card: CardProfile | None = None,
    *,
    extended: bool = False,
    link: LinkFaults | None = None,
) -> SimulatedTransport:
    chip = SimulatedChip(card or profile())
    return SimulatedTransport(
        chip, max_apdu_len=65544 if extended else 261, faults=link or LinkFaults()
    )
