"""A chip's files turned into a verified document: parsed data groups plus passive
authentication, from a live read or from files on disk (`kiosk card inspect`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from devices.card.errors import CardError, ParseError
from devices.card.lds import identify
from devices.card.lds.com import Com, parse_com
from devices.card.lds.dg1 import parse_dg1
from devices.card.lds.dg2 import FaceImage, parse_dg2
from devices.card.lds.dg13 import Dg13, parse_dg13
from devices.card.lds.dg14 import parse_dg14
from devices.card.lds.dg15 import parse_dg15
from devices.card.mrz import Mrz, parse_yymmdd
from devices.card.passive_auth import (
    NOT_IN_SOD,
    PassiveAuthResult,
    PaStatus,
    passive_authentication,
)
from devices.card.trust_store import TrustStore


@dataclass
class CardDocument:
    files: dict[str, bytes] = field(repr=False)
    passive: PassiveAuthResult
    com: Com | None = None
    mrz: Mrz | None = None
    face: FaceImage | None = field(default=None, repr=False)
    dg13: Dg13 | None = None
    problems: dict[str, str] = field(default_factory=dict)  # file → why it did not parse
    excluded: dict[str, str] = field(default_factory=dict)  # data group → why it is not used


def files_by_tag(contents: list[bytes]) -> dict[str, bytes]:
    """Name each file by its leading tag; raises ParseError on an unknown tag or a duplicate."""
    named: dict[str, bytes] = {}
    for content in contents:
        name = identify(content).name
        if name in named:
            raise ParseError(f"two files are {name}")
        named[name] = content
    return named


def build_document(files: dict[str, bytes], trust_store: TrustStore | None) -> CardDocument:
    data_groups = {name: content for name, content in files.items() if name.startswith("DG")}
    if "SOD" in files:
        passive = passive_authentication(files["SOD"], data_groups, trust_store)
    else:
        passive = PassiveAuthResult(PaStatus.SIGNATURE_INVALID, "EF.SOD was not read")
    document = CardDocument(files=files, passive=passive)
    parsers: dict[str, Any] = {
        "COM": parse_com, "DG1": parse_dg1, "DG2": parse_dg2, "DG13": parse_dg13,
        "DG14": parse_dg14, "DG15": parse_dg15,
    }  # fmt: skip
    for name, parser in parsers.items():
        if name not in files:
            continue
        if _unsigned(passive, name):
            document.excluded[name] = "not listed in EF.SOD"
            continue
        try:
            value = parser(files[name])
        except CardError as exc:
            document.problems[name] = str(exc)
            continue
        if name == "COM":
            document.com = value
        elif name == "DG1":
            document.mrz = value
        elif name == "DG2":
            document.face = value
        elif name == "DG13":
            document.dg13 = value
    return document


def _unsigned(passive: PassiveAuthResult, name: str) -> bool:
    """A data group that a readable SOD does not list is never used for the citizen's record.
    (Without a readable SOD nothing is hash-checked; the status says so and staff decide.)"""
    return passive.data_groups.get(name) == NOT_IN_SOD


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _mrz_date(value: str, *, future: bool) -> str | None:
    try:
        return _iso(parse_yymmdd(value, future=future))
    except CardError:
        return None


def dg1_json(mrz: Mrz) -> dict[str, Any]:
    return {
        "document_code": mrz.document_code,
        "issuing_state": mrz.issuing_state,
        "document_number": mrz.document_number,
        "date_of_birth": _mrz_date(mrz.date_of_birth, future=False),
        "sex": mrz.sex,
        "date_of_expiry": _mrz_date(mrz.date_of_expiry, future=True),
        "nationality": mrz.nationality,
        "surname": mrz.surname,
        "given_names": mrz.given_names,
        "optional_data": mrz.optional_data,
    }


def dg2_json(face: FaceImage) -> dict[str, Any]:
    return {"image_format": face.image_format, "width": face.width, "height": face.height}


def dg13_json(dg13: Dg13) -> dict[str, Any]:
    return {
        "id_number": dg13.id_number,
        "full_name": dg13.full_name,
        "date_of_birth": _iso(dg13.date_of_birth),
        "sex": dg13.sex,
        "nationality": dg13.nationality,
        "ethnicity": dg13.ethnicity,
        "religion": dg13.religion,
        "place_of_origin": dg13.place_of_origin,
        "place_of_residence": dg13.place_of_residence,
        "identifying_features": dg13.identifying_features,
        "date_of_issue": _iso(dg13.date_of_issue),
        "date_of_expiry": _iso(dg13.date_of_expiry),
        "father_name": dg13.father_name,
        "mother_name": dg13.mother_name,
        "spouse_name": dg13.spouse_name,
        "old_id_number": dg13.old_id_number,
        "field_16": dg13.field_16,
    }


def document_json(document: CardDocument) -> dict[str, Any]:
    """The JSON of `kiosk card inspect` / `read` (keys fixed by issue 3 §8)."""
    out: dict[str, Any] = {}
    if document.mrz is not None:
        out["dg1"] = dg1_json(document.mrz)
    if document.face is not None:
        out["dg2"] = dg2_json(document.face)
    if document.dg13 is not None:
        out["dg13"] = dg13_json(document.dg13)
    passive = document.passive
    out["passive_authentication"] = {
        "status": passive.status.value,
        "reason": passive.reason,
        "data_groups": dict(passive.data_groups),
        "notes": list(passive.notes),
    }
    if document.problems:
        out["problems"] = dict(document.problems)
    return out
