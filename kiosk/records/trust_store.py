"""Managing the CSCA trust store: import certificates and ICAO CSCA master lists, list expiry.

On disk the trust store stays a plain folder of DER certificates (`[security] trust_store`),
which `devices.card.trust_store.load_trust_store` reads for passive authentication; this module
only decides what goes in.

A master list (ICAO 9303-12 §9) is imported only after its own CMS signature checks out:
the signed-attributes message digest matches the list, the signature verifies with the master
list signer certificate carried in the CMS, and that signer certificate is issued by a CSCA the
kiosk already trusts — or by a CSCA inside the list whose SHA-256 fingerprint the operator
confirmed out of band (`--accept-fingerprint`, compared with the issuing state's publication).
A list that merely vouches for itself is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.x509.oid import NameOID

from devices.card.cms import (
    SignatureInvalid,
    carried_certificates,
    issued_by,
    signer_certificate,
    verify_signer,
)
from devices.card.errors import CardError
from devices.card.lds.sod import SecurityObject, SignerInfo, parse_signed_data
from devices.card.tlv import parse_one
from devices.card.trust_store import ID_CSCA_MASTER_LIST, certificates_in, listed_certificates
from kiosk.crypto.keyring import write_atomically

EXPIRED, EXPIRING, VALID = "expired", "expiring", "valid"


class TrustStoreError(Exception):
    """A certificate or master list cannot be imported; the message says why."""


class MasterListInvalid(TrustStoreError):
    """The master list's own signature, digest or signer chain does not check out."""


class UnconfirmedIssuer(MasterListInvalid):
    """The signer's CSCA is only vouched for by the list itself: confirm its fingerprint."""

    def __init__(self, csca: x509.Certificate) -> None:
        self.fingerprint = fingerprint(csca)
        super().__init__(
            f"the master list signer is issued by {_subject(csca)}, which this kiosk does not "
            f"trust yet; compare its SHA-256 fingerprint {self.fingerprint} with the one the "
            "issuing state publishes, then import again with --accept-fingerprint"
        )


@dataclass(frozen=True)
class TrustEntry:
    file: str
    country: str
    subject: str
    not_after: datetime
    days_left: int
    status: str  # valid | expiring | expired
    fingerprint: str


@dataclass(frozen=True)
class ImportReport:
    added: tuple[str, ...]  # file names written
    already_present: int
    signer: str = ""  # master list signer subject


