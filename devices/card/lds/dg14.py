"""DG14 (ICAO 9303-10 §4.7.14): SecurityInfos for Chip Authentication (and others)."""

from __future__ import annotations

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.security_infos import SecurityInfos, security_infos_from
from devices.card.tlv import encode_tlv


def parse_dg14(data: bytes) -> SecurityInfos:
    outer = outer_template(data, "DG14")
    inner = outer.children()
    if not inner or inner[0].tag != asn1.SET:
        raise ParseError("DG14 must hold a SET of SecurityInfo")
    return security_infos_from(inner[0])


def encode_dg14(security_infos: list[bytes]) -> bytes:
    return encode_tlv(0x6E, asn1.der_set(*security_infos))
