"""DG13, the Vietnamese personal data (docs/domain.md §1).

    6D { 30 { 02 01 01 version, 06 OID 1.0.10646.1.0.8, 31 { 30 { 02 01 n, value } … } } }

Tolerant by design: entries may be missing, extra or reordered; parents (13) and spouse (14) come
in either nesting, so their UTF8String leaves are collected in order; dates accept dd/mm/yyyy and
a few neighbours; a value that does not decode (2024 cards may encrypt fields) is left empty and
listed in `unreadable`. Tolerance stops at what is not a DG13 at all: another object identifier, or
not one entry the layout knows, is `NotDg13` rather than an all-empty record that would pass for
a citizen with no data. A missing identifier is tolerated (the layout is known from readers only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.tlv import TLV, encode_tlv

DG13_OID = "1.0.10646.1.0.8"
_STRING_TAGS = {0x0C, 0x13, 0x16, 0x14, 0x1A, 0x1E, 0x04}

FIELDS = {
    1: "id_number",
    2: "full_name",
    3: "date_of_birth",
    4: "sex",
    5: "nationality",
    6: "ethnicity",
    7: "religion",
    8: "place_of_origin",
    9: "place_of_residence",
    10: "identifying_features",
    11: "date_of_issue",
    12: "date_of_expiry",
    13: "parents",
    14: "spouse_name",
    15: "old_id_number",
    16: "field_16",
}


class NotDg13(ParseError):
    """The file carries the DG13 tag but not the Vietnamese personal data (docs/domain.md §1)."""

    code = "card_dg13_invalid"


@dataclass
class Dg13:
    id_number: str = ""
    full_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    nationality: str = ""
    ethnicity: str = ""
    religion: str = ""
    place_of_origin: str = ""
    place_of_residence: str = ""
    identifying_features: str = ""
    date_of_issue: date | None = None
    date_of_expiry: date | None = None
    date_of_expiry_text: str = ""  # the raw entry (may say "Không thời hạn")
    father_name: str = ""
    mother_name: str = ""
    spouse_name: str = ""
    old_id_number: str = ""
    field_16: str = ""
    unreadable: list[str] = field(default_factory=list)
    unknown_entries: list[int] = field(default_factory=list)

    def __repr__(self) -> str:  # personal data: never in logs
        return f"Dg13(fields={sum(1 for v in vars(self).values() if v)})"


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (also ddmmyyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd); None if not a date."""
    text = text.strip()
    # [0-9], not \d: int() would read full-width and Arabic-Indic digits as a date
    patterns = (
        (r"([0-9]{2})[/.\-]([0-9]{2})[/.\-]([0-9]{4})", (3, 2, 1)),
        (r"([0-9]{2})([0-9]{2})([0-9]{4})", (3, 2, 1)),
        (r"([0-9]{4})-([0-9]{2})-([0-9]{2})", (1, 2, 3)),
    )
    for pattern, order in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _leaves(element: TLV, depth: int = 0) -> list[TLV]:
    if element.constructed:
        if depth > 6:
            return []
        found: list[TLV] = []
        for child in element.children():
            found.extend(_leaves(child, depth + 1))
        return found
    return [element] if element.tag in _STRING_TAGS else []


def _entries(outer: TLV) -> list[TLV]:
    """The entry SEQUENCEs: children of the first SET in the tree (or of the SEQUENCE itself)."""
    queue = [outer]
    while queue:
        node = queue.pop(0)
        if node.tag == asn1.SET:
            return node.children()
        if node.constructed:
            queue.extend(child for child in node.children() if child.constructed)
    body = outer.children()
    if len(body) == 1 and body[0].tag == asn1.SEQUENCE:
        body = body[0].children()
    return [e for e in body if e.tag == asn1.SEQUENCE]


def _object_identifier(outer: TLV) -> str | None:
    """The first OID outside the SET of entries (the layout's identifier), if any."""
    queue = [outer]
    while queue:
        for child in queue.pop(0).children():
            if child.tag == asn1.OID:
                return asn1.oid(child)
            if child.constructed and child.tag != asn1.SET:
                queue.append(child)
    return None


def parse_dg13(data: bytes) -> Dg13:
    outer = outer_template(data, "DG13")
    identifier = _object_identifier(outer)
    if identifier is not None and identifier != DG13_OID:
        raise NotDg13(f"DG13 has the object identifier {identifier}, not {DG13_OID}")
    result = Dg13()
    known = 0
    for entry in _entries(outer):
        if entry.tag != asn1.SEQUENCE:
            continue
        children = entry.children()
        if not children or children[0].tag != asn1.INTEGER:
            continue
        number = asn1.integer(children[0])
        name = FIELDS.get(number)
        if name is None:
            result.unknown_entries.append(number)
            continue
        known += 1
        texts: list[str] = []
        for child in children[1:]:
            for leaf in _leaves(child):
                try:
                    texts.append(leaf.value.decode("utf-8").strip())
                except UnicodeDecodeError:
                    result.unreadable.append(name)
        _assign(result, name, texts)
    if not known:
        raise NotDg13("DG13 holds no entry of the Vietnamese personal-data layout")
    return result


def _assign(result: Dg13, name: str, texts: list[str]) -> None:
    first = texts[0] if texts else ""
    if name == "parents":
        result.father_name = texts[0] if texts else ""
        result.mother_name = texts[1] if len(texts) > 1 else ""
    elif name in ("date_of_birth", "date_of_issue"):
        setattr(result, name, parse_date(first))
    elif name == "date_of_expiry":
        result.date_of_expiry_text = first
        result.date_of_expiry = parse_date(first)
    else:
        setattr(result, name, first)


# --- encoding (the simulator's cards) ------------------------------------------------------------


def encode_dg13(values: dict[str, str], *, parents_nested: bool = False) -> bytes:
    """A DG13 in the layout of docs/domain.md §1 from field name → text (dates already
    dd/mm/yyyy)."""
    printable = {"id_number", "date_of_birth", "date_of_issue", "old_id_number", "field_16"}
    entries: list[bytes] = []
    for number, name in FIELDS.items():
        number_der = asn1.der_int(number)
        if name == "parents":
            father, mother = values.get("father_name", ""), values.get("mother_name", "")
            people = [asn1.der_seq(asn1.der_utf8(n)) for n in (father, mother) if n]
            inner = asn1.der_seq(*people) if parents_nested else b"".join(people)
            entries.append(asn1.der_seq(number_der, inner))
        elif name == "spouse_name":
            spouse = values.get("spouse_name", "")
            inner = asn1.der_seq(asn1.der_utf8(spouse)) if spouse else b""
            entries.append(asn1.der_seq(number_der, inner))
        elif name in values:
            text = values[name]
            value = asn1.der_printable(text) if name in printable else asn1.der_utf8(text)
            entries.append(asn1.der_seq(number_der, value))
    body = asn1.der_int(1) + asn1.der_oid(DG13_OID) + encode_tlv(asn1.SET, b"".join(entries))
    return encode_tlv(0x6D, asn1.der_seq(body))