def fingerprint(certificate: x509.Certificate) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding

    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def _subject(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()


def _country(certificate: x509.Certificate) -> str:
    values = certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(values[0].value) if values else "??"


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return True  # old CSCAs may lack the extension; the chain check still applies
    return constraints.value.ca


class TrustStoreFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def certificates(self) -> list[tuple[str, x509.Certificate]]:
        found: list[tuple[str, x509.Certificate]] = []
        if not self.folder.is_dir():
            return found
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            try:
                found.extend((path.name, c) for c in certificates_in(path.read_bytes()))
            except (OSError, CardError):
                continue  # `kiosk doctor` reports unreadable files through load_trust_store
        return found

    def entries(self, now: datetime | None = None, warn_days: int = 60) -> list[TrustEntry]:
        now = now or datetime.now(UTC)
        rows = []
        for name, cert in self.certificates():
            not_after = cert.not_valid_after_utc
            days_left = (not_after - now).days
            status = EXPIRED if not_after <= now else EXPIRING if days_left < warn_days else VALID
            rows.append(
                TrustEntry(
                    name,
                    _country(cert),
                    _subject(cert),
                    not_after,
                    days_left,
                    status,
                    fingerprint(cert),
                )
            )
        return sorted(rows, key=lambda e: (e.not_after, e.country))

    def add(self, certificates: list[x509.Certificate]) -> ImportReport:
        from cryptography.hazmat.primitives.serialization import Encoding

        present = {fingerprint(c) for _, c in self.certificates()}
        added: list[str] = []
        duplicates = 0
        for cert in certificates:
            if not _is_ca(cert):
                raise TrustStoreError(f"{_subject(cert)} is not a CA certificate (not a CSCA)")
            print_ = fingerprint(cert)
            if print_ in present:
                duplicates += 1
                continue
            name = f"{_country(cert)}_{print_[:16]}.der"
            write_atomically(self.folder / name, cert.public_bytes(Encoding.DER), mode=0o644)
            present.add(print_)
            added.append(name)
        return ImportReport(tuple(added), duplicates)

    def import_certificates(self, data: bytes) -> ImportReport:
        """A CSCA certificate file (DER, or PEM with one or more certificates)."""
        try:
            certificates = certificates_in(data)
        except CardError as exc:
            raise TrustStoreError(f"not a certificate: {exc}") from None
        if not certificates:
            raise TrustStoreError("the file holds no certificate")
        return self.add(certificates)

    def import_master_list(
        self, data: bytes, accept_fingerprint: str = "", now: datetime | None = None
    ) -> ImportReport:
        trusted = [c for _, c in self.certificates()]
        certificates, signer = verify_master_list(data, trusted, accept_fingerprint, now)
        try:
            report = self.add(certificates)
            return ImportReport(report.added, report.already_present, _subject(signer))
        except (ValueError, x509.InvalidVersion) as exc:
            raise MasterListInvalid(f"a listed certificate is malformed: {exc}") from None


def verify_master_list(
    data: bytes,
    trusted: list[x509.Certificate],
    accept_fingerprint: str = "",
    now: datetime | None = None,
) -> tuple[list[x509.Certificate], x509.Certificate]:
    """The CSCA certificates of a master list whose signature checks out, and its signer."""
    try:
        return _verify_master_list(data, trusted, accept_fingerprint, now or datetime.now(UTC))
    except (ValueError, TypeError, UnsupportedAlgorithm, x509.InvalidVersion) as exc:
        # `cryptography` parses certificate parts lazily: a malformed one fails when touched.
        raise MasterListInvalid(f"a certificate in the master list is malformed: {exc}") from None


def _verify_master_list(
    data: bytes, trusted: list[x509.Certificate], accept_fingerprint: str, now: datetime
) -> tuple[list[x509.Certificate], x509.Certificate]:
    try:
        signed = parse_signed_data(parse_one(data))
    except CardError as exc:
        raise MasterListInvalid(f"not a CMS SignedData: {exc}") from None
    if signed.content_type != ID_CSCA_MASTER_LIST:
        raise MasterListInvalid(f"content type {signed.content_type} is not a CSCA master list")
    listed = _listed_certificates(signed.encapsulated_content)
    if len(signed.signers) != 1:
        raise MasterListInvalid(f"expected one signer, found {len(signed.signers)}")
    signer_info = signed.signers[0]
    signer = _signer_certificate(signed, signer_info)
    _check_signature(signed, signer_info, signer)
    if not signer.not_valid_before_utc <= now <= signer.not_valid_after_utc:
        raise MasterListInvalid(
            f"the master list signer certificate is not valid now "
            f"({signer.not_valid_before_utc:%Y-%m-%d} to {signer.not_valid_after_utc:%Y-%m-%d})"
        )
    if any(issued_by(signer, csca) for csca in trusted):
        return listed, signer
    in_list = [csca for csca in listed if issued_by(signer, csca)]
    if not in_list:
        raise MasterListInvalid("no known CSCA issued the master list signer certificate")
    wanted = accept_fingerprint.lower().replace(":", "").strip()
    if not any(wanted and hmac.compare_digest(fingerprint(c), wanted) for c in in_list):
        raise UnconfirmedIssuer(in_list[0])
    return listed, signer


def _listed_certificates(content: bytes) -> list[x509.Certificate]:
    try:
        certificates = listed_certificates(content)
    except CardError as exc:
        raise MasterListInvalid(f"the master list content is malformed: {exc}") from None
    if not certificates:
        raise MasterListInvalid("the master list is empty")
    return certificates


def _signer_certificate(signed: SecurityObject, info: SignerInfo) -> x509.Certificate:
    try:
        carried = carried_certificates(signed)
    except CardError:
        raise MasterListInvalid("a certificate in the CMS does not load") from None
    found = signer_certificate(carried, info)
    if found is None:
        raise MasterListInvalid("the CMS does not carry the master list signer's certificate")
    return found


def _check_signature(signed: SecurityObject, info: SignerInfo, signer: x509.Certificate) -> None:
    if info.content_type not in (None, ID_CSCA_MASTER_LIST):
        raise MasterListInvalid("the signed content type is not a CSCA master list")
    try:
        verify_signer(signed, info, signer)
    except SignatureInvalid as exc:
        raise MasterListInvalid(f"master list: {exc}") from None
    except CardError as exc:
        raise MasterListInvalid(f"the signature is malformed: {exc}") from None
