"""The procedure catalogue: a versioned JSON data file, sealed by a SHA-256 sidecar.

Fees, legal times and forms change with decrees and provincial decisions, so they live in data
(`kiosk/domain/data/procedures.json`), not code. A supervisor may edit a copy in the kiosk's
data folder (`<data_dir>/procedures.json`) and re-seal it with `kiosk catalogue seal FILE`,
which validates the whole file before writing `FILE.sha256`. Loading refuses a file whose
hash does not match its seal (`CatalogueTampered`) or that does not validate (`CatalogueInvalid`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, time
from pathlib import Path
from typing import Any

from kiosk.domain.ethnic_groups import CHOICE_LISTS
from kiosk.domain.forms import KINDS
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    DocumentSpec,
    FeeRule,
    FormField,
    Procedure,
    SameDayRule,
    ServiceError,
)

BUILTIN_CATALOGUE = Path(__file__).parent / "data" / "procedures.json"
CATALOGUE_FILE_NAME = "procedures.json"
SEAL_SUFFIX = ".sha256"
FORMAT = 1
RECEIPT_FORMS = ("01", "CT04")
ONLINE_LEVELS = ("full", "partial", "none")  # toàn trình / một phần / at the counter only
DOCUMENT_SOURCES = ("form", "camera", "counter")
PICTOGRAM_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
FEE_KINDS = ("free", "fixed", "by_channel", "per_page", "free_within_days")
IDENTITY_ATTRIBUTES = frozenset(
    f.name for f in fields(CitizenIdentity) if f.name not in ("photo_jpeg", "source")
) - {"authenticity", "authenticity_reason"}


class CatalogueError(ServiceError):
    """The procedure catalogue cannot be used."""

    code = "catalogue_invalid"


class CatalogueInvalid(CatalogueError):
    """The catalogue file is not valid (the message names the procedure and key)."""


class CatalogueTampered(CatalogueError):
    """The catalogue file does not match its seal: edited without `kiosk catalogue seal`."""

    code = "catalogue_tampered"


@dataclass(frozen=True)
class Catalogue:
    version: str
    effective_from: date
    procedures: tuple[Procedure, ...]
    source: str
    sha256: str

    def get(self, code: str) -> Procedure:
        for procedure in self.procedures:
            if procedure.code == code:
                return procedure
        raise CatalogueError(f"no procedure {code!r} in catalogue {self.version}")


def seal_path(path: Path) -> Path:
    return path.with_name(path.name + SEAL_SUFFIX)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_seal(path: Path) -> str:
    text = seal_path(path).read_text(encoding="ascii").split()
    if not text or len(text[0]) != 64:
        raise CatalogueTampered(f"seal {seal_path(path).name} is malformed")
    return text[0].lower()


def seal_catalogue(path: Path) -> Catalogue:
    """Validate `path` and write its seal (`path.sha256`). Returns the validated catalogue."""
    catalogue = parse_catalogue(path.read_bytes(), str(path))
    seal_path(path).write_text(f"{catalogue.sha256}  {path.name}\n", encoding="ascii")
    return catalogue


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and verify a sealed catalogue (default: the built-in one)."""
    path = path or BUILTIN_CATALOGUE
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueInvalid(f"cannot read catalogue {path}: {exc.strerror}") from None
    try:
        expected = read_seal(path)
    except FileNotFoundError:
        missing = seal_path(path).name
        raise CatalogueTampered(f"catalogue {path.name} has no seal {missing}") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise CatalogueTampered(
            f"catalogue {path.name} does not match its seal (sha256 {actual[:12]}…, "
            f"sealed {expected[:12]}…): re-seal after a supervisor's edit"
        )
    return parse_catalogue(data, str(path))


def catalogue_for_data_dir(data_dir: Path) -> Catalogue:
    """The office's own catalogue (`<data_dir>/procedures.json`) when present, else built-in."""
    local = data_dir / CATALOGUE_FILE_NAME
    return load_catalogue(local if local.exists() else None)


# --- parsing ----------------------------------------------------------------------------------


