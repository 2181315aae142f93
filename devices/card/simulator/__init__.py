"""A software chip card for tests, benchmarks and demo mode.

`demo_citizens()` gives a few deterministic citizens (Vietnamese names with diacritics, photos from
assets/faces, their QR text); `demo_card(citizen)` gives a simulated chip personalised for one of
them, signed by the demo PKI whose CSCA is `demo_csca_pem()`. `simulated_citizens(n, seed, today)`
gives `kiosk simulate` many different citizens; `step_up(citizen)` puts one at the demo kiosk.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from devices.card.simulator.chip import SimulatedChip
from devices.card.simulator.citizen import Citizen, chip_photo
from devices.card.simulator.pki import TestPki, make_pki
from devices.card.simulator.population import simulated_citizens
from devices.card.simulator.profile import CardProfile, ChipFaults, build_profile

__all__ = [
    "CardProfile",
    "ChipFaults",
    "Citizen",
    "SimulatedChip",
    "TestPki",
    "build_profile",
    "card_for_qr",
    "chip_photo",
    "citizen_at_kiosk",
    "demo_card",
    "demo_citizens",
    "demo_csca_pem",
    "demo_pki",
    "install_demo_trust_store",
    "make_pki",
    "simulated_citizens",
    "step_up",
]


def demo_citizens() -> list[Citizen]:
    """Three synthetic citizens (not real people's data; the photos are the sample faces)."""
    return [
        Citizen(
            id_number="001095012345",
            full_name="Nguyễn Văn An",
            date_of_birth=date(1995, 3, 17),
            sex="Nam",
            place_of_origin="Xã Đông Hội, Huyện Đông Anh, Hà Nội",
            place_of_residence="Thôn 1, Xã Đông Hội, Huyện Đông Anh, Hà Nội",
            date_of_issue=date(2021, 5, 20),
            photo="obama.jpg",
            old_id_number="123456789",
            father_name="Nguyễn Văn Bình",
            mother_name="Trần Thị Cúc",
            spouse_name="Lê Thị Dung",
        ),
        Citizen(
            id_number="038158004321",
            full_name="Trần Thị Hoà",
            date_of_birth=date(1958, 11, 2),
            sex="Nữ",
            place_of_origin="Xã Quảng Phú, Huyện Quảng Xương, Thanh Hoá",
            place_of_residence="Xóm Đồng, Xã Quảng Phú, Huyện Quảng Xương, Thanh Hoá",
            date_of_issue=date(2022, 8, 9),
            photo="biden.jpg",
            religion="Phật giáo",
            father_name="Trần Văn Đức",
            mother_name="Phạm Thị Ánh",
        ),
        Citizen(
            id_number="079203007788",
            full_name="Lê Hoàng Đạt",
            date_of_birth=date(2003, 6, 30),
            sex="Nam",
            place_of_origin="Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
            place_of_residence="123 Đường Lê Lợi, Phường Bến Thành, Quận 1, TP Hồ Chí Minh",
            date_of_issue=date(2024, 9, 12),
            photo="obama2.jpg",
            ethnicity="Kinh",
            father_name="Lê Văn Hùng",
            mother_name="Võ Thị Mai",
        ),
    ]


@lru_cache(maxsize=1)
def demo_pki() -> TestPki:
    return make_pki("ecdsa", label="demo")


def demo_csca_pem() -> bytes:
    return demo_pki().csca_pem


def install_demo_trust_store(folder: Path) -> Path:
    """Write the demo CSCA into `folder` (demo mode's trust store); returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "demo-csca.pem"
    target.write_bytes(demo_csca_pem())
    return target


@lru_cache(maxsize=8)
def _demo_profile(index: int) -> CardProfile:
    citizen = demo_citizens()[index]
    return build_profile(citizen, demo_pki(), label=f"demo/{citizen.id_number}")


@lru_cache(maxsize=256)
def _simulated_profile(citizen: Citizen) -> CardProfile:
    # One run's cards share their chip keys (one label): deriving keys per citizen is wasted work.
    return build_profile(citizen, demo_pki(), label="demo/simulated")


def demo_card(citizen: Citizen | int = 0) -> SimulatedChip:
    """A fresh simulated chip for a demo citizen (by index or value) or any other citizen (a
    simulated one: personalised once, then cached), signed by the demo PKI."""
    citizens = demo_citizens()
    if isinstance(citizen, int):
        return SimulatedChip(_demo_profile(citizen))
    if citizen in citizens:
        return SimulatedChip(_demo_profile(citizens.index(citizen)))
    return SimulatedChip(_simulated_profile(citizen))


# The citizen standing at the demo kiosk: the sample camera shows their card's QR and the simulated
# reader holds their chip. `kiosk simulate` sends its citizens up one after the other.
_at_kiosk: list[Citizen] = []


def step_up(citizen: Citizen | None) -> None:
    """`citizen` now stands at the kiosk (None: the first demo citizen again)."""
    _at_kiosk[:] = [citizen] if citizen is not None else []


def citizen_at_kiosk() -> Citizen:
    return _at_kiosk[0] if _at_kiosk else demo_citizens()[0]


def card_for_qr(qr_text: str) -> Citizen | None:
    """Whose card shows this QR: a demo citizen or the one at the kiosk (None: no card here)."""
    text = qr_text.strip()
    return next((c for c in [*_at_kiosk, *demo_citizens()] if c.qr_text == text), None)
