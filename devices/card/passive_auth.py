"""Passive authentication (ICAO 9303-11 §5.1): data-group hashes against EF.SOD, the SOD's
signature against its document signer (DS) certificate, the DS certificate against a CSCA.

The status is the most serious finding: DATA_TAMPERED (a hash differs) > SIGNATURE_INVALID (the
SOD or its DS certificate does not verify) > NO_TRUST_STORE (no CSCA to check against) >
UNTRUSTED_CSCA (no CSCA in the store signed the DS certificate) > VALID.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from devices.card.cms import (
    SignatureInvalid,
    carried_certificates,
    issued_by,
    signer_certificate,
    verify_signer,
)
from devices.card.errors import CardError, ParseError
from devices.card.lds import data_group_number
from devices.card.lds.sod import SecurityObject, SignerInfo, parse_sod
from devices.card.signatures import describe, digest
from devices.card.trust_store import TrustStore


class PaStatus(StrEnum):
    VALID = "VALID"
    DATA_TAMPERED = "DATA_TAMPERED"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"
    UNTRUSTED_CSCA = "UNTRUSTED_CSCA"
    NO_TRUST_STORE = "NO_TRUST_STORE"


OK = "OK"
MISMATCH = "MISMATCH"
NOT_IN_SOD = "NOT_IN_SOD"


@dataclass(frozen=True)
class PassiveAuthResult:
    status: PaStatus
    reason: str
    data_groups: dict[str, str] = field(default_factory=dict)
    signature_algorithm: str = ""
    document_signer: str = ""  # DS certificate subject
    csca: str = ""  # CSCA subject, when found

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "reason": self.reason,
            "data_groups": dict(self.data_groups),
            "signature_algorithm": self.signature_algorithm,
            "document_signer": self.document_signer,
            "csca": self.csca,
        }


def check_hashes(sod: SecurityObject, data_groups: dict[str, bytes]) -> dict[str, str]:
    results: dict[str, str] = {}
    for name, content in sorted(data_groups.items(), key=lambda kv: data_group_number(kv[0])):
        expected = sod.data_group_hashes.get(data_group_number(name))
        if expected is None:
            results[name] = NOT_IN_SOD
        else:
            same = hmac.compare_digest(digest(sod.hash_algorithm, content), expected)
            results[name] = OK if same else MISMATCH
    return results


def _document_signer(sod: SecurityObject, signer: SignerInfo) -> x509.Certificate:
    certificates = carried_certificates(sod)
    if not certificates:
        raise ParseError("SOD carries no document signer certificate")
    # An SOD whose signer identifier names none of its certificates is tried with the first.
    return signer_certificate(certificates, signer) or certificates[0]


def passive_authentication(
    sod_bytes: bytes, data_groups: dict[str, bytes], trust_store: TrustStore | None
) -> PassiveAuthResult:
    """Run passive authentication on raw EF.SOD and raw data groups ({"DG1": b"\\x61…"})."""
    try:
        sod = parse_sod(sod_bytes)
    except CardError as exc:
        return PassiveAuthResult(PaStatus.SIGNATURE_INVALID, f"EF.SOD is malformed: {exc}")
    results = check_hashes(sod, data_groups)
    tampered = [name for name, r in results.items() if r == MISMATCH]
    signer = sod.signers[0]
    algorithm_name = describe(signer.signature_algorithm)
    ds: x509.Certificate | None
    try:
        ds = _document_signer(sod, signer)
        ds_name = ds.subject.rfc4514_string()
        verify_signer(sod, signer, ds)
        ok, why = True, ""
    except SignatureInvalid as exc:
        ok, why = False, f"EF.SOD: {exc}"
    except (CardError, ValueError, UnsupportedAlgorithm) as exc:
        ds, ok, why, ds_name = (
            None,
            False,
            f"the DS certificate or signature is unusable: {exc}",
            "",
        )

    def result(status: PaStatus, reason: str, csca: str = "") -> PassiveAuthResult:
        return PassiveAuthResult(status, reason, results, algorithm_name, ds_name, csca)

    if tampered:
        return result(PaStatus.DATA_TAMPERED, f"hash mismatch in {', '.join(tampered)}")
    if not ok or ds is None:
        return result(PaStatus.SIGNATURE_INVALID, why)
    unsigned = [name for name, r in results.items() if r == NOT_IN_SOD]
    note = f"; not covered by the SOD: {', '.join(unsigned)}" if unsigned else ""
    if not trust_store:
        return result(
            PaStatus.NO_TRUST_STORE,
            "hashes and SOD signature are good, but no CSCA certificate is installed" + note,
        )
    try:
        issuer = ds.issuer.rfc4514_string()  # parsed lazily: a forged name fails only here
    except ValueError as exc:
        return result(PaStatus.SIGNATURE_INVALID, f"the DS certificate issuer is malformed: {exc}")
    for csca in trust_store.issuers_of(ds):
        if issued_by(ds, csca):
            return result(
                PaStatus.VALID,
                "hashes, SOD signature and DS certificate chain verify" + note,
                csca.subject.rfc4514_string(),
            )
    return result(
        PaStatus.UNTRUSTED_CSCA,
        f"no CSCA in the trust store signed the DS certificate ({issuer})" + note,
    )
