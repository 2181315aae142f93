"""EF.COM (ICAO 9303-10 §4.6.1): LDS version, Unicode version, and the list of present DG tags."""

from __future__ import annotations

from dataclasses import dataclass

from devices.card.errors import ParseError
from devices.card.lds import BY_TAG, outer_template
from devices.card.tlv import encode_tlv


@dataclass(frozen=True)
class Com:
    lds_version: str  # "0107" → 1.7
    unicode_version: str
    data_groups: tuple[str, ...]  # names of the tags listed in 5C, e.g. ("DG1", "DG2", …)


def parse_com(data: bytes) -> Com:
    outer = outer_template(data, "COM")
    lds = outer.find(0x5F01)
    uni = outer.find(0x5F36)
    tags = outer.find(0x5C)
    if tags is None:
        raise ParseError("EF.COM has no tag list (5C)")
    names = tuple(BY_TAG[t].name if t in BY_TAG else f"tag {t:02X}" for t in tags.value)
    return Com(
        lds.value.decode("ascii", "replace") if lds else "",
        uni.value.decode("ascii", "replace") if uni else "",
        names,
    )


def encode_com(
    tags: list[int], lds_version: str = "0107", unicode_version: str = "040000"
) -> bytes:
    body = encode_tlv(0x5F01, lds_version.encode()) + encode_tlv(0x5F36, unicode_version.encode())
    return encode_tlv(0x60, body + encode_tlv(0x5C, bytes(tags)))
