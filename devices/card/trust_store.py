"""The CSCA trust store: a folder of certificates (PEM or DER) and ICAO CSCA master lists.

A master list (ICAO 9303-12 §9) is a CMS SignedData whose content (id-icao-cscaMasterList
2.23.136.1.1.2) is `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
Its own signature is not checked here: the folder is trusted as configured by staff (and
`kiosk trust import-masterlist` checks it before anything is written).

Certificates are read leniently (asn1crypto): real CSCAs carry explicit EC parameters, NULL ECDSA
parameters, non-DER BasicConstraints or negative serials that `cryptography`'s strict parser
refuses. One malformed certificate in a list is reported, never fatal to the list.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from asn1crypto import core, pem
from cryptography import x509

from devices.card.cms import Certificate, load_certificate, parse_signed_data
from devices.card.errors import ParseError

log = logging.getLogger(__name__)
ID_CSCA_MASTER_LIST = "2.23.136.1.1.2"
ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
MAX_MASTER_LIST_BYTES = 50 * 1024 * 1024  # the German list is ~1 MB; anything this big is not one


class MasterListTooLarge(ParseError):
    """The file is larger than any CSCA master list; it is refused before it is parsed."""


@dataclass(frozen=True)
class ListedCertificate:
    """One element of a certificate list as encoded (its DER, unmodified), parsed or not."""

    der: bytes
    certificate: Certificate | None  # None when it does not parse
    problem: str = ""  # why it does not parse

    @property
    def subject(self) -> str:
        return self.certificate.subject if self.certificate else "(unparseable certificate)"


@dataclass
class TrustStore:
    certificates: list[x509.Certificate] = field(default_factory=list)  # as `cryptography` loads
    skipped: list[str] = field(default_factory=list)  # files that held no certificate
    refused: list[bytes] = field(default_factory=list)  # DER that `cryptography` does not load
    _cache: list[Certificate] = field(default_factory=list, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.certificates or self.refused)

    def issuers_of(self, certificate: x509.Certificate) -> list[x509.Certificate]:
        return [c for c in self.certificates if c.subject == certificate.issuer]

    def all_der(self) -> list[bytes]:
        """Every trusted certificate as DER, including those `cryptography` refuses."""
        return [_der(c) for c in self.certificates] + self.refused

    def anchors(self, issuer_of: Certificate | None = None) -> list[Certificate]:
        """Every trusted certificate parsed leniently — what `cms.chain_to` should search, so
        that CSCAs `cryptography` refuses (NULL ECDSA parameters …) anchor chains too; with
        `issuer_of`, only those whose subject (folded as RFC 5280 §7.1 compares names) is that
        certificate's issuer."""
        if len(self._cache) != len(self.certificates) + len(self.refused):
            parsed = (parse_listed(der).certificate for der in self.all_der())
            self._cache[:] = [c for c in parsed if c is not None]
        if issuer_of is None:
            return list(self._cache)
        wanted = name_key(issuer_of.issuer)
        return [c for c in self._cache if name_key(c.subject) == wanted]


