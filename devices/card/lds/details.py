"""Field helpers shared by the ICAO "details" data groups DG11, DG12 and DG16 (ICAO 9303-10 §4.7).

Their values are primitive TLVs of text in which `<` separates sub-fields and `<<` separates the
primary from the secondary identifier of a name; dates are YYYYMMDD, written as ASCII digits or,
by some issuers, packed BCD. A value that is not what it should be is kept as text, never fatal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from devices.card.lds.image import sniff
from devices.card.tlv import TLV, iter_tlv

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Name:
    """A name as the MRZ writes it: primary identifier `<<` secondary identifier."""

    surname: str
    given_names: str

    def as_json(self) -> dict[str, str]:
        return {"surname": self.surname, "given_names": self.given_names}


def text(element: TLV) -> str:
    """The value as text: UTF-8 (non-Latin names, e.g. 9303-10 DG11 in Chinese), else Latin-1."""
    try:
        return element.value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return element.value.decode("latin-1").strip()


def words(element: TLV) -> str:
    """Free text in which `<` stands for a space (`TRAVEL<AGENT`)."""
    return " ".join(text(element).replace("<", " ").split())


def name(element: TLV) -> Name:
    surname, _, given = text(element).partition("<<")
    return Name(surname.replace("<", " ").strip(), given.replace("<", " ").strip())


def parts(element: TLV) -> tuple[str, ...]:
    """`<`-separated sub-fields (place of birth, address): `123 MAPLE RD<ANYTOWN<MN`."""
    return tuple(part.strip() for part in text(element).split("<") if part.strip())


def digits(element: TLV, count: int) -> str:
    """A run of `count` digits written as ASCII or as packed BCD (count / 2 bytes)."""
    value = element.value
    if len(value) * 2 == count and all(b >> 4 < 10 and b & 0x0F < 10 for b in value):
        return value.hex()
    return text(element)


def iso_date(value: str) -> str:
    """YYYYMMDD as an ISO date when it is one, else the text as written (partial dates exist)."""
    if len(value) == 8 and _DIGITS.fullmatch(value):
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
        except ValueError:
            return value
    return value


def image_json(data: bytes | None) -> dict[str, Any] | None:
    return None if data is None else {"format": sniff(data), "bytes": len(data)}


def counted_names(template: TLV, name_tag: int) -> list[Name]:
    """The names in an `A0 { 02 count, <name_tag> name … }` template; the count is advisory."""
    return [name(child) for child in iter_tlv(template.value) if child.tag == name_tag]


@dataclass
class TemplateElements:
    """A details data group's elements: the first of each known tag, the names its repeatable
    name tag carries outside the `A0` count template, and the tags it does not know."""

    first: list[TLV]
    loose_names: list[Name]
    unknown_tags: list[int]


def template_elements(
    template: TLV, known: frozenset[int] | set[int], name_tag: int
) -> TemplateElements:
    """Walks the data group's template once: a repeated known element counts only the first time
    (issuers repeat by mistake); `name_tag` may repeat and every one is kept."""
    found = TemplateElements([], [], [])
    seen: set[int] = set()
    for element in template.children():
        tag = element.tag
        if tag not in known:
            found.unknown_tags.append(tag)
        elif tag == name_tag:
            found.loose_names.append(name(element))
        elif tag not in seen:
            seen.add(tag)
            found.first.append(element)
    return found
