"""PACE-CAM (ICAO 9303-11 §4.4.3.5) is chip authentication only when EF.CardSecurity, which names
the chip's key, is signed by a document signer that chains to a trusted CSCA (§9.2.11): genuine,
forged, unsigned, and without a trust store, on the simulated chip."""

from __future__ import annotations

from functools import lru_cache

from devices.card.active_auth import FAILED, NOT_SUPPORTED, SUCCEEDED
from devices.card.document import (
    CHIP_AUTH_FAILED,
    CHIP_AUTH_INCOMPLETE,
    CS_FORGED,
    CS_UNTRUSTED,
    CS_UNVERIFIABLE,
    CS_VALID,
    build_document,
    check_card_security,
    chip_verdict,
    settled_chip_authentication,
)
from devices.card.reader import ChipRead, ChipReader
from devices.card.simulator import CardProfile, ChipFaults, build_profile
from devices.card.trust_store import TrustStore
from tests.devices.card.simulated_cards import CITIZEN, pki, transport, trust
from tests.devices.card.test_pace_simulator import KEYS

ALL = ("COM", "DG1", "DG14", "DG15", "SOD")


@lru_cache(maxsize=8)
def _card(fault: str = "") -> CardProfile:
    return build_profile(
        CITIZEN, pki(), pace_mapping="ECDH-CAM", faults=ChipFaults(card_security=fault),
        label=f"cam-trust/{fault}",
    )  # fmt: skip


@lru_cache(maxsize=16)
def _read(fault: str = "", files: tuple[str, ...] = ALL) -> ChipRead:
    return ChipReader(transport(_card(fault)), sleep=lambda s: None).read(KEYS, files)


def _settled(result: ChipRead, store: TrustStore | None) -> tuple[str, str, str]:
    document = build_document(result.files, store, card_security=result.card_security)
    settled = settled_chip_authentication(document, result.chip_authentication)
    verdict, _ = chip_verdict(document, result.chip_authentication, result.active_authentication)
    return settled.status, settled.reason, verdict


def test_a_genuine_card_security_under_a_trusted_csca_makes_pace_cam_succeed() -> None:
    result = _read()
    assert result.card_security == _card("").card_security
    status, reason, verdict = _settled(result, trust())
    assert status == SUCCEEDED and "DS test-ecdsa" in reason and "CSCA test-ecdsa" in reason
    assert verdict == ""


def test_the_reader_alone_never_reports_pace_cam_succeeded() -> None:
    result = _read()
    assert result.chip_authentication.status == NOT_SUPPORTED
    assert result.chip_authentication.awaits_card_security_chain


def test_without_a_trust_store_a_good_pace_cam_proof_is_not_supported_and_incomplete() -> None:
    status, reason, verdict = _settled(_read(), TrustStore())
    assert status == NOT_SUPPORTED and "no CSCA is installed" in reason
    assert verdict == CHIP_AUTH_INCOMPLETE


def test_a_document_built_without_the_card_security_does_not_settle_pace_cam() -> None:
    result = _read()
    document = build_document(result.files, trust())  # the raw file was not passed on
    settled = settled_chip_authentication(document, result.chip_authentication)
    assert settled.status == NOT_SUPPORTED


def test_a_card_security_signed_by_another_ds_is_untrusted_not_succeeded() -> None:
    """A forger's own DS (its certificate carried in the file) signs a file naming the forger's
    key: the signature verifies, the DS chains to no trusted CSCA."""
    result = _read("other_ds")
    assert check_card_security(_card("other_ds").card_security or b"", trust()).status == (
        CS_UNTRUSTED
    )
    status, reason, verdict = _settled(result, trust())
    assert status == NOT_SUPPORTED and "not trusted" in reason
    assert verdict == CHIP_AUTH_INCOMPLETE


def test_a_card_security_naming_the_genuine_ds_but_signed_by_another_key_is_forged() -> None:
    result = _read("wrong_signature")
    assert result.chip_authentication.status == FAILED
    assert "forged" in result.chip_authentication.reason
    status, _, verdict = _settled(result, trust())
    assert status == FAILED and verdict == CHIP_AUTH_FAILED


def test_an_unsigned_card_security_is_not_supported_not_failed() -> None:
    result = _read("unsigned", ("DG1",))
    assert result.chip_authentication.status == NOT_SUPPORTED
    assert "no signer" in result.chip_authentication.reason
    assert check_card_security(_card("unsigned").card_security or b"", trust()).status == (
        CS_UNVERIFIABLE
    )


def test_when_pace_cam_cannot_be_completed_dg14_chip_authentication_is_run_instead() -> None:
    result = _read("unsigned")
    assert result.chip_authentication.status == SUCCEEDED
    assert "DG14" in result.chip_authentication.reason


def test_the_genuine_card_security_verifies_and_a_changed_byte_is_forged() -> None:
    raw = _card("").card_security
    assert raw is not None
    assert check_card_security(raw, trust()).status == CS_VALID
    changed = bytearray(raw)
    changed[-5] ^= 0x01  # inside the SignerInfo signature, the last field
    assert check_card_security(bytes(changed), trust()).status == CS_FORGED
