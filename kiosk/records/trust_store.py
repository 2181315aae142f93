"""Managing the CSCA trust store: import certificates and ICAO CSCA master lists, list them.

On disk the trust store stays a plain folder of DER certificates (`[security] trust_store`),
which `devices.card.trust_store.load_trust_store` reads for passive authentication; this module
only decides what goes in.

A master list (ICAO 9303-12 §9) is imported only when its own CMS signature is VALID: the
signed-attributes message digest matches the list, the signature verifies with the master list
signer certificate carried in the CMS, that certificate is valid now, and it is issued by a CSCA
the kiosk already trusts — or by a CSCA in the list or the CMS whose SHA-256 fingerprint the
operator confirmed out of band (`--accept-fingerprint`, compared with the issuing state's
publication). A list that merely vouches for itself is UNTRUSTED_SIGNER and nothing is written.

Of a list whose signature is VALID every certificate that can be used is imported; each one that
cannot (unparseable, not a CA, unsupported key, a signature that does not verify, a link
certificate whose issuing CSCA is nowhere) is skipped and reported. The new files are written
all or none (staged in a hidden folder, then renamed; undone if a rename fails).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from devices.card.cms import (
    Certificate,
    SignatureInvalid,
    chain_to,
    issued_by,
    parse_signed_data,
    signed_certificates,
    signer_certificate,
    verify_signer,
)
from devices.card.errors import CardError
from devices.card.lds.sod import SecurityObject, SignerInfo
from devices.card.public_keys import KeyUnsupported
from devices.card.trust_store import (
    ID_CSCA_MASTER_LIST,
    ListedCertificate,
    is_master_list,
    master_list_certificates,
    name_key,
    parse_listed,
    read_certificates,
    trust_files,
)

EXPIRED, EXPIRING, VALID = "expired", "expiring", "valid"
SignatureStatus = Literal["VALID", "INVALID", "UNTRUSTED_SIGNER", "NOT_CHECKED"]


class TrustStoreError(Exception):
    """A certificate or master list cannot be imported; the message says why."""


@dataclass(frozen=True)
class TrustEntry:
    file: str
    country: str
    subject: str
    not_after: datetime | None  # None: the file does not parse
    days_left: int
    status: str  # valid | expiring | expired (or "" when unparseable)
    fingerprint: str
    key_algorithm: str = ""  # RSA | EC
    curve: str = ""  # EC curve name (e.g. brainpoolP512r1); "" for RSA
    explicit_parameters: bool = False
    usable: bool = True
    reason: str = ""  # why not usable

    def as_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "not_after": self.not_after.isoformat() if self.not_after else None,
        }


@dataclass(frozen=True)
class Skipped:
    subject: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    added: tuple[str, ...]  # file names written
    already_present: int
    signer: str = ""  # master list signer subject
    skipped: tuple[Skipped, ...] = ()
    signature: SignatureStatus | Literal[""] = ""  # master lists only
    detail: str = ""  # why the signature is not VALID
    fingerprint_to_confirm: str = ""  # the signer's CSCA, when only the list vouches for it

    def as_json(self) -> dict[str, Any]:
        """The `kiosk trust import-masterlist --json` contract: exactly these keys."""
        return {
            "imported": len(self.added),
            "already_present": self.already_present,
            "skipped": [{"subject": s.subject, "reason": s.reason} for s in self.skipped],
            "signature": self.signature or "NOT_CHECKED",
        }


def fingerprint(certificate: x509.Certificate | bytes) -> str:
    der = certificate if isinstance(certificate, bytes) else certificate.public_bytes(Encoding.DER)
    return hashlib.sha256(der).hexdigest()


class TrustStoreFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def listed(self) -> list[tuple[str, ListedCertificate]]:
        """Every certificate in the folder with the file it is in; a file that does not parse
        comes back as one unparseable entry."""
        found: list[tuple[str, ListedCertificate]] = []
        if not self.folder.is_dir():
            return found
        for path in trust_files(self.folder):
            try:
                found.extend((path.name, c) for c in read_certificates(path.read_bytes()))
            except (OSError, CardError) as exc:
                found.append((path.name, ListedCertificate(b"", None, f"unparseable: {exc}")))
        return found

    def certificates(self) -> list[tuple[str, x509.Certificate]]:
        """The certificates `cryptography` loads (kept for callers that need its objects)."""
        from devices.card.trust_store import strict_certificate

        found = []
        for name, listed in self.listed():
            loaded = strict_certificate(listed.der) if listed.certificate else None
            if loaded is not None:
                found.append((name, loaded))
        return found

    def entries(self, now: datetime | None = None, warn_days: int = 60) -> list[TrustEntry]:
        now = now or datetime.now(UTC)
        rows = [_entry(name, listed, now, warn_days) for name, listed in self.listed()]
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(rows, key=lambda e: (e.not_after or far, e.country, e.file))

    def add(self, certificates: Sequence[x509.Certificate | bytes]) -> ImportReport:
        """Import CSCA certificates (all or none); a non-CA certificate is refused."""
        listed = [
            parse_listed(c if isinstance(c, bytes) else c.public_bytes(Encoding.DER))
            for c in certificates
        ]
        for item in listed:
            if item.certificate is None:
                raise TrustStoreError(f"not a certificate: {item.problem}")
            if item.certificate.is_ca is False:
                raise TrustStoreError(f"{item.subject} is not a CA certificate (not a CSCA)")
        return self._write(listed, ())

    def import_certificates(self, data: bytes) -> ImportReport:
        """A CSCA certificate file (DER, or PEM with one or more certificates). A master list
        is refused here: its signature must be checked (`import_master_list`)."""
        if is_master_list(data):
            raise TrustStoreError("this is a CSCA master list: use kiosk trust import-masterlist")
        try:
            certificates = read_certificates(data)
        except CardError as exc:
            raise TrustStoreError(f"not a certificate: {exc}") from None
        if not certificates:
            raise TrustStoreError("the file holds no certificate")
        return self.add([c.der for c in certificates])

    def import_master_list(
        self, data: bytes, accept_fingerprint: str = "", now: datetime | None = None
    ) -> ImportReport:
        """Check the list's signature; when VALID import every usable CSCA (all or none written),
        otherwise write nothing. Raise `TrustStoreError` only when the file is no master list."""
        try:
            listed = master_list_certificates(data)  # refuses a file over 50 MB before parsing
        except CardError as exc:
            raise TrustStoreError(f"not a CSCA master list: {exc}") from None
        trusted = [c for _, c in self.listed() if c.certificate is not None]
        check = check_master_list_signature(
            data, trusted, listed, accept_fingerprint, now or datetime.now(UTC)
        )
        usable, skipped = vet_master_list(listed, trusted)
        if check.status != "VALID":
            present = _already_present(usable, trusted)
            return ImportReport((), present, check.signer, tuple(skipped), check.status,
                                check.detail, check.fingerprint_to_confirm)  # fmt: skip
        report = self._write(usable, tuple(skipped))
        return ImportReport(report.added, report.already_present, check.signer,
                            tuple(skipped), "VALID")  # fmt: skip

    def _write(
        self, listed: Sequence[ListedCertificate], skipped: tuple[Skipped, ...]
    ) -> ImportReport:
        present = {fingerprint(c.der) for _, c in self.listed() if c.der}
        files: dict[str, bytes] = {}
        duplicates = 0
        for item in listed:
            assert item.certificate is not None
            print_ = fingerprint(item.der)
            if print_ in present:
                duplicates += 1
                continue
            present.add(print_)
            files[f"{_country(item.certificate)}_{print_[:16]}.der"] = item.der
        write_all_or_none(self.folder, files)
        return ImportReport(tuple(files), duplicates, skipped=skipped)


def _already_present(listed: Iterable[ListedCertificate], trusted: list[ListedCertificate]) -> int:
    known = {fingerprint(c.der) for c in trusted}
    return sum(1 for c in {fingerprint(item.der) for item in listed} if c in known)


# --- which certificates of a list can be used ---------------------------------------------------


def vet_master_list(
    listed: list[ListedCertificate], trusted: list[ListedCertificate]
) -> tuple[list[ListedCertificate], list[Skipped]]:
    """The list's certificates that can anchor passive authentication, and the others with the
    reason. Self-signed CSCAs must verify with their own key; a link certificate (an old CSCA
    vouching for a new key, ICAO 9303-12 §7.1.1) must verify with the key of a CSCA that is itself
    usable — from the list or already trusted — so links are followed to their root."""
    skipped: list[Skipped] = []
    candidates: list[tuple[ListedCertificate, Certificate]] = []
    seen: set[str] = set()
    for item in listed:
        print_ = fingerprint(item.der)
        if print_ in seen:
            continue
        seen.add(print_)
        problem = _unusable_as_csca(item)
        if problem:
            skipped.append(Skipped(item.subject, problem))
        elif item.certificate is not None:
            candidates.append((item, item.certificate))
    by_subject: dict[str, list[Certificate]] = {}
    for anchor in trusted:
        if anchor.certificate is not None:
            by_subject.setdefault(name_key(anchor.certificate.subject), []).append(
                anchor.certificate
            )
    accepted: list[ListedCertificate] = []
    pending = candidates
    while pending:  # follow link certificates until no new CSCA becomes usable
        still = []
        for item, certificate in pending:
            issuers = [certificate] if _self_issued(certificate) else []
            issuers += by_subject.get(name_key(certificate.issuer), [])
            if any(issued_by(certificate, issuer) for issuer in issuers):
                accepted.append(item)
                by_subject.setdefault(name_key(certificate.subject), []).append(certificate)
            else:
                still.append((item, certificate))
        if len(still) == len(pending):
            break
        pending = still
    subjects = {name_key(c.subject) for _, c in candidates} | set(by_subject)
    usable_keys = {c.subject_key_identifier for group in by_subject.values() for c in group}
    keys = {k for k in usable_keys if k is not None}
    skipped.extend(Skipped(item.subject, _why_unverified(c, subjects, keys)) for item, c in pending)
    return accepted, skipped


def _unusable_as_csca(item: ListedCertificate) -> str:
    if item.certificate is None:
        return item.problem or "unparseable"
    if item.certificate.is_ca is False:
        return "not a CA certificate (basicConstraints cA false)"
    try:
        item.certificate.public_key()
    except KeyUnsupported as exc:
        return f"unsupported key: {exc}"
    except CardError as exc:
        return f"unparseable public key: {exc}"
    return ""


def _self_issued(certificate: Certificate) -> bool:
    # folded-text prefilter; `issued_by` then compares the names exactly
    return name_key(certificate.issuer) == name_key(certificate.subject)


def _why_unverified(certificate: Certificate, subjects: set[str], keys: set[bytes]) -> str:
    """A self-issued certificate whose authority key identifier names another key is a link
    certificate (ICAO 9303-12 §7.1.1) too, e.g. a renewed CSCA that kept its name."""
    aki, ski = certificate.authority_key_identifier, certificate.subject_key_identifier
    if _self_issued(certificate) and (aki is None or aki == ski):
        return "the self-signature does not verify"
    if name_key(certificate.issuer) not in subjects or (aki is not None and aki not in keys):
        reason = (
            f"link certificate: the CSCA that signed it ({certificate.issuer}"
            + (f", key id {aki.hex()}" if aki else "")
            + ") is neither in the list nor trusted"
        )
    else:
        reason = "link certificate: no CSCA named as its issuer verifies its signature"
    if ski is not None and ski in keys:
        reason += "; its key is trusted through another certificate"
    return reason


# --- the list's own signature -------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    detail: str = ""  # why it is not VALID
    signer: str = ""  # the master list signer's subject
    fingerprint_to_confirm: str = ""  # UNTRUSTED_SIGNER: the CSCA the operator may confirm

    @property
    def rank(self) -> int:
        return ("VALID", "UNTRUSTED_SIGNER", "INVALID", "NOT_CHECKED").index(self.status)


def check_master_list_signature(
    data: bytes,
    trusted: list[ListedCertificate],
    listed: list[ListedCertificate],
    accept_fingerprint: str = "",
    now: datetime | None = None,
) -> SignatureCheck:
    """VALID, INVALID (content type, digest, signature or signer validity wrong),
    UNTRUSTED_SIGNER (the signature verifies but no trusted or confirmed CSCA issued the signer) or
    NOT_CHECKED (the signer's certificate is not carried, or its key or algorithm is unsupported),
    through the one CMS verifier (`devices.card.cms`). With several signers the best one counts."""
    try:
        signed = parse_signed_data(data)
    except CardError as exc:
        return SignatureCheck("INVALID", f"not a CMS SignedData: {exc}")
    if signed.content_type != ID_CSCA_MASTER_LIST:
        return SignatureCheck("INVALID", "the signed content is not a CSCA master list")
    carried, _ = signed_certificates(signed)
    anchors = [c.certificate for c in trusted if c.certificate is not None]
    vouched = [c.certificate for c in listed if c.certificate is not None] + carried
    checks = [
        _check_signer(signed, info, carried, anchors, vouched, accept_fingerprint, now)
        for info in signed.signers
    ]
    return min(checks, key=lambda c: c.rank)


def _check_signer(
    signed: SecurityObject,
    info: SignerInfo,
    carried: list[Certificate],
    anchors: list[Certificate],
    vouched: list[Certificate],
    accept_fingerprint: str,
    now: datetime | None,
) -> SignatureCheck:
    signer = signer_certificate(carried, info)
    if signer is None:
        return SignatureCheck(
            "NOT_CHECKED", "the CMS does not carry the master list signer's certificate"
        )
    try:
        verify_signer(signed, info, signer)
    except SignatureInvalid as exc:
        return SignatureCheck("INVALID", f"master list: {exc}", signer.subject)
    except CardError as exc:
        return SignatureCheck(
            "NOT_CHECKED", f"the signature cannot be checked: {exc}", signer.subject
        )
    moment = now or datetime.now(UTC)
    not_before, not_after = _utc(signer.not_before), _utc(signer.not_after)
    if not not_before <= moment <= not_after:
        return SignatureCheck(
            "INVALID",
            "the master list signer certificate is not valid now "
            f"({not_before:%Y-%m-%d} to {not_after:%Y-%m-%d})",
            signer.subject,
        )
    if chain_to(signer, anchors) is not None:
        return SignatureCheck("VALID", signer=signer.subject)
    issuers = [c for c in vouched if issued_by(signer, c)]
    if not issuers:
        return SignatureCheck(
            "UNTRUSTED_SIGNER",
            "no known CSCA issued the master list signer certificate",
            signer.subject,
        )
    wanted = accept_fingerprint.lower().replace(":", "").strip()
    if any(wanted and hmac.compare_digest(fingerprint(c.der), wanted) for c in issuers):
        return SignatureCheck("VALID", signer=signer.subject)
    issuer = issuers[0]
    return SignatureCheck(
        "UNTRUSTED_SIGNER",
        f"the master list signer is issued by {issuer.subject}, which this kiosk does not trust "
        f"yet; compare its SHA-256 fingerprint {fingerprint(issuer.der)} with the one the "
        "issuing state publishes, then import again with --accept-fingerprint",
        signer.subject,
        fingerprint(issuer.der),
    )


# --- listing ------------------------------------------------------------------------------------


def _entry(name: str, listed: ListedCertificate, now: datetime, warn_days: int) -> TrustEntry:
    certificate = listed.certificate
    if certificate is None:
        return TrustEntry(name, "??", listed.subject, None, 0, "", fingerprint(listed.der), "",
                          "", False, False, listed.problem or "unparseable")  # fmt: skip
    not_after, not_before = _utc(certificate.not_after), _utc(certificate.not_before)
    days_left = (not_after - now).days
    status = EXPIRED if not_after <= now else EXPIRING if days_left < warn_days else VALID
    algorithm, curve, explicit, reason = "", "", False, ""
    try:
        key = certificate.public_key()
        algorithm = key.algorithm
        curve = key.curve.name if key.curve is not None else ""
        explicit = key.explicit
    except KeyUnsupported as exc:
        reason = f"unsupported key: {exc}"
    except CardError as exc:
        reason = f"unparseable public key: {exc}"
    if not reason:
        reason = _validity_problem(not_before, not_after, now) or (
            "not a CA certificate" if certificate.is_ca is False else ""
        )
    return TrustEntry(name, _country(certificate), certificate.subject, not_after, days_left,
                      status, fingerprint(listed.der), algorithm, curve, explicit, not reason,
                      reason)  # fmt: skip


def _country(certificate: Certificate) -> str:
    return certificate.country.upper() or "??"


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _validity_problem(not_before: datetime, not_after: datetime, now: datetime) -> str:
    if not_after <= now:
        return f"expired on {not_after:%Y-%m-%d}"
    if now < not_before:
        return f"not valid before {not_before:%Y-%m-%d}"
    return ""


# --- all-or-none writing ------------------------------------------------------------------------

STAGING_PREFIX = ".import-"  # hidden: `load_trust_store` never reads a half-done import


def write_all_or_none(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file into `folder` or none: each is written and fsynced in a hidden staging
    folder on the same file system, then renamed into place; if a rename fails, the files
    already moved are removed again. A staging folder left by a crash is cleared first."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    if not files:
        return
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    moved: list[Path] = []
    try:
        for name, data in files.items():
            _write_synced(staging / name, data)
        for name in files:
            os.replace(staging / name, folder / name)
            moved.append(folder / name)
        _sync_folder(folder)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to fsync it; its renames are journalled
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
