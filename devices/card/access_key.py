"""The keys that open a chip: the MRZ key (BAC, PACE-MRZ) and the CAN (PACE-CAN)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from devices.card.errors import InvalidAccessKey
from devices.card.mrz import mrz_information

PACE_MRZ = 1  # password references, ICAO 9303-11 §9.2.1 / BSI TR-03110
PACE_CAN = 2


@dataclass(frozen=True)
class MrzKey:
    """BAC / PACE-MRZ key material (ICAO 9303-11 §9.7.2). Dates are YYMMDD as in the MRZ."""

    document_number: str
    date_of_birth: str
    date_of_expiry: str  # 991231: valid for life

    @property
    def information(self) -> str:
        return mrz_information(self.document_number, self.date_of_birth, self.date_of_expiry)

    def __repr__(self) -> str:  # keys are personal data
        return "MrzKey(***)"


@dataclass(frozen=True)
class CanKey:
    """Card access number; on the CCCD the last 6 digits of the ID number (docs/domain.md §1)."""

    can: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9]{6}", self.can):
            raise InvalidAccessKey("a CAN is 6 digits")

    def __repr__(self) -> str:
        return "CanKey(***)"


@dataclass(frozen=True)
class AccessKeys:
    """What the kiosk knows to open a card: a CAN, an MRZ key, or both."""

    can: CanKey | None = None
    mrz: MrzKey | None = None

    def __post_init__(self) -> None:
        if self.can is None and self.mrz is None:
            raise InvalidAccessKey("neither a CAN nor an MRZ key is known")


def pace_password(key: MrzKey | CanKey) -> tuple[bytes, int]:
    """(password key K, password reference) of §9.7.3: SHA-1(MRZ information), or the CAN."""
    if isinstance(key, MrzKey):
        return hashlib.sha1(key.information.encode("ascii")).digest(), PACE_MRZ
    return key.can.encode("ascii"), PACE_CAN
