"""The CSCA trust store: a folder of certificates (PEM or DER) and ICAO CSCA master lists.

A master list (ICAO 9303-12 §9) is a CMS SignedData whose content (id-icao-cscaMasterList
2.23.136.1.1.2) is `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
Its own signature is not checked here: the folder is trusted as configured by staff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from devices.card.errors import CardError, ParseError
from devices.card.lds.sod import parse_signed_data
from devices.card.tlv import parse_one

log = logging.getLogger(__name__)
ID_CSCA_MASTER_LIST = "2.23.136.1.1.2"


@dataclass
class TrustStore:
    certificates: list[x509.Certificate] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that held no certificate

    def __bool__(self) -> bool:
        return bool(self.certificates)

    def issuers_of(self, certificate: x509.Certificate) -> list[x509.Certificate]:
        return [c for c in self.certificates if c.subject == certificate.issuer]


def load_trust_store(path: Path | str | None) -> TrustStore:
    """Every certificate under `path` (a folder, or one file); missing path → empty store."""
    store = TrustStore()
    if path is None:
        return store
    root = Path(path)
    if not root.exists():
        return store
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for file in files:
        try:
            found = certificates_in(file.read_bytes())
        except (OSError, CardError) as exc:
            log.warning("trust store: skipping %s (%s)", file.name, exc)
            store.skipped.append(file.name)
            continue
        if not found:
            store.skipped.append(file.name)
        store.certificates.extend(found)
    return store


def certificates_in(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            return x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise ParseError(f"bad PEM certificate: {exc}") from exc
    try:
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        pass
    return master_list_certificates(data)


def master_list_certificates(data: bytes) -> list[x509.Certificate]:
    signed = parse_signed_data(parse_one(data))
    if signed.content_type != ID_CSCA_MASTER_LIST:
        raise ParseError("not a certificate nor a CSCA master list")
    return listed_certificates(signed.encapsulated_content)


def listed_certificates(content: bytes) -> list[x509.Certificate]:
    """CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }."""
    parts = parse_one(content).children()
    if len(parts) < 2:
        raise ParseError("CSCA master list without certificates")
    found: list[x509.Certificate] = []
    for element in parts[1].children():
        try:
            found.append(x509.load_der_x509_certificate(element.raw))
        except (ValueError, x509.InvalidVersion) as exc:
            raise ParseError(f"master list holds a bad certificate: {exc}") from exc
    return found
