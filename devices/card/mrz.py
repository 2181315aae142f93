"""Machine readable zones (ICAO 9303-3 §4.9 check digits, 9303-5 TD1, 9303-4 TD3).

The CCCD's TD1 line 1 (DOMAIN.md §2): `IDVNM` + the last 9 digits of the ID as the document
number + its check digit + the full 12-digit ID in the optional data + `<<` + a check digit of the
12 digits. Dates are YYMMDD; `991231` as the expiry means valid for life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from devices.card.errors import MrzError

_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"[0-9A-Z<]*")
LIFETIME_EXPIRY = "991231"


def _value(char: str) -> int:
    if char.isdigit():
        return ord(char) - 48
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise MrzError(f"character {char!r} is not allowed in an MRZ")


def check_digit(field: str) -> str:
    """ICAO 9303-3 §4.9: weights 7, 3, 1 repeating, sum modulo 10."""
    return str(sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _verify(field: str, digit: str, name: str) -> None:
    if digit == "<" and set(field) <= {"<"}:
        return
    if check_digit(field) != digit:
        raise MrzError(
            f"wrong check digit for the {name}: {digit!r} (expected {check_digit(field)})"
        )


def parse_yymmdd(value: str, *, future: bool, today: date | None = None) -> date | None:
    """An MRZ date; the century is chosen so birth dates lie in the past and expiries near now.

    `991231` as an expiry (`future=True`) means "valid for life" and returns None.
    """
    if not re.fullmatch(r"\d{6}", value):
        raise MrzError(f"MRZ date {value!r} is not YYMMDD")
    if future and value == LIFETIME_EXPIRY:
        return None
    today = today or date.today()
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
    century = today.year // 100 * 100
    year = century + yy
    if future:
        if year < today.year - 50:
            year += 100
        elif year > today.year + 50:
            year -= 100
    elif year > today.year:
        year -= 100
    try:
        return date(year, mm, dd)
    except ValueError as exc:
        raise MrzError(f"MRZ date {value!r} is not a calendar date") from exc


@dataclass(frozen=True)
class Mrz:
    """The fields of a TD1 or TD3 MRZ (raw MRZ text, `<` fillers removed from names)."""

    document_code: str
    issuing_state: str
    document_number: str
    date_of_birth: str  # YYMMDD as printed
    sex: str
    date_of_expiry: str  # YYMMDD as printed
    nationality: str
    surname: str
    given_names: str
    optional_data: str
    lines: tuple[str, ...]

    @property
    def full_id_number(self) -> str:
        """The CCCD's 12-digit ID (from the optional data), else the document number."""
        match = re.match(r"\d{12}", self.optional_data)
        return match.group(0) if match else self.document_number

    @property
    def mrz_information(self) -> str:
        """Document number, date of birth, date of expiry, each with its check digit (§9.7.2)."""
        return mrz_information(self.document_number, self.date_of_birth, self.date_of_expiry)


def mrz_information(document_number: str, date_of_birth: str, date_of_expiry: str) -> str:
    number = document_number.upper()
    if not _ALLOWED.fullmatch(number) or not number:
        raise MrzError("document number must be digits, capital letters or <")
    for value in (date_of_birth, date_of_expiry):
        if not re.fullmatch(r"\d{6}", value):
            raise MrzError(f"date {value!r} is not YYMMDD")
    if len(number) < 9:
        number = number + "<" * (9 - len(number))
    return (
        number + check_digit(number)
        + date_of_birth + check_digit(date_of_birth)
        + date_of_expiry + check_digit(date_of_expiry)
    )  # fmt: skip


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _lines(text: str) -> list[str]:
    lines = [line.strip().upper() for line in text.strip().splitlines() if line.strip()]
    for line in lines:
        if not _ALLOWED.fullmatch(line):
            raise MrzError("MRZ lines may hold only A-Z, 0-9 and <")
    return lines


def parse_mrz(text: str) -> Mrz:
    """Parse a TD1 (3 × 30) or TD3 (2 × 44) MRZ, verifying every check digit."""
    lines = _lines(text)
    if len(lines) == 3 and all(len(line) == 30 for line in lines):
        return parse_td1(lines)
    if len(lines) == 2 and all(len(line) == 44 for line in lines):
        return parse_td3(lines)
    shape = " × ".join(str(len(line)) for line in lines) or "nothing"
    raise MrzError(f"an MRZ is 3 lines of 30 (TD1) or 2 lines of 44 (TD3), got {shape}")


