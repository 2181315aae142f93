"""Loads the ICAO 9303-11 worked examples copied into `vectors/` (see vectors/PROVENANCE.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).parent / "vectors"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / f"{name}.json").read_text())
    return data


def h(value: str) -> bytes:
    return bytes.fromhex(value)
