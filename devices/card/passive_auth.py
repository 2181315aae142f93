"""Passive authentication (ICAO 9303-11 §5.1): data-group hashes against EF.SOD, the SOD's
signature against its document signer (DS) certificate, the DS certificate against a CSCA.

The status is the most serious finding: DATA_TAMPERED (a hash differs) > SIGNATURE_INVALID (the
SOD, one of its signers or its LDS security object does not verify or cannot be read) >
NOT_IN_SOD (a data group that was read is not listed in the SOD, or none was checked) >
NO_TRUST_STORE (no CSCA to check against) > UNTRUSTED_CSCA (no trusted CSCA signed a DS
certificate) > VALID. VALID therefore means: every signer verifies, a signer's DS certificate
chains to a trusted CSCA, and every data group read is listed in the SOD with its hash equal.
A data group that is NOT_IN_SOD is never used for the citizen's record (`devices.card.document`).

Validity periods do not change the status; they are reported in `notes`. ICAO 9303-12 §7.1
makes a DS certificate valid for its private-key usage period plus the validity of the documents
it signs, and a genuine document is read for years after its DS key stopped signing (and often
after a CSCA was renewed). What proves the data is the signature made while the keys were in use
(the chain model of BSI TR-03110): an expired or not-yet-valid DS/CSCA certificate, a signing time
outside the DS certificate's validity, and a DS certificate without the digitalSignature key usage
are facts for staff, listed as notes, not reasons to call a genuine chip forged. The expiry of the
document itself is checked on its own (`devices.card.expiry`).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from devices.card.cms import (
    Certificate,
    SignerCheck,
    as_certificate,
    chain_to,
    check_signers,
    signed_certificates,
)
from devices.card.errors import CardError, ParseError
from devices.card.lds import data_group_number
from devices.card.lds.sod import MAX_SOD_SIZE, SecurityObject, parse_sod
from devices.card.signatures import describe, digest
from devices.card.trust_store import TrustStore


class PaStatus(StrEnum):
    VALID = "VALID"
    DATA_TAMPERED = "DATA_TAMPERED"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"
    NOT_IN_SOD = "NOT_IN_SOD"
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
    notes: tuple[str, ...] = ()
    signer_key: str = ""  # "EC brainpoolP512r1 (explicit parameters)", "RSA 2048", …

    def hash_checked(self, name: str) -> bool:
        """Whether the SOD lists this data group and its hash is equal."""
        return self.data_groups.get(name) == OK

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "reason": self.reason,
            "data_groups": dict(self.data_groups),
            "signature_algorithm": self.signature_algorithm,
            "document_signer": self.document_signer,
            "csca": self.csca,
            "notes": list(self.notes),
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


def passive_authentication(
    sod_bytes: bytes,
    data_groups: dict[str, bytes],
    trust_store: TrustStore | None,
    now: datetime | None = None,
) -> PassiveAuthResult:
    """Run passive authentication on raw EF.SOD and raw data groups ({"DG1": b"\\x61…"})."""
    if len(sod_bytes) > MAX_SOD_SIZE:
        return PassiveAuthResult(
            PaStatus.SIGNATURE_INVALID, f"EF.SOD is over {MAX_SOD_SIZE} bytes: not parsed"
        )
    try:
        sod = parse_sod(sod_bytes)
    except CardError as exc:
        return PassiveAuthResult(PaStatus.SIGNATURE_INVALID, f"EF.SOD is malformed: {exc}")
    results = check_hashes(sod, data_groups)
    verdict = verify_signed_data(sod, trust_store, "EF.SOD")
    signer = verdict.signer
    ds = signer.certificate
    notes = list(_carried_problems(sod))

    def result(status: PaStatus, reason: str, csca: Certificate | None = None) -> PassiveAuthResult:
        if ds is not None:
            notes.extend(_time_and_usage_notes(ds, signer, csca, now or datetime.now(UTC)))
        return PassiveAuthResult(
            status, reason, results, describe(signer.signer.signature_algorithm),
            ds.subject if ds else "", csca.subject if csca else "", tuple(notes),
            _key_description(ds),
        )  # fmt: skip

    tampered = [name for name, r in results.items() if r == MISMATCH]
    if tampered:
        return result(PaStatus.DATA_TAMPERED, f"hash mismatch in {', '.join(tampered)}")
    if verdict.status is PaStatus.SIGNATURE_INVALID:
        return result(PaStatus.SIGNATURE_INVALID, verdict.reason)
    unsigned = [name for name, r in results.items() if r == NOT_IN_SOD]
    if unsigned:
        notes.append(f"not covered by the SOD, not used: {', '.join(unsigned)}")
        return result(
            PaStatus.NOT_IN_SOD,
            f"the SOD does not list {', '.join(unsigned)}, which the chip holds",
        )
    if not results:
        return result(PaStatus.NOT_IN_SOD, "no data group was checked against the SOD")
    if verdict.status is PaStatus.NO_TRUST_STORE:
        return result(
            PaStatus.NO_TRUST_STORE,
            "hashes and SOD signature are good, but no CSCA certificate is installed",
        )
    if verdict.status is PaStatus.VALID:
        return result(
            PaStatus.VALID, "hashes, SOD signature and DS certificate chain verify", verdict.csca
        )
    return result(PaStatus.UNTRUSTED_CSCA, verdict.reason)


# --- the signature and chain of any SignedData a document signer makes ----------------------------


@dataclass(frozen=True)
class SignedDataVerdict:
    """The signature-and-chain part of passive authentication, shared by EF.SOD and
    EF.CardSecurity (both are CMS SignedData by a DS certified by the CSCA, 9303-11 §9.2.11).

    `status` is SIGNATURE_INVALID, NO_TRUST_STORE, UNTRUSTED_CSCA or VALID; `signer` the signer to
    report (the one that chains when VALID); `failed` the first signer that does not verify."""

    status: PaStatus
    reason: str
    signer: SignerCheck
    csca: Certificate | None = None
    failed: SignerCheck | None = None

    @property
    def wrong_signature(self) -> bool:
        """A signer names a certificate the file carries and its signature, message digest or
        content type is wrong: a forged or altered file. Not when the signature cannot be
        checked at all (no matching certificate, a key or algorithm we cannot use — which
        `devices.card.cms.check_signers` reports as "unusable: …")."""
        failed = self.failed
        return (
            failed is not None
            and failed.certificate is not None
            and not failed.error.startswith("unusable")
        )


def verify_signed_data(
    signed: SecurityObject, trust_store: TrustStore | None, what: str = "EF.SOD"
) -> SignedDataVerdict:
    """Every signer verified (`devices.card.cms.check_signers`), then a verifying signer's DS
    certificate chained to a trusted CSCA. `what` names the file in reasons."""
    checks = check_signers(signed)
    good = [check for check in checks if check.ok and check.certificate is not None]
    signer = good[0] if good else checks[0]
    failed = [(i, check) for i, check in enumerate(checks, start=1) if not check.ok]
    if failed:
        index, check = failed[0]
        who = f"signer {index} of {len(checks)}" if len(checks) > 1 else what
        return SignedDataVerdict(
            PaStatus.SIGNATURE_INVALID, f"{who}: {check.error}", signer, failed=check
        )
    if not trust_store:
        return SignedDataVerdict(
            PaStatus.NO_TRUST_STORE, f"the {what} signature is good; no CSCA is installed", signer
        )
    for check in good:
        assert check.certificate is not None
        found = chain_to(check.certificate, trust_store.anchors(check.certificate))
        if found is not None:
            return SignedDataVerdict(
                PaStatus.VALID,
                f"the {what} signature and its DS certificate chain verify",
                check,
                as_certificate(found),
            )
    ds = signer.certificate
    return SignedDataVerdict(
        PaStatus.UNTRUSTED_CSCA,
        f"no CSCA in the trust store signed the DS certificate (issuer {ds.issuer if ds else '?'})",
        signer,
    )


def _key_description(ds: Certificate | None) -> str:
    if ds is None:
        return ""
    try:
        return ds.public_key().describe()
    except ParseError as exc:
        return f"unusable key: {exc}"


def _carried_problems(sod: SecurityObject) -> Iterable[str]:
    _, problems = signed_certificates(sod)
    return (f"a certificate carried in the SOD is unreadable: {p}" for p in problems)


def _time_and_usage_notes(
    ds: Certificate, check: SignerCheck, csca: Certificate | None, now: datetime
) -> list[str]:
    notes = []
    for role, certificate in (("DS", ds), ("CSCA", csca)):
        if certificate is None:
            continue
        if now > certificate.not_after:
            notes.append(f"the {role} certificate expired on {certificate.not_after.date()}")
        if now < certificate.not_before:
            notes.append(
                f"the {role} certificate is valid only from {certificate.not_before.date()}"
            )
    signed_at = check.signer.signing_time
    if signed_at is not None and not ds.not_before <= signed_at <= ds.not_after:
        notes.append(
            f"the SOD was signed on {signed_at.date()}, outside the DS certificate's validity"
        )
    if ds.key_usage is not None and "digital_signature" not in ds.key_usage:
        notes.append("the DS certificate's key usage lacks digitalSignature")
    if ds.key_usage is None:
        notes.append("the DS certificate has no key usage extension")
    if csca is not None and csca.key_usage is not None and "key_cert_sign" not in csca.key_usage:
        notes.append("the CSCA certificate's key usage lacks keyCertSign")
    return notes
