"""DG12, additional document details (ICAO 9303-10 §4.7.12), tag 6C.

    6C { 5C tag list, 5F19 issuing authority, 5F26 date of issue, A0 { 02 count, 5F1A name of
         other person … }, 5F1B endorsements and observations, 5F1C tax or exit requirements,
         5F1D image of the front, 5F1E image of the rear, 5F55 date and time of personalisation,
         5F56 serial number of the personalisation system }

Every element is optional. Dates are ASCII digits or packed BCD (issuers use both). Unknown tags
are listed, not refused.
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
    template_elements,
    words,
)

_TEXT = {
    0x5F19: "issuing_authority",
    0x5F1B: "endorsements_and_observations",
    0x5F1C: "tax_or_exit_requirements",
    0x5F56: "personalisation_system_serial",
}
_KNOWN = {0x5C, 0x5F26, 0xA0, 0x5F1A, 0x5F1D, 0x5F1E, 0x5F55, *_TEXT}


@dataclass
class Dg12:
    issuing_authority: str = ""
    date_of_issue: str = ""  # YYYYMMDD
    other_persons: list[Name] = field(default_factory=list)
    endorsements_and_observations: str = ""
    tax_or_exit_requirements: str = ""
    image_front: bytes | None = field(default=None, repr=False)
    image_rear: bytes | None = field(default=None, repr=False)
    personalisation_time: str = ""  # YYYYMMDDhhmmss
    personalisation_system_serial: str = ""
    unknown_tags: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "issuing_authority": self.issuing_authority,
            "date_of_issue": iso_date(self.date_of_issue) if self.date_of_issue else None,
            "other_persons": [n.as_json() for n in self.other_persons],
            "endorsements_and_observations": self.endorsements_and_observations,
            "tax_or_exit_requirements": self.tax_or_exit_requirements,
            "image_front": image_json(self.image_front),
            "image_rear": image_json(self.image_rear),
            "personalisation_time": self.personalisation_time,
            "personalisation_system_serial": self.personalisation_system_serial,
        }


def parse_dg12(data: bytes) -> Dg12:
    walked = template_elements(outer_template(data, "DG12"), _KNOWN, name_tag=0x5F1A)
    result = Dg12(other_persons=walked.loose_names, unknown_tags=walked.unknown_tags)
    for element in walked.first:
        tag = element.tag
        if tag == 0x5F26:
            result.date_of_issue = digits(element, 8)
        elif tag == 0xA0 and element.constructed:
            result.other_persons.extend(counted_names(element, 0x5F1A))
        elif tag == 0x5F1D:
            result.image_front = element.value
        elif tag == 0x5F1E:
            result.image_rear = element.value
        elif tag == 0x5F55:
            result.personalisation_time = digits(element, 14)
        elif tag in _TEXT:
            setattr(result, _TEXT[tag], words(element))
    return result