def _der(certificate: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate.public_bytes(Encoding.DER)


def load_trust_store(path: Path | str | None) -> TrustStore:
    """Every certificate under `path` (a folder, or one file); missing path → empty store.
    Hidden files and folders (an import being staged) are not read."""
    store = TrustStore()
    if path is None:
        return store
    root = Path(path)
    if not root.exists():
        return store
    files = [root] if root.is_file() else trust_files(root)
    for file in files:
        try:
            found = [c for c in read_certificates(file.read_bytes()) if c.certificate is not None]
        except (OSError, ParseError) as exc:
            log.warning("trust store: skipping %s (%s)", file.name, exc)
            store.skipped.append(file.name)
            continue
        if not found:
            store.skipped.append(file.name)
        for listed in found:
            loaded = strict_certificate(listed.der)
            if loaded is None:
                store.refused.append(listed.der)
            else:
                store.certificates.append(loaded)
    return store


def trust_files(folder: Path) -> list[Path]:
    """The files of a trust-store folder, skipping hidden ones (an import stages there)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def certificates_in(data: bytes) -> list[x509.Certificate]:
    """The certificates of a DER or PEM file or a master list that `cryptography` loads."""
    loaded = (strict_certificate(listed.der) for listed in read_certificates(data))
    return [certificate for certificate in loaded if certificate is not None]


def strict_certificate(der: bytes) -> x509.Certificate | None:
    """The certificate as `cryptography` loads it, or None when its strict parser refuses it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # negative serials: loaded today, refused in the future
        try:
            return x509.load_der_x509_certificate(der)
        except ValueError:
            return None


def read_certificates(data: bytes) -> list[ListedCertificate]:
    """The certificates of a file: one DER certificate, PEM (one or more), or a master list.
    A certificate that does not parse comes back with its `problem`."""
    if b"-----BEGIN CERTIFICATE-----" in data:
        return _pem_certificates(data)
    if is_master_list(data):
        return master_list_certificates(data)
    listed = parse_listed(data)
    if listed.certificate is None:
        raise ParseError(f"not a certificate nor a CSCA master list: {listed.problem}")
    return [listed]


def _pem_certificates(data: bytes) -> list[ListedCertificate]:
    try:
        blocks = list(pem.unarmor(data, multiple=True))
    except (ValueError, TypeError) as exc:
        raise ParseError(f"bad PEM certificate: {exc}") from None
    return [parse_listed(der) for kind, _, der in blocks if kind == "CERTIFICATE"]


def is_master_list(data: bytes) -> bool:
    """Whether the bytes are a CMS SignedData (as a master list is), by its first element."""
    try:
        info = core.Sequence.load(data, strict=True)
        return bool(len(info) >= 1 and info[0].native == ID_SIGNED_DATA)
    except Exception:  # asn1crypto raises assorted builtin errors on malformed input
        return False


def master_list_certificates(data: bytes) -> list[ListedCertificate]:
    """Every element of a CSCA master list's certList, without checking its signature."""
    return listed_certificates(master_list_content(data))


def master_list_content(data: bytes) -> bytes:
    """The encapsulated CscaMasterList of a CMS SignedData (refused above 50 MB)."""
    if len(data) > MAX_MASTER_LIST_BYTES:
        raise MasterListTooLarge(
            f"{len(data)} bytes is larger than any master list ({MAX_MASTER_LIST_BYTES} bytes)"
        )
    signed = parse_signed_data(data)
    if signed.content_type != ID_CSCA_MASTER_LIST:
        raise ParseError(f"content type {signed.content_type} is not a CSCA master list")
    return signed.encapsulated_content


class _CscaMasterList(core.Sequence):
    _fields: ClassVar = [("version", core.Integer), ("cert_list", core.SetOf, {"spec": core.Any})]


def listed_certificates(content: bytes) -> list[ListedCertificate]:
    """CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }: every
    element, each parsed on its own so a malformed one does not take the list down."""
    try:
        elements = [element.dump() for element in _CscaMasterList.load(content)["cert_list"]]
    except Exception as exc:  # asn1crypto raises assorted builtin errors on malformed input
        raise ParseError(f"malformed CSCA master list: {exc}") from None
    if not elements:
        raise ParseError("CSCA master list without certificates")
    return [parse_listed(der) for der in elements]


@lru_cache(maxsize=4096)  # the kiosk reloads its trust store (hundreds of CSCAs) for every card
def parse_listed(der: bytes) -> ListedCertificate:
    """One certificate, parsed leniently (`cms.load_certificate`); a malformed one comes back
    with its problem instead of raising."""
    try:
        return ListedCertificate(der, load_certificate(der))
    except ParseError as exc:
        return ListedCertificate(der, None, f"unparseable: {_short(exc)}")


def name_key(name: str) -> str:
    """An RFC 4514 name folded for lookups (case and runs of spaces, as RFC 5280 §7.1 compares
    names); a lookup hit is confirmed by `cms.issued_by`, which compares the names exactly."""
    return " ".join(name.casefold().split())


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
