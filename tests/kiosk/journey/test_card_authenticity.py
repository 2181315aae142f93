"""A card whose data failed passive authentication (forged or altered SOD, untrusted CSCA) or
whose chip is a clone is not used: the citizen is told plainly and sent to staff with a help
request (docs/domain.md §1). Cards from the software chip, answering real APDUs."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.card.simulator import ChipFaults, SimulatedChip, build_profile, demo_citizens, demo_pki
from devices.card.transports.simulated import SimulatedTransport
from kiosk import texts
from kiosk.journey import events as ev
from kiosk.journey.engine import HeadlessRunner, HelpShown, JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from kiosk.services.card import ChipCardReader
from tests.fakes import fake_services

pytestmark = pytest.mark.timeout(120)
CITIZEN = demo_citizens()[0]


class _Desk:
    """Records the help requests raised (the engine's HelpDesk, without a store)."""

    def __init__(self) -> None:
        self.raised: list[tuple[str, str]] = []

    def add_listener(self, listener: object) -> None:
        pass

    def raise_request(self, step: str, number: int, title: str, reason: str) -> object:
        self.raised.append((step, reason))
        return type("Request", (), {"help_id": f"h{len(self.raised)}"})()

    def close(self, help_id: str) -> None:
        pass


def _at_the_card(tmp_path: Path, faults: ChipFaults) -> tuple[JourneyEngine, _Desk]:
    profile = build_profile(CITIZEN, demo_pki(), faults=faults, label="authenticity")
    services = fake_services()
    services.card = ChipCardReader(
        lambda: SimulatedTransport(SimulatedChip(profile)),
        tmp_path / "trust",
        extra_csca=[demo_pki().csca_certificate],
    )
    services.qr.scan_card_qr = lambda timeout, progress: CITIZEN.qr_text  # type: ignore[method-assign]
    engine, desk = JourneyEngine(services), _Desk()
    engine.attach_help_desk(desk)  # type: ignore[arg-type]
    runner = HeadlessRunner(engine)
    for answer in (ev.ChoseSubmit(), ev.Consented()):
        engine.dispatch(answer)
        runner.settle()
    return engine, desk


@pytest.mark.parametrize(
    "faults",
    [
        ChipFaults(forged_sod="untrusted"),  # signed by a CSCA the kiosk does not trust
        ChipFaults(forged_sod="bad_signature"),
        ChipFaults(corrupt=("DG13",)),  # data altered after signing
        ChipFaults(clone="aa_key"),  # the genuine data on another chip
    ],
    ids=["untrusted_csca", "bad_signature", "data_tampered", "clone"],
)
def test_a_card_that_fails_authentication_goes_to_staff_with_a_help_request(tmp_path, faults):
    engine, desk = _at_the_card(tmp_path, faults)
    assert engine.state is StepId.STAFF_HELP
    assert engine.ctx.error_code == "card_not_authentic"
    assert desk.raised == [(StepId.CARD_READ.value, "card_not_authentic")]
    assert engine.help_shown is HelpShown.WAITING


def test_staff_cannot_wave_a_refused_card_past_the_card_step(tmp_path):
    engine, _ = _at_the_card(tmp_path, ChipFaults(forged_sod="untrusted"))
    assert not engine.dispatch(ev.StaffOverride("lan", "looks fine to me"))
    assert not engine.dispatch(ev.Retry())  # reading it again cannot make it genuine
    assert engine.state is StepId.STAFF_HELP


def test_the_citizen_is_told_plainly_and_sent_to_staff(tmp_path):
    engine, _ = _at_the_card(tmp_path, ChipFaults(forged_sod="untrusted"))
    view = view_for(StepId.STAFF_HELP, engine.ctx)
    assert view.say == texts.get("error.card_not_authentic.citizen")
    assert "cán bộ" in view.remedy.lower()


def test_a_genuine_card_goes_on_to_the_face(tmp_path):
    engine, desk = _at_the_card(tmp_path, ChipFaults())
    assert engine.state is not StepId.STAFF_HELP and desk.raised == []
