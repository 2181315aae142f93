r"""Machine readable zones (ICAO 9303-3 §4.9 check digits; TD1 9303-5, TD2 9303-6, TD3 9303-4).

The CCCD's TD1 line 1 (docs/domain.md §2): `IDVNM` + the last 9 digits of the ID as the document
number + its check digit + the full 12-digit ID in the optional data + `<<` + a check digit of the
12 digits. Dates are YYMMDD; `991231` as the expiry means valid for life.

Two ways to read one: a typed or scanned MRZ (`parse_mrz`) must have every check digit right; the
chip's DG1 (`parse_mrz(..., strict=False)`) is protected by the SOD hash, not by its check digits
(issuers have written wrong ones into chips, docs/domain.md §1), so it is returned with the result
of each check and a warning instead of being refused. Only ASCII digits are digits here: Python's
`\d` and `str.isdigit` also accept full-width and Arabic-Indic digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from devices.card.errors import MrzError

_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"[0-9A-Z<]*")
_YYMMDD = re.compile(r"[0-9]{6}")
LIFETIME_EXPIRY = "991231"
CHECKED_FIELDS = ("document_number", "date_of_birth", "date_of_expiry", "composite")
_LABELS = {
    "document_number": "document number",
    "date_of_birth": "date of birth",
    "date_of_expiry": "date of expiry",
    "composite": "whole MRZ (composite)",
    "optional_data": "personal number",
    "id_number": "12-digit ID number",
}


def _value(char: str) -> int:
    if "0" <= char <= "9":
        return ord(char) - 48
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise MrzError(f"character {char!r} is not allowed in an MRZ")


def check_digit(field: str) -> str:
    """ICAO 9303-3 §4.9: weights 7, 3, 1 repeating, sum modulo 10."""
    return str(sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _digit_holds(field: str, digit: str) -> bool:
    """A filler check digit is right for an all-filler field (ICAO 9303-3 §4.9)."""
    if digit == "<" and set(field) <= {"<"}:
        return True
    return check_digit(field) == digit


def parse_yymmdd(value: str, *, future: bool, today: date | None = None) -> date | None:
    """An MRZ date; the century is chosen so birth dates lie in the past and expiries near now.

    `991231` as an expiry (`future=True`) means "valid for life" and returns None.
    """
    if not _YYMMDD.fullmatch(value):
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
    """The fields of a TD1, TD2 or TD3 MRZ (raw MRZ text, `<` fillers removed from names)."""

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
    layout: str = "TD1"
    # each of CHECKED_FIELDS → whether its check digit is right (all True when parsed strictly)
    check_digits: dict[str, bool] = field(
        default_factory=lambda: dict.fromkeys(CHECKED_FIELDS, True)
    )
    warnings: tuple[str, ...] = ()
    # the check digits as written after the number, birth and expiry dates: the access key uses
    # them as printed, right or wrong (ICAO 9303-11 §9.7.2 takes the MRZ as it is)
    printed_check_digits: tuple[str, str, str] | None = None

    @property
    def full_id_number(self) -> str:
        """The CCCD's 12-digit ID (from the optional data), else the document number."""
        match = re.match(r"[0-9]{12}", self.optional_data)
        return match.group(0) if match else self.document_number

    @property
    def mrz_information(self) -> str:
        """Document number, date of birth, date of expiry, each with its check digit (§9.7.2)."""
        computed = mrz_information(self.document_number, self.date_of_birth, self.date_of_expiry)
        if self.printed_check_digits is None:
            return computed
        number = computed[: len(computed) - 15]  # padded to 9, without its check digit
        number_digit, birth_digit, expiry_digit = self.printed_check_digits
        return (
            number + number_digit
            + self.date_of_birth + birth_digit
            + self.date_of_expiry + expiry_digit
        )  # fmt: skip


def mrz_information(document_number: str, date_of_birth: str, date_of_expiry: str) -> str:
    number = document_number.upper()
    if not _ALLOWED.fullmatch(number) or not number:
        raise MrzError("document number must be digits, capital letters or <")
    for value in (date_of_birth, date_of_expiry):
        if not _YYMMDD.fullmatch(value):
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
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in lines:
        # ASCII first: str.upper() turns "ß" into "SS" and "ı" into "I"
        if not line.isascii() or not _ALLOWED.fullmatch(line.upper()):
            raise MrzError("MRZ lines may hold only A-Z, 0-9 and <")
    return [line.upper() for line in lines]


# layout → (line lengths, the lines that may end in fillers, the shortest such line OCR may give)
_SHAPES = {
    "TD1": ((30, 30, 30), {0: 15, 2: 1}),
    "TD2": ((36, 36), {0: 6}),
    "TD3": ((44, 44), {0: 6}),
}


def _padded(lines: list[str]) -> tuple[str, list[str]] | None:
    """The layout and the lines with lost trailing fillers restored, if the lines fit one.

    OCR drops trailing `<`. Only lines whose end may be fillers are padded; the line that ends in
    the composite check digit must be whole, and it tells TD2 (36) from TD3 (44).
    """
    for layout, (widths, paddable) in _SHAPES.items():
        if len(lines) != len(widths):
            continue
        fits = all(
            len(line) == width or (index in paddable and paddable[index] <= len(line) < width)
            for index, (line, width) in enumerate(zip(lines, widths, strict=True))
        )
        if fits:
            return layout, [
                line.ljust(width, "<") for line, width in zip(lines, widths, strict=True)
            ]
    return None


