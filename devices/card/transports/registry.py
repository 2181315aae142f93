"""The card readers `[devices] card_reader` may name, each parsed by its own transport module.

Config validation, `kiosk doctor`, the `kiosk card` command and the runtime all ask here. To add a
reader kind: write its module (`FORMS`, `parse(text) -> spec | None`, a spec with `open` and
`probe`) and list it in `KINDS`.
"""

from __future__ import annotations

from typing import Any

from devices.card.errors import ReaderNotFound
from devices.card.transports import pcsc, pn532, simulated
from devices.card.transports.base import CardTransport, TransportSpec
from devices.probe import ProbeResult, ProbeState
from devices.spec_grammar import SpecKind, allowed_forms, first_parse

TransportKind = SpecKind[TransportSpec]  # a module that owns its grammar (FORMS, parse)

KINDS: tuple[TransportKind, ...] = (simulated, pcsc, pn532)  # tried in this order


class ReaderSpecError(ReaderNotFound):
    """The `card_reader` value is none of the allowed forms."""


def describe_allowed() -> str:
    """The allowed forms in one phrase: "simulator, pcsc, … or pn532:PORT"."""
    return allowed_forms(KINDS)


def parse_spec(text: str) -> TransportSpec:
    return first_parse(
        KINDS, text, lambda allowed: ReaderSpecError(f"unknown card reader {text!r}; use {allowed}")
    )


def open_transport(text: str, **options: Any) -> CardTransport:
    """The transport `text` names; `options` go to its constructor (e.g. `baudrate` for pn532,
    `exclusive` for pcsc, `chip` and `faults` for the simulator)."""
    return parse_spec(text).open(**options)


def probe(text: str) -> ProbeResult:
    """Whether the reader `text` names is there; a malformed `text` is an ERROR saying why."""
    try:
        spec = parse_spec(text)
    except ReaderSpecError as exc:
        return ProbeResult(ProbeState.ERROR, str(exc), "correct [devices] card_reader")
    return spec.probe()
