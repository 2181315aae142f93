"""A chip's files turned into a verified document: parsed data groups plus passive
authentication, from a live read or from files on disk (`kiosk card inspect`)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from devices.card.active_auth import FAILED, NOT_PRESENT, NOT_SUPPORTED, SUCCEEDED, AuthResult
from devices.card.errors import CardError, ParseError
from devices.card.lds import check_file_size, identify
from devices.card.lds.com import Com, parse_com
from devices.card.lds.dg1 import parse_dg1
from devices.card.lds.dg2 import FaceImage, parse_dg2
from devices.card.lds.dg11 import Dg11, parse_dg11
from devices.card.lds.dg12 import Dg12, parse_dg12
from devices.card.lds.dg13 import Dg13, parse_dg13
from devices.card.lds.dg14 import parse_dg14
from devices.card.lds.dg15 import parse_dg15
from devices.card.lds.dg16 import Dg16, parse_dg16
from devices.card.mrz import Mrz, parse_yymmdd
from devices.card.passive_auth import (
    NOT_IN_SOD,
    PassiveAuthResult,
    PaStatus,
    passive_authentication,
    verify_signed_data,
)
from devices.card.security_infos import card_security_signed_data
from devices.card.trust_store import TrustStore


@dataclass
class CardDocument:
    files: dict[str, bytes] = field(repr=False)
    passive: PassiveAuthResult
    com: Com | None = None
    mrz: Mrz | None = None
    face: FaceImage | None = field(default=None, repr=False)
    dg13: Dg13 | None = None
    dg11: Dg11 | None = None
    dg12: Dg12 | None = None
    dg16: Dg16 | None = None
    problems: dict[str, str] = field(default_factory=dict)  # file → why it did not parse
    excluded: dict[str, str] = field(default_factory=dict)  # data group → why it is not used
    card_security: CardSecurityCheck | None = None  # EF.CardSecurity, when PACE-CAM read it


def files_by_tag(contents: list[bytes]) -> dict[str, bytes]:
    """Name each file by its leading tag; raises ParseError on an unknown tag or a duplicate."""
    named: dict[str, bytes] = {}
    for content in contents:
        check_file_size(len(content))
        name = identify(content).name
        if name in named:
            raise ParseError(f"two files are {name}")
        named[name] = content
    return named


def build_document(
    files: dict[str, bytes],
    trust_store: TrustStore | None,
    *,
    card_security: bytes | None = None,
) -> CardDocument:
    """Parse and passively authenticate the files; `card_security` is the raw EF.CardSecurity a
    PACE-CAM read carries (`ChipRead.card_security`), checked against the same trust store."""
    oversized: dict[str, str] = {}
    for name, content in files.items():
        try:
            check_file_size(len(content), name)
        except CardError as exc:
            oversized[name] = str(exc)
    files = {name: content for name, content in files.items() if name not in oversized}
    data_groups = {name: content for name, content in files.items() if name.startswith("DG")}
    if "SOD" in files:
        passive = passive_authentication(files["SOD"], data_groups, trust_store)
    else:
        passive = PassiveAuthResult(PaStatus.SIGNATURE_INVALID, "EF.SOD was not read")
    document = CardDocument(files=files, passive=passive, problems=oversized)
    if card_security is not None:
        document.card_security = check_card_security(card_security, trust_store)
    parsers: dict[str, Any] = {
        "COM": parse_com, "DG1": parse_dg1, "DG2": parse_dg2, "DG11": parse_dg11,
        "DG12": parse_dg12, "DG13": parse_dg13, "DG14": parse_dg14, "DG15": parse_dg15,
        "DG16": parse_dg16,
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
        elif name in ("DG11", "DG12", "DG16"):
            setattr(document, name.lower(), value)
    return document


# --- EF.CardSecurity and PACE-CAM ---------------------------------------------------------------

CS_VALID = "VALID"  # signed by a DS that chains to a trusted CSCA
CS_FORGED = "FORGED"  # a signature is there and wrong (digest, content type or signature)
CS_UNVERIFIABLE = "UNVERIFIABLE"  # unsigned, malformed, no matching certificate, unusable key
CS_NO_TRUST_STORE = "NO_TRUST_STORE"  # the signature is good; nothing to chain it to
CS_UNTRUSTED = "UNTRUSTED_CSCA"  # the signature is good; no trusted CSCA certified its DS


@dataclass(frozen=True)
class CardSecurityCheck:
    """EF.CardSecurity checked like EF.SOD (`devices.card.passive_auth.verify_signed_data`)."""

    status: str  # CS_*
    reason: str
    document_signer: str = ""
    csca: str = ""


def check_card_security(raw: bytes, trust_store: TrustStore | None) -> CardSecurityCheck:
    """The signature and DS chain of EF.CardSecurity (ICAO 9303-11 §9.2.11)."""
    try:
        signed = card_security_signed_data(raw)
    except CardError as exc:
        return CardSecurityCheck(CS_UNVERIFIABLE, f"EF.CardSecurity cannot be verified: {exc}")
    verdict = verify_signed_data(signed, trust_store, "EF.CardSecurity")
    ds = verdict.signer.certificate
    signer = ds.subject if ds is not None else ""
    if verdict.status is PaStatus.SIGNATURE_INVALID:
        status = CS_FORGED if verdict.wrong_signature else CS_UNVERIFIABLE
        return CardSecurityCheck(status, verdict.reason, signer)
    status = {
        PaStatus.VALID: CS_VALID,
        PaStatus.NO_TRUST_STORE: CS_NO_TRUST_STORE,
        PaStatus.UNTRUSTED_CSCA: CS_UNTRUSTED,
    }[verdict.status]
    csca = verdict.csca.subject if verdict.csca is not None else ""
    return CardSecurityCheck(status, verdict.reason, signer, csca)


def pace_cam_result(
    proved: bool, check: CardSecurityCheck, *, chain_checked_later: bool = False
) -> AuthResult:
    """PACE-CAM's verdict (9303-11 §4.4.3.5.2): SUCCEEDED only when the chip proved the key of an
    EF.CardSecurity whose signature chains to a trusted CSCA. FAILED when the chip's proof does
    not verify, or the file's signature is there and wrong (a forged file). Anything else —
    unsigned, unreadable, no trust store, an untrusted DS — is NOT_SUPPORTED: the proof is good
    but names a key nothing vouches for. `chain_checked_later`: the reader, which has no trust
    store, leaves a good signature to `settled_chip_authentication`."""
    if not proved:
        return AuthResult(FAILED, "PACE-CAM: the chip did not prove the EF.CardSecurity key")
    if check.status == CS_FORGED:
        return AuthResult(FAILED, f"PACE-CAM: EF.CardSecurity is forged ({check.reason})")
    if check.status == CS_VALID:
        return AuthResult(
            SUCCEEDED,
            "PACE-CAM: the chip holds the key of EF.CardSecurity, signed by"
            f" {check.document_signer} under {check.csca}",
        )
    if check.status == CS_NO_TRUST_STORE and chain_checked_later:
        return AuthResult(
            NOT_SUPPORTED,
            "PACE-CAM: the chip holds the EF.CardSecurity key and the file's signature verifies;"
            " its DS is not yet checked against a trusted CSCA",
            awaits_card_security_chain=True,
        )
    return AuthResult(NOT_SUPPORTED, f"PACE-CAM: the chip's proof is good but {_unvouched(check)}")


def _unvouched(check: CardSecurityCheck) -> str:
    if check.status == CS_NO_TRUST_STORE:
        return "no CSCA is installed to check EF.CardSecurity against"
    if check.status == CS_UNTRUSTED:
        return f"EF.CardSecurity's signer is not trusted ({check.reason})"
    return check.reason


def settled_chip_authentication(document: CardDocument, result: AuthResult) -> AuthResult:
    """The reader's chip-authentication result, with a PACE-CAM proof whose EF.CardSecurity
    signature verified settled against the document's trust store."""
    if not result.awaits_card_security_chain:
        return result
    if document.card_security is None:
        return AuthResult(
            NOT_SUPPORTED, "PACE-CAM: EF.CardSecurity was not checked against the trust store"
        )
    return pace_cam_result(True, document.card_security)


