"""Test and demo citizens: the person printed on a simulated card, with their QR text and MRZ."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from devices.card.expiry import card_expiry
from devices.card.mrz import LIFETIME_EXPIRY, build_td1
from devices.card.transliterate import to_mrz_letters

FACES = Path(__file__).resolve().parents[3] / "assets" / "faces"
PHOTO_BYTES = (15_000, 20_000)  # a chip photo of 15–20 KB, like real cards


@dataclass(frozen=True)
class Citizen:
    id_number: str
    full_name: str
    date_of_birth: date
    sex: str  # "Nam" / "Nữ"
    place_of_origin: str
    place_of_residence: str
    date_of_issue: date
    photo: str  # file name in assets/faces
    old_id_number: str = ""
    nationality: str = "Việt Nam"
    ethnicity: str = "Kinh"
    religion: str = "Không"
    identifying_features: str = "Nốt ruồi C:2cm trên trước mép phải"
    father_name: str = ""
    mother_name: str = ""
    spouse_name: str = ""
    field_16: str = ""

    def __repr__(self) -> str:
        return f"Citizen({self.id_number[:3]}******{self.id_number[-3:]})"

    @property
    def date_of_expiry(self) -> date | None:
        return card_expiry(self.date_of_birth, self.date_of_issue)

    @property
    def can(self) -> str:
        return self.id_number[-6:]

    @property
    def qr_text(self) -> str:
        """The CCCD 2021 front QR (docs/domain.md §3)."""
        return "|".join(
            (
                self.id_number,
                self.old_id_number,
                self.full_name,
                self.date_of_birth.strftime("%d%m%Y"),
                self.sex,
                self.place_of_residence,
                self.date_of_issue.strftime("%d%m%Y"),
            )
        )

    @property
    def mrz_text(self) -> str:
        surname, _, given = self.full_name.partition(" ")
        expiry = self.date_of_expiry
        return build_td1(
            id_number=self.id_number,
            date_of_birth=self.date_of_birth.strftime("%y%m%d"),
            sex="M" if self.sex == "Nam" else "F",
            date_of_expiry=expiry.strftime("%y%m%d") if expiry else LIFETIME_EXPIRY,
            surname=surname,
            given_names=given,
        )

    @property
    def mrz_surname(self) -> str:
        return to_mrz_letters(self.full_name.partition(" ")[0]).strip()

    def dg13_values(self) -> dict[str, str]:
        expiry = self.date_of_expiry
        return {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth.strftime("%d/%m/%Y"),
            "sex": self.sex,
            "nationality": self.nationality,
            "ethnicity": self.ethnicity,
            "religion": self.religion,
            "place_of_origin": self.place_of_origin,
            "place_of_residence": self.place_of_residence,
            "identifying_features": self.identifying_features,
            "date_of_issue": self.date_of_issue.strftime("%d/%m/%Y"),
            "date_of_expiry": expiry.strftime("%d/%m/%Y") if expiry else "Không thời hạn",
            "father_name": self.father_name,
            "mother_name": self.mother_name,
            "spouse_name": self.spouse_name,
            "old_id_number": self.old_id_number,
            "field_16": self.field_16,
        }


@lru_cache(maxsize=8)
def chip_photo(name: str) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height): the sample face scaled and compressed to 15–20 KB."""
    import cv2

    image = cv2.imread(str(FACES / name))
    if image is None:
        raise FileNotFoundError(FACES / name)
    height = 480
    width = round(image.shape[1] * height / image.shape[0])
    scaled = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    low, high = 10, 95
    best: bytes | None = None
    while low <= high:  # the highest quality that fits under the upper size
        quality = (low + high) // 2
        ok, encoded = cv2.imencode(".jpg", scaled, [cv2.IMWRITE_JPEG_QUALITY, quality])
        data = encoded.tobytes()
        if ok and len(data) <= PHOTO_BYTES[1]:
            best, low = data, quality + 1
        else:
            high = quality - 1
    if best is None:
        raise ValueError(f"{name} does not compress under {PHOTO_BYTES[1]} bytes")
    return best, width, height
