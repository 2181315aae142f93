"""The kiosk's authenticity verdict from chip and active authentication (kiosk.services.card)."""

from __future__ import annotations

from pathlib import Path

from devices.card.simulator import ChipFaults, SimulatedChip, build_profile, demo_citizens, demo_pki
from devices.card.transports.simulated import SimulatedTransport
from kiosk.services.card import ChipCardReader


def _identity(tmp_path: Path, faults: ChipFaults, aa: str = "ecdsa") -> tuple[str, str]:
    citizen = demo_citizens()[0]
    profile = build_profile(citizen, demo_pki(), aa=aa, faults=faults, label=f"svc/{faults}/{aa}")
    reader = ChipCardReader(
        lambda: SimulatedTransport(SimulatedChip(profile)),
        tmp_path / "trust",
        extra_csca=[demo_pki().csca_certificate],
        poll_s=0,
    )
    identity = reader.read_identity(citizen.qr_text, lambda fraction, key: None)
    return identity.authenticity, identity.authenticity_reason


def test_a_6a80_during_chip_authentication_is_incomplete_not_a_clone(tmp_path: Path) -> None:
    authenticity, reason = _identity(tmp_path, ChipFaults(ca_error_sw=0x6A80))
    assert authenticity == "CHIP_AUTH_INCOMPLETE" and "clone" not in reason


def test_a_chip_failing_active_authentication_is_a_possible_clone(tmp_path: Path) -> None:
    authenticity, reason = _identity(tmp_path, ChipFaults(clone="aa_key"))
    assert authenticity == "CHIP_AUTH_FAILED" and "clone" in reason


def test_a_clone_hiding_dg15_is_not_reported_authentic(tmp_path: Path) -> None:
    authenticity, _ = _identity(tmp_path, ChipFaults(clone="hide_dg15"))
    assert authenticity == "CHIP_AUTH_INCOMPLETE"


def test_a_file_a_status_word_ended_is_named_for_staff(tmp_path: Path) -> None:
    _, reason = _identity(tmp_path, ChipFaults(bare_sw=(("DG2", 0x6A82),)))
    assert "not read: DG2 (" in reason
