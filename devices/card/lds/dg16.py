"""DG16, persons to notify (ICAO 9303-10 §4.7.16), tag 70.

    70 { 02 count, A1 { 5F50 date recorded, 5F51 name, 5F52 telephone, 5F53 address }, A2 { … } … }

One template per person (A1, A2, … ); the count is advisory and every element may be absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devices.card.lds import outer_template
from devices.card.lds.details import Name, digits, iso_date, name, parts, words
from devices.card.tlv import TLV


@dataclass(frozen=True)
class PersonToNotify:
    date_recorded: str = ""  # YYYYMMDD
    name: Name | None = None
    telephone: str = ""
    address: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "date_recorded": iso_date(self.date_recorded) if self.date_recorded else None,
            "name": self.name.as_json() if self.name else None,
            "telephone": self.telephone,
            "address": list(self.address),
        }


@dataclass
class Dg16:
    persons: list[PersonToNotify] = field(default_factory=list)
    unknown_tags: list[int] = field(default_factory=list)

    def __repr__(self) -> str:  # personal data: never in logs
        return f"Dg16(persons={len(self.persons)})"

    def as_json(self) -> dict[str, Any]:
        return {"persons": [person.as_json() for person in self.persons]}


def parse_dg16(data: bytes) -> Dg16:
    result = Dg16()
    for element in outer_template(data, "DG16").children():
        if element.tag == 0x02:
            continue
        if not (0xA1 <= element.tag <= 0xBF and element.constructed):
            result.unknown_tags.append(element.tag)
            continue
        result.persons.append(_person(element))
    return result


def _person(template: TLV) -> PersonToNotify:
    values: dict[str, Any] = {}
    for element in template.children():
        if element.tag == 0x5F50 and "date_recorded" not in values:
            values["date_recorded"] = digits(element, 8)
        elif element.tag == 0x5F51 and "name" not in values:
            values["name"] = name(element)
        elif element.tag == 0x5F52 and "telephone" not in values:
            values["telephone"] = words(element)
        elif element.tag == 0x5F53 and "address" not in values:
            values["address"] = parts(element)
    return PersonToNotify(**values)
