"""The QR code on the ID card (docs/domain.md §3), parsed by table-driven layouts.

CCCD 2021: `ID|old ID|full name|DOB ddmmyyyy|sex|address|issue date ddmmyyyy`, UTF-8, at least
seven fields, extras ignored, dd/mm/yyyy also accepted. A new layout is a new `QrLayout` row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from devices.card.access_key import AccessKeys, CanKey, MrzKey
from devices.card.errors import QrError
from devices.card.expiry import card_expiry
from devices.card.lds.dg13 import parse_date
from devices.card.mrz import LIFETIME_EXPIRY

DATE_FIELDS = {"date_of_birth", "date_of_issue"}


@dataclass(frozen=True)
class QrLayout:
    name: str
    fields: tuple[str, ...]  # field names in order; "" skips a position
    min_fields: int
    separator: str = "|"
    required: tuple[str, ...] = ("id_number", "full_name", "date_of_birth")


LAYOUTS = (
    QrLayout(
        "CCCD 2021",
        (
            "id_number",
            "old_id_number",
            "full_name",
            "date_of_birth",
            "sex",
            "place_of_residence",
            "date_of_issue",
        ),
        min_fields=7,
    ),
)


@dataclass(frozen=True)
class QrData:
    layout: str
    id_number: str
    full_name: str
    date_of_birth: date
    sex: str = ""
    old_id_number: str = ""
    place_of_residence: str = ""
    date_of_issue: date | None = None
    extra: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return f"QrData({self.layout})"

    @property
    def can(self) -> str:
        """PACE CAN: the last 6 digits of the ID (docs/domain.md §1)."""
        return self.id_number[-6:]

    @property
    def date_of_expiry(self) -> date | None:
        """From the renewal ages (docs/domain.md §4); None when valid for life or issue date
        unknown."""
        if self.date_of_issue is None:
            return None
        return card_expiry(self.date_of_birth, self.date_of_issue)

    @property
    def mrz_key(self) -> MrzKey | None:
        """BAC key: last 9 ID digits, DOB, computed expiry (None when the issue date is unknown)."""
        if self.date_of_issue is None:
            return None
        expiry = self.date_of_expiry
        return MrzKey(
            self.id_number[-9:],
            self.date_of_birth.strftime("%y%m%d"),
            expiry.strftime("%y%m%d") if expiry else LIFETIME_EXPIRY,
        )

    def access_keys(self) -> AccessKeys:
        return AccessKeys(can=CanKey(self.can), mrz=self.mrz_key)


def parse_qr(text: str) -> QrData:
    """Parse the card's QR text; raises `QrError` saying what is wrong."""
    cleaned = text.strip().lstrip("\ufeff")
    if not cleaned:
        raise QrError("the QR text is empty")
    problems: list[str] = []
    for layout in LAYOUTS:
        parts = [p.strip() for p in cleaned.split(layout.separator)]
        if len(parts) < layout.min_fields:
            problems.append(f"{layout.name}: {len(parts)} fields, needs {layout.min_fields}")
            continue
        try:
            return _apply(layout, parts)
        except QrError as exc:
            problems.append(f"{layout.name}: {exc}")
    raise QrError("not an ID card QR (" + "; ".join(problems) + ")")


def _apply(layout: QrLayout, parts: list[str]) -> QrData:
    values: dict[str, str] = {}
    for name, value in zip(layout.fields, parts, strict=False):
        if name:
            values[name] = value
    for name in layout.required:
        if not values.get(name):
            raise QrError(f"the {name.replace('_', ' ')} is missing")
    if not re.fullmatch(r"[0-9]{12}", values["id_number"]):  # not \d: full-width digits
        raise QrError("the ID number is not 12 digits")
    dates: dict[str, date | None] = {}
    for name in DATE_FIELDS:
        raw = values.get(name, "")
        parsed = parse_date(raw) if raw else None
        if raw and parsed is None:
            raise QrError(f"the {name.replace('_', ' ')} {raw!r} is not a date")
        dates[name] = parsed
    born = dates["date_of_birth"]
    assert born is not None  # required above
    return QrData(
        layout=layout.name,
        id_number=values["id_number"],
        full_name=values["full_name"],
        date_of_birth=born,
        sex=values.get("sex", ""),
        old_id_number=values.get("old_id_number", ""),
        place_of_residence=values.get("place_of_residence", ""),
        date_of_issue=dates.get("date_of_issue"),
        extra=tuple(parts[len(layout.fields) :]),
    )
