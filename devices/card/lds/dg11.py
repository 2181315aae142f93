"""DG11, additional personal details (ICAO 9303-10 §4.7.11), tag 6B.

    6B { 5C tag list, 5F0E full name, A0 { 02 count, 5F0F other name … }, 5F10 personal number,
         5F2B full date of birth, 5F11 place of birth, 5F42 address, 5F12 telephone,
         5F13 profession, 5F14 title, 5F15 personal summary, 5F16 proof of citizenship (image),
         5F17 other valid travel document numbers, 5F18 custody information }

Every element is optional. Some issuers put 5F0F straight into 6B without the A0 template (a
Chinese passport does); both are read. Unknown tags are listed, not refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devices.card.lds import outer_template
from devices.card.lds.details import (
    Name,
    counted_names,
    digits,
    image_json,
    iso_date,
    name,
    parts,
    template_elements,
    words,
)

_TEXT = {
    0x5F10: "personal_number",
    0x5F12: "telephone",
    0x5F13: "profession",
    0x5F14: "title",
    0x5F15: "personal_summary",
    0x5F18: "custody_information",
}
_KNOWN = {0x5C, 0x5F0E, 0xA0, 0x5F0F, 0x5F2B, 0x5F11, 0x5F42, 0x5F16, 0x5F17, *_TEXT}


@dataclass
class Dg11:
    full_name: Name | None = None
    other_names: list[Name] = field(default_factory=list)
    personal_number: str = ""
    date_of_birth: str = ""  # YYYYMMDD as written (BCD turned into digits)
    place_of_birth: tuple[str, ...] = ()
    address: tuple[str, ...] = ()
    telephone: str = ""
    profession: str = ""
    title: str = ""
    personal_summary: str = ""
    proof_of_citizenship: bytes | None = field(default=None, repr=False)
    other_document_numbers: tuple[str, ...] = ()
    custody_information: str = ""
    unknown_tags: list[int] = field(default_factory=list)

    def __repr__(self) -> str:  # personal data: never in logs
        return f"Dg11(fields={sum(1 for v in vars(self).values() if v)})"

    def as_json(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.as_json() if self.full_name else None,
            "other_names": [n.as_json() for n in self.other_names],
            "personal_number": self.personal_number,
            "date_of_birth": iso_date(self.date_of_birth) if self.date_of_birth else None,
            "place_of_birth": list(self.place_of_birth),
            "address": list(self.address),
            "telephone": self.telephone,
            "profession": self.profession,
            "title": self.title,
            "personal_summary": self.personal_summary,
            "proof_of_citizenship": image_json(self.proof_of_citizenship),
            "other_document_numbers": list(self.other_document_numbers),
            "custody_information": self.custody_information,
        }


def parse_dg11(data: bytes) -> Dg11:
    walked = template_elements(outer_template(data, "DG11"), _KNOWN, name_tag=0x5F0F)
    result = Dg11(other_names=walked.loose_names, unknown_tags=walked.unknown_tags)
    for element in walked.first:
        tag = element.tag
        if tag == 0x5F0E:
            result.full_name = name(element)
        elif tag == 0xA0 and element.constructed:
            result.other_names.extend(counted_names(element, 0x5F0F))
        elif tag == 0x5F2B:
            result.date_of_birth = digits(element, 8)
        elif tag == 0x5F11:
            result.place_of_birth = parts(element)
        elif tag == 0x5F42:
            result.address = parts(element)
        elif tag == 0x5F16:
            result.proof_of_citizenship = element.value
        elif tag == 0x5F17:
            result.other_document_numbers = parts(element)
        elif tag in _TEXT:
            setattr(result, _TEXT[tag], words(element))
    return result
