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
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.errors import CardError, ParseError
from devices.card.lds import data_group_number
from devices.card.lds.sod import SecurityObject, SignerInfo, parse_sod
from devices.card.signatures import describe, digest, verify
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
    certificates = []
    for raw in sod.certificates:
        try:
            certificates.append(x509.load_der_x509_certificate(raw))
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise ParseError(f"SOD certificate does not load: {exc}") from exc
    if not certificates:
        raise ParseError("SOD carries no document signer certificate")
    if signer.subject_key_identifier is not None:
        for cert in certificates:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == signer.subject_key_identifier:
                return cert
    return certificates[0]


def _sod_signature_ok(signer: SignerInfo, sod: SecurityObject, key: object) -> tuple[bool, str]:
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        return False, "the DS key is neither RSA nor EC"
    if signer.signed_attributes is not None:
        if signer.message_digest is None:
            return False, "signed attributes lack the message digest"
        hash_name = _hash_name(signer)
        if not hmac.compare_digest(
            digest(hash_name, sod.encapsulated_content), signer.message_digest
        ):
            return False, "message digest attribute does not match the security object"
        signed = signer.signed_attributes
    else:
        hash_name = _hash_name(signer)
        signed = sod.encapsulated_content
    if not verify(key, signer.signature_algorithm, signer.signature, signed, hash_name):
        return False, "the SOD signature does not verify with the DS certificate"
    return True, ""


def _hash_name(signer: SignerInfo) -> str:
    from devices.card.lds.sod import HASH_OIDS

    name = HASH_OIDS.get(signer.digest_algorithm.oid)
    if name is None:
        raise ParseError(f"unknown SOD digest algorithm {signer.digest_algorithm.oid}")
    return name


def certificate_signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer`'s key signed `certificate` (RSA, RSA-PSS, ECDSA)."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


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
        ok, why = _sod_signature_ok(signer, sod, ds.public_key())
        ds_name = ds.subject.rfc4514_string()
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
        if certificate_signed_by(ds, csca):
            return result(
                PaStatus.VALID,
                "hashes, SOD signature and DS certificate chain verify" + note,
                csca.subject.rfc4514_string(),
            )
    return result(
        PaStatus.UNTRUSTED_CSCA,
        f"no CSCA in the trust store signed the DS certificate ({issuer})" + note,
    )
