"""DG1 (ICAO 9303-10 §4.7.1): the MRZ as one run of characters under tag 5F1F.

The chip's MRZ is read leniently: the SOD hash, not its check digits, is what proves it, so a wrong
check digit becomes `check_digits[...] = False` and a warning rather than a refused file.
"""

from __future__ import annotations

from devices.card.errors import MrzError, ParseError
from devices.card.lds import outer_template
from devices.card.mrz import Mrz, parse_mrz
from devices.card.tlv import encode_tlv

WIDTHS = {90: 30, 72: 36, 88: 44}  # TD1 3 × 30, TD2 2 × 36, TD3 2 × 44


def parse_dg1(data: bytes) -> Mrz:
    outer = outer_template(data, "DG1")
    element = outer.find(0x5F1F)
    if element is None:
        raise ParseError("DG1 has no MRZ (5F1F)")
    try:
        text = element.value.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ParseError("DG1 MRZ is not ASCII") from exc
    width = WIDTHS.get(len(text))
    if width is None:
        raise ParseError(f"DG1 MRZ has {len(text)} characters (TD1 90, TD2 72, TD3 88)")
    lines = "\n".join(text[i : i + width] for i in range(0, len(text), width))
    try:
        return parse_mrz(lines, strict=False)
    except MrzError as exc:
        raise ParseError(f"DG1: {exc}") from exc


def encode_dg1(mrz_text: str) -> bytes:
    return encode_tlv(0x61, encode_tlv(0x5F1F, mrz_text.replace("\n", "").encode("ascii")))