# --- chip and active authentication against what the document promises -------------------------

CHIP_AUTH_FAILED = "CHIP_AUTH_FAILED"  # the chip's proof did not verify: a possible clone
CHIP_AUTH_INCOMPLETE = "CHIP_AUTH_INCOMPLETE"  # promised by COM/SOD, but could not be completed


def listed_data_groups(document: CardDocument) -> set[str]:
    """The data groups the document says it holds: EF.COM's tag list and the SOD's hashes."""
    listed = set(document.com.data_groups) if document.com is not None else set()
    if "SOD" in document.files:
        from devices.card.lds.sod import parse_sod

        with suppress(CardError):  # passive authentication reports a SOD that does not parse
            listed.update(f"DG{n}" for n in parse_sod(document.files["SOD"]).data_group_hashes)
    return listed


def chip_verdict(
    document: CardDocument, chip_authentication: AuthResult, active_authentication: AuthResult
) -> tuple[str, str]:
    """("", "") when CA and AA are fine for this document, else a verdict and its reason.

    FAILED anywhere is CHIP_AUTH_FAILED (only a failed proof means a possible clone). A document
    whose COM or SOD lists DG14 (with chip authentication in it) or DG15 but whose CA / AA did not
    succeed is CHIP_AUTH_INCOMPLETE: a clone can hide DG15 or refuse the command, so the
    document is not reported authentic either way. A PACE-CAM result is settled first
    (`settled_chip_authentication`).
    """
    chip_authentication = settled_chip_authentication(document, chip_authentication)
    listed = listed_data_groups(document)
    outcomes = (
        ("chip authentication", chip_authentication, "DG14"),
        ("active authentication", active_authentication, "DG15"),
    )
    failed = [f"{name}: {r.reason}" for name, r, _ in outcomes if r.status == FAILED]
    if failed:
        return CHIP_AUTH_FAILED, "possible cloned chip; " + "; ".join(failed)
    if document.card_security is not None:  # PACE-CAM was run: it promised chip authentication
        listed.add("DG14")
    incomplete = []
    for name, result, group in outcomes:
        if group not in listed or result.status == SUCCEEDED:
            continue
        if group == "DG14" and result.status == NOT_PRESENT and "DG14" in document.files:
            continue  # DG14 was read and offers no chip authentication: nothing was promised
        incomplete.append(f"{group} is listed but {name} did not complete ({result.reason})")
    if incomplete:
        return CHIP_AUTH_INCOMPLETE, "; ".join(incomplete)
    return "", ""


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
    """The MRZ's fields; `check_digits` says which check digits hold and `warnings` why not."""
    return {
        "layout": mrz.layout,
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
        "check_digits": dict(mrz.check_digits),
        "warnings": list(mrz.warnings),
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
    """The JSON of `kiosk card inspect` / `read` (its keys are a contract: scripts read them)."""
    out: dict[str, Any] = {}
    if document.mrz is not None:
        out["dg1"] = dg1_json(document.mrz)
    if document.face is not None:
        out["dg2"] = dg2_json(document.face)
    for name, details in (("dg11", document.dg11), ("dg12", document.dg12)):
        if details is not None:
            out[name] = details.as_json()
    if document.dg13 is not None:
        out["dg13"] = dg13_json(document.dg13)
    if document.dg16 is not None:
        out["dg16"] = document.dg16.as_json()
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