def parse_catalogue(data: bytes, source: str) -> Catalogue:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueInvalid(f"{source} is not UTF-8 JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogueInvalid(f'{source}: expected an object with "format": {FORMAT}')
    version = _str(document, "version", "catalogue")
    effective = _date(_str(document, "effective_from", "catalogue"), "catalogue.effective_from")
    entries = document.get("procedures")
    if not isinstance(entries, list) or not entries:
        raise CatalogueInvalid(f'{source}: "procedures" must be a non-empty list')
    procedures = tuple(_procedure(entry, i) for i, entry in enumerate(entries))
    codes = [p.code for p in procedures]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise CatalogueInvalid(f"{source}: duplicate procedure codes {duplicates}")
    return Catalogue(
        version=version,
        effective_from=effective,
        procedures=procedures,
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _str(entry: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise CatalogueInvalid(f"{where}.{key} must be a non-empty string")
    return value


def _int(entry: Mapping[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = entry.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CatalogueInvalid(f"{where}.{key} must be a whole number ≥ 0")
    return value


def _bool(entry: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise CatalogueInvalid(f"{where}.{key} must be true or false")
    return value


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CatalogueInvalid(f"{where} must be a date YYYY-MM-DD") from None


def _time(value: str, where: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise CatalogueInvalid(f"{where} must be a time HH:MM") from None


def _procedure(entry: Any, index: int) -> Procedure:
    if not isinstance(entry, dict):
        raise CatalogueInvalid(f"procedures[{index}] must be an object")
    code = _str(entry, "code", f"procedures[{index}]")
    where = f"procedure {code}"
    online = _str(entry, "online", where)
    if online not in ONLINE_LEVELS:
        raise CatalogueInvalid(f"{where}.online must be one of {ONLINE_LEVELS}")
    receipt_form = _str(entry, "receipt_form", where)
    if receipt_form not in RECEIPT_FORMS:
        raise CatalogueInvalid(f"{where}.receipt_form must be one of {RECEIPT_FORMS}")
    form_fields = tuple(_field(f, where) for f in _list(entry, "fields", where))
    keys = [f.key for f in form_fields]
    if len(set(keys)) != len(keys):
        raise CatalogueInvalid(f"{where}.fields has duplicate keys")
    fee = _fee(entry.get("fee"), where, set(keys))
    same_day = None
    if "same_day" in entry:
        rule = entry["same_day"]
        if not isinstance(rule, dict):
            raise CatalogueInvalid(f"{where}.same_day must be an object")
        cutoff = _str(rule, "cutoff", f"{where}.same_day")
        same_day = SameDayRule(cutoff=_time(cutoff, f"{where}.same_day.cutoff"))
    processing_days = _int(entry, "processing_days", where)
    if same_day is not None and processing_days != 0:
        raise CatalogueInvalid(f"{where}: a same_day rule needs processing_days 0")
    return Procedure(
        code=code,
        name=_str(entry, "name", where),
        authority=_str(entry, "authority", where),
        eligibility=_str(entry, "eligibility", where),
        online=online,
        documents=tuple(_document(d, where) for d in _list(entry, "documents", where)),
        fee=fee,
        processing_days=processing_days,
        same_day=same_day,
        receipt_form=receipt_form,
        fields=form_fields,
        extended_days=_int(entry, "extended_days", where, 0),
        processing_uncertain=_bool(entry, "processing_uncertain", where, False),
        plain_name=_str(entry, "plain_name", where, ""),
        pictogram=_pictogram(entry, where, "pictogram"),
        who_comes=_str(entry, "who_comes", where, ""),
        counter_reason=_str(entry, "counter_reason", where, ""),
    )


def _pictogram(entry: Mapping[str, Any], where: str, key: str) -> str:
    """A pictogram name (letters, digits, `_`): the UI draws `assets/pictograms/<name>.svg`."""
    name = _str(entry, key, where, "document")
    if not PICTOGRAM_NAME.fullmatch(name):
        raise CatalogueInvalid(f"{where}.{key} must be a name like proc_birth")
    return name


def _list(entry: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = entry.get(key)
    if not isinstance(value, list) or not value:
        raise CatalogueInvalid(f"{where}.{key} must be a non-empty list")
    return value


def _document(entry: Any, where: str) -> DocumentSpec:
    if not isinstance(entry, dict):
        raise CatalogueInvalid(f"{where}.documents entries must be objects")
    key = _str(entry, "key", f"{where}.documents")
    at = f"{where}.documents.{key}"
    source = _str(entry, "source", at)
    if source not in DOCUMENT_SOURCES:
        raise CatalogueInvalid(f"{at}.source must be one of {DOCUMENT_SOURCES}")
    return DocumentSpec(
        key=key,
        name=_str(entry, "name", at),
        source=source,
        required=_bool(entry, "required", at, True),
        picture=_pictogram(entry, at, "picture"),
    )


_FIELD_KEYS = {
    "key", "label", "kind", "required", "prefill_from", "choices", "choices_from", "pattern",
    "pattern_hint",
    "min_length", "max_length", "min_value", "max_value", "not_future", "not_past",
    "min_age_years",
}  # fmt: skip


def _field(entry: Any, where: str) -> FormField:
    if not isinstance(entry, dict):
        raise CatalogueInvalid(f"{where}.fields entries must be objects")
    key = _str(entry, "key", f"{where}.fields")
    at = f"{where}.fields.{key}"
    unknown = set(entry) - _FIELD_KEYS
    if unknown:
        raise CatalogueInvalid(f"{at}: unknown keys {sorted(unknown)}")
    kind = _str(entry, "kind", at, "text")
    if kind not in KINDS:
        raise CatalogueInvalid(f"{at}.kind must be one of {KINDS}")
    prefill_from = _str(entry, "prefill_from", at, "")
    if prefill_from and prefill_from not in IDENTITY_ATTRIBUTES:
        raise CatalogueInvalid(f"{at}.prefill_from {prefill_from!r} is not a card field")
    choices = entry.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise CatalogueInvalid(f"{at}.choices must be a list of strings")
    if "choices_from" in entry:  # a long official list kept in code (the 54 ethnic groups)
        named = _str(entry, "choices_from", at)
        if choices or named not in CHOICE_LISTS:
            raise CatalogueInvalid(f"{at}.choices_from must be one of {sorted(CHOICE_LISTS)}")
        choices = list(CHOICE_LISTS[named])
    if (kind == "choice") != bool(choices):
        raise CatalogueInvalid(f"{at}: choices go with kind 'choice' and only with it")
    optional_ints = {}
    for name in ("min_value", "max_value", "min_age_years"):
        optional_ints[name] = _int(entry, name, at) if name in entry else None
    return FormField(
        key=key,
        label=_str(entry, "label", at),
        kind=kind,
        required=_bool(entry, "required", at, True),
        prefill_from=prefill_from,
        choices=tuple(choices),
        pattern=_str(entry, "pattern", at, ""),
        pattern_hint=_str(entry, "pattern_hint", at, ""),
        min_length=_int(entry, "min_length", at, 0),
        max_length=_int(entry, "max_length", at, 0),
        not_future=_bool(entry, "not_future", at, False),
        not_past=_bool(entry, "not_past", at, False),
        **optional_ints,
    )


def _fee(entry: Any, where: str, field_keys: set[str]) -> FeeRule:
    if not isinstance(entry, dict):
        raise CatalogueInvalid(f"{where}.fee must be an object")
    at = f"{where}.fee"
    kind = _str(entry, "kind", at)
    if kind not in FEE_KINDS:
        raise CatalogueInvalid(f"{at}.kind must be one of {FEE_KINDS}")
    known = {f.name for f in fields(FeeRule)}
    unknown = set(entry) - known
    if unknown:
        raise CatalogueInvalid(f"{at}: unknown keys {sorted(unknown)}")
    values: dict[str, Any] = {"kind": kind, "uncertain": _str(entry, "uncertain", at, "")}
    required = {
        "free": (),
        "fixed": ("amount_vnd",),
        "by_channel": ("in_person_vnd", "online_vnd"),
        "per_page": ("first_pages", "first_rate_vnd", "rest_rate_vnd", "cap_per_copy_vnd"),
        "free_within_days": ("days", "amount_after_vnd"),
    }[kind]
    for name in required:
        values[name] = _int(entry, name, at)
    for name in ("pages_field", "copies_field", "date_field"):
        if name in entry:
            values[name] = _str(entry, name, at)
            if values[name] not in field_keys:
                raise CatalogueInvalid(f"{at}.{name} names no field of the form")
    if kind == "per_page" and "pages_field" not in values:
        raise CatalogueInvalid(f"{at}: per_page needs pages_field")
    if kind == "free_within_days" and "date_field" not in values:
        raise CatalogueInvalid(f"{at}: free_within_days needs date_field")
    return FeeRule(**values)
