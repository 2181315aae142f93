"""What CA / AA mean for the document: only a failed proof is a possible clone; a document whose
EF.COM or SOD lists DG14 / DG15 but whose CA / AA did not complete is not authentic either."""

from __future__ import annotations

from devices.card.active_auth import AuthResult
from devices.card.document import (
    CHIP_AUTH_FAILED,
    CHIP_AUTH_INCOMPLETE,
    build_document,
    chip_verdict,
    listed_data_groups,
)
from devices.card.simulator import ChipFaults
from tests.devices.card.simulated_cards import trust
from tests.devices.card.world_cards import card, read


def _verdict(**options: object) -> tuple[str, str]:
    result = read(card(**options))
    document = build_document(result.files, trust())
    return chip_verdict(document, result.chip_authentication, result.active_authentication)


def test_a_genuine_chip_has_no_chip_verdict() -> None:
    assert _verdict() == ("", "")


def test_a_clone_signing_aa_with_another_key_is_a_possible_clone() -> None:
    verdict, reason = _verdict(faults=ChipFaults(clone="aa_key"))
    assert verdict == CHIP_AUTH_FAILED and "active authentication" in reason


def test_a_clone_hiding_dg15_listed_in_com_and_sod_is_not_authentic() -> None:
    verdict, reason = _verdict(faults=ChipFaults(clone="hide_dg15"))
    assert verdict == CHIP_AUTH_INCOMPLETE and "DG15" in reason


def test_the_sod_and_com_lists_are_what_the_document_promises() -> None:
    profile = card(faults=ChipFaults(clone="hide_dg15"))
    document = build_document({"COM": profile.files[0x011E], "SOD": profile.files[0x011D]}, None)
    assert {"DG14", "DG15"} <= listed_data_groups(document)


def test_a_card_that_lists_neither_dg14_nor_dg15_needs_no_chip_proof() -> None:
    result = read(card(ca=False, aa=""))
    document = build_document(result.files, trust())
    assert "DG14" not in result.files and "DG15" not in result.files
    assert chip_verdict(document, result.chip_authentication, result.active_authentication)[0] == ""


def test_unsupported_aa_on_a_document_listing_dg15_is_incomplete_not_failed() -> None:
    result = read(card())
    document = build_document(result.files, trust())
    unsupported = AuthResult("NOT_SUPPORTED", "the chip refused INTERNAL AUTHENTICATE (SW 6D00)")
    verdict, _ = chip_verdict(document, result.chip_authentication, unsupported)
    assert verdict == CHIP_AUTH_INCOMPLETE