def parse_td1(lines: list[str]) -> Mrz:
    one, two, three = lines
    number, number_cd = one[5:14], one[14]
    optional1 = one[15:30]
    if number_cd == "<" and optional1:  # long document number continues in the optional data
        extension = optional1.split("<", 1)[0]
        number, number_cd = number + extension[:-1], extension[-1:]
        optional1 = optional1[len(extension) + 1 :]
    _verify(number, number_cd, "document number")
    dob, dob_cd, sex, doe, doe_cd = two[0:6], two[6], two[7], two[8:14], two[14]
    _verify(dob, dob_cd, "date of birth")
    _verify(doe, doe_cd, "date of expiry")
    composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
    _verify(composite, two[29], "whole MRZ (composite)")
    optional = optional1.rstrip("<")
    # CCCD: the 12-digit ID, "<<", then the ID's own check digit (DOMAIN.md §2)
    cccd = re.fullmatch(r"(\d{12})<<(\d)", optional1)
    if cccd:
        _verify(cccd.group(1), cccd.group(2), "12-digit ID number")
        optional = cccd.group(1)
    surname, given = _names(three)
    return Mrz(
        document_code=one[0:2].rstrip("<"),
        issuing_state=one[2:5].rstrip("<"),
        document_number=number.rstrip("<"),
        date_of_birth=dob,
        sex=sex.replace("<", ""),
        date_of_expiry=doe,
        nationality=two[15:18].rstrip("<"),
        surname=surname,
        given_names=given,
        optional_data=optional,
        lines=tuple(lines),
    )


def parse_td3(lines: list[str]) -> Mrz:
    one, two = lines
    number, number_cd = two[0:9], two[9]
    _verify(number, number_cd, "document number")
    dob, dob_cd, sex, doe, doe_cd = two[13:19], two[19], two[20], two[21:27], two[27]
    _verify(dob, dob_cd, "date of birth")
    _verify(doe, doe_cd, "date of expiry")
    optional, optional_cd = two[28:42], two[42]
    _verify(optional, optional_cd, "personal number")
    _verify(two[0:10] + two[13:20] + two[21:43], two[43], "whole MRZ (composite)")
    surname, given = _names(one[5:44])
    return Mrz(
        document_code=one[0:2].rstrip("<"),
        issuing_state=one[2:5].rstrip("<"),
        document_number=number.rstrip("<"),
        date_of_birth=dob,
        sex=sex.replace("<", ""),
        date_of_expiry=doe,
        nationality=two[10:13].rstrip("<"),
        surname=surname,
        given_names=given,
        optional_data=optional.rstrip("<"),
        lines=tuple(lines),
    )


def build_td1(
    *,
    id_number: str,
    date_of_birth: str,
    sex: str,
    date_of_expiry: str,
    surname: str,
    given_names: str,
    document_code: str = "ID",
    issuing_state: str = "VNM",
    nationality: str = "VNM",
) -> str:
    """A CCCD-style TD1 MRZ (three lines joined by newlines) for a 12-digit ID number."""
    if not re.fullmatch(r"\d{12}", id_number):
        raise MrzError("the ID number must be 12 digits")
    number = id_number[-9:]
    one = f"{document_code:<2}{issuing_state}{number}{check_digit(number)}"
    one = (one + id_number + "<<" + check_digit(id_number)).ljust(30, "<")
    two = date_of_birth + check_digit(date_of_birth) + (sex or "<")
    two += date_of_expiry + check_digit(date_of_expiry) + nationality
    two = two.ljust(29, "<")
    two += check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29])
    name = _mrz_name(surname) + "<<" + "<".join(_mrz_name(p) for p in given_names.split())
    three = name[:30].ljust(30, "<")
    return "\n".join((one[:30], two, three))


def _mrz_name(value: str) -> str:
    from devices.card.transliterate import to_mrz_letters

    return to_mrz_letters(value).replace(" ", "<")