def parse_mrz(text: str, *, strict: bool = True) -> Mrz:
    """Parse a TD1 (3 × 30), TD2 (2 × 36) or TD3 (2 × 44) MRZ.

    `strict` (typed or scanned MRZs): any wrong check digit raises `MrzError` naming every one.
    Otherwise (the chip's DG1) the MRZ is returned with `check_digits` and `warnings` filled in.
    """
    lines = _lines(text)
    shaped = _padded(lines)
    if shaped is None:
        shape = " × ".join(str(len(line)) for line in lines) or "nothing"
        raise MrzError(
            "an MRZ is 3 lines of 30 (TD1), 2 lines of 36 (TD2) or 2 lines of 44 (TD3), "
            f"got {shape}"
        )
    layout, lines = shaped
    checks = _Checks()
    mrz = parse_td1(lines, checks) if layout == "TD1" else _parse_two_lines(lines, layout, checks)
    if strict and checks.failures:
        raise MrzError("; ".join(checks.failures))
    return mrz


class _Checks:
    """Collects the outcome of each check digit of one MRZ."""

    def __init__(self) -> None:
        self.results: dict[str, bool] = {}
        self.failures: list[str] = []

    def verify(self, field: str, digit: str, name: str) -> bool:
        holds = _digit_holds(field, digit)
        if name in CHECKED_FIELDS:
            self.results[name] = holds
        if not holds:
            self.failures.append(
                f"wrong check digit for the {_LABELS[name]}: {digit!r} "
                f"(expected {check_digit(field)})"
            )
        return holds

    def digits(self) -> dict[str, bool]:
        return {name: self.results.get(name, True) for name in CHECKED_FIELDS}


def _long_document_number(number: str, digit: str, optional: str) -> tuple[str, str, str]:
    """A number over 9 characters: `<` where its check digit would be, the rest and the digit at
    the start of the optional data (ICAO 9303-5 §4.2.2 TD1, 9303-6 TD2). → number, digit, rest."""
    if digit != "<" or not optional or optional[0] == "<":
        return number, digit, optional
    extension = optional.split("<", 1)[0]
    return number + extension[:-1], extension[-1:], optional[len(extension) + 1 :]


def parse_td1(lines: list[str], checks: _Checks | None = None) -> Mrz:
    checks = checks or _Checks()
    one, two, three = lines
    number, number_cd, optional1 = _long_document_number(one[5:14], one[14], one[15:30])
    checks.verify(number, number_cd, "document_number")
    dob, dob_cd, sex, doe, doe_cd = two[0:6], two[6], two[7], two[8:14], two[14]
    checks.verify(dob, dob_cd, "date_of_birth")
    checks.verify(doe, doe_cd, "date_of_expiry")
    composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
    checks.verify(composite, two[29], "composite")
    optional = optional1.rstrip("<")
    # CCCD: the 12-digit ID, "<<", then the ID's own check digit (docs/domain.md §2)
    cccd = re.fullmatch(r"([0-9]{12})<<([0-9])", optional1)
    if cccd:
        checks.verify(cccd.group(1), cccd.group(2), "id_number")
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
        layout="TD1",
        printed_check_digits=(number_cd, dob_cd, doe_cd),
        check_digits=checks.digits(),
        warnings=tuple(checks.failures),
    )


def parse_td3(lines: list[str], checks: _Checks | None = None) -> Mrz:
    return _parse_two_lines(lines, "TD3", checks or _Checks())


def _parse_two_lines(lines: list[str], layout: str, checks: _Checks) -> Mrz:
    """TD2 and TD3 share line 2 up to the expiry's check digit (ICAO 9303-6 §4.2, 9303-4 §4.2).

    TD3: personal number and its check digit, then the composite digit; TD2: optional data (which
    may carry the end of a long document number) and the composite digit.
    """
    one, two = lines
    width = len(two)
    number, number_cd = two[0:9], two[9]
    dob, dob_cd, sex, doe, doe_cd = two[13:19], two[19], two[20], two[21:27], two[27]
    if layout == "TD3":
        optional, optional_cd = two[28:42], two[42]
        checks.verify(number, number_cd, "document_number")
        if optional_cd != "<" or optional.strip("<"):
            checks.verify(optional, optional_cd, "optional_data")
    else:
        number, number_cd, optional = _long_document_number(number, number_cd, two[28:35])
        checks.verify(number, number_cd, "document_number")
    checks.verify(dob, dob_cd, "date_of_birth")
    checks.verify(doe, doe_cd, "date_of_expiry")
    checks.verify(two[0:10] + two[13:20] + two[21 : width - 1], two[width - 1], "composite")
    surname, given = _names(one[5:])
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
        layout=layout,
        printed_check_digits=(number_cd, dob_cd, doe_cd),
        check_digits=checks.digits(),
        warnings=tuple(checks.failures),
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
    if not re.fullmatch(r"[0-9]{12}", id_number):
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
