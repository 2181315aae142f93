"""The citizen as the kiosk knows them during one session: read from the chip (or the card's QR).

Held in memory only, for one session; `wipe()` drops every personal field (Law 91/2025: keep
biometrics and ID data only as long as needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum


class IdentitySource(StrEnum):
    CHIP = "chip"  # read from the chip, passive authentication ran
    QR = "qr"  # only the printed QR: lower assurance, staff co-sign


@dataclass
class CitizenIdentity:
    id_number: str
    full_name: str
    date_of_birth: date | None
    sex: str = ""  # "Nam" / "Nữ"
    nationality: str = "Việt Nam"
    ethnicity: str = ""
    religion: str = ""
    place_of_origin: str = ""
    place_of_residence: str = ""
    identifying_features: str = ""
    date_of_issue: date | None = None
    date_of_expiry: date | None = None  # None: valid for life
    father_name: str = ""
    mother_name: str = ""
    spouse_name: str = ""
    old_id_number: str = ""
    photo_jpeg: bytes | None = field(default=None, repr=False)  # DG2 face, JPEG/JPEG 2000 bytes
    source: IdentitySource = IdentitySource.CHIP
    authenticity: str = "NOT_CHECKED"  # passive authentication status (VALID, DATA_TAMPERED, ...)
    authenticity_reason: str = ""

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def wipe(self) -> None:
        """Overwrite every field so no reference keeps personal data alive."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                setattr(self, f.name, "")
            elif isinstance(value, bytes | date) or value is None:
                setattr(self, f.name, None)
        self.source = IdentitySource.CHIP
        self.authenticity = "WIPED"

    def __repr__(self) -> str:  # never print personal data by accident (logs, tracebacks)
        return f"CitizenIdentity({self.masked_id}, source={self.source}, {self.authenticity})"


def mask_id(id_number: str) -> str:
    """`001095012345` → `001******345`; short or empty values are fully masked."""
    if len(id_number) < 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 6) + id_number[-3:]
