"""Simulated cards that behave like other issuers' chips (3DES chip authentication, several CA
keys, AA trailers, large DG2, bare status words, clones), cached: RSA keys are slow to make."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from devices.card.reader import ChipRead, ChipReader
from devices.card.simulator import CardProfile, build_profile
from devices.card.transports.simulated import SimulatedTransport
from tests.devices.card.simulated_cards import CITIZEN, pki

ALL = ("COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD")


@lru_cache(maxsize=64)
def _card(options: tuple[tuple[str, Any], ...]) -> CardProfile:
    label = "world/" + "/".join(f"{k}={v}" for k, v in options)
    return build_profile(CITIZEN, pki(), label=label, **dict(options))


def card(**options: Any) -> CardProfile:
    return _card(tuple(sorted(options.items())))


def read(
    profile: CardProfile,
    files: tuple[str, ...] = ALL,
    *,
    extended: bool = False,
    log: list[bytes] | None = None,
) -> ChipRead:
    from devices.card.qr import parse_qr
    from devices.card.simulator import SimulatedChip

    keys = parse_qr(CITIZEN.qr_text).access_keys()
    transport = SimulatedTransport(SimulatedChip(profile), max_apdu_len=65544 if extended else 261)
    if log is not None:
        transmit = transport.transmit

        def logged(apdu: bytes) -> bytes:
            log.append(apdu)
            return transmit(apdu)

        transport.transmit = logged  # type: ignore[method-assign]
    return ChipReader(transport, sleep=lambda s: None).read(keys, files)
