"""`ChipCardReader` (kiosk.services.card): the journey's CardReader over the simulated chip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devices.card.simulator import ChipFaults, SimulatedChip, build_profile, demo_citizens, demo_pki
from devices.card.transports.simulated import SimulatedTransport
from kiosk.domain.identity import IdentitySource
from kiosk.domain.model import ServiceError
from kiosk.services.card import ChipCardReader, demo_chip_card_reader
from kiosk.texts.errors import codes as error_codes
from kiosk.texts.errors import lookup

CITIZENS = demo_citizens()


def _reader(
    tmp_path: Path, faults: ChipFaults | None = None, trusted: bool = True
) -> ChipCardReader:
    profile = build_profile(CITIZENS[0], demo_pki(), faults=faults or ChipFaults(), label="svc")
    extra = [demo_pki().csca_certificate] if trusted else []
    return ChipCardReader(
        lambda: SimulatedTransport(SimulatedChip(profile)), tmp_path / "trust", extra_csca=extra
    )


def _noop(fraction: float, key: str) -> None:
    pass


def test_identity_comes_from_dg13_with_the_chip_photo_and_valid_authenticity(
    tmp_path: Path,
) -> None:
    identity = _reader(tmp_path).read_identity(CITIZENS[0].qr_text, _noop)
    assert (identity.id_number, identity.full_name) == ("001095012345", "Nguyễn Văn An")
    assert (identity.date_of_birth, identity.date_of_expiry) == (
        date(1995, 3, 17),
        date(2035, 3, 17),
    )
    assert (identity.father_name, identity.spouse_name) == ("Nguyễn Văn Bình", "Lê Thị Dung")
    assert identity.photo_jpeg is not None and identity.photo_jpeg[:2] == b"\xff\xd8"
    assert (identity.source, identity.authenticity) == (IdentitySource.CHIP, "VALID")


def test_progress_is_reported_up_to_done(tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    _reader(tmp_path).read_identity(CITIZENS[0].qr_text, lambda f, k: seen.append((f, k)))
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "card_read_done")


@pytest.mark.parametrize(
    ("faults", "status"),
    [
        (ChipFaults(corrupt=("DG13",)), "DATA_TAMPERED"),
        (ChipFaults(forged_sod="untrusted"), "UNTRUSTED_CSCA"),
        (ChipFaults(forged_sod="bad_signature"), "SIGNATURE_INVALID"),
    ],
)
def test_forged_or_corrupt_data_is_reported_in_authenticity(
    tmp_path: Path, faults: ChipFaults, status: str
) -> None:
    identity = _reader(tmp_path, faults).read_identity(CITIZENS[0].qr_text, _noop)
    assert identity.authenticity == status and identity.authenticity_reason


def test_an_empty_trust_store_gives_no_trust_store(tmp_path: Path) -> None:
    identity = _reader(tmp_path, trusted=False).read_identity(CITIZENS[0].qr_text, _noop)
    assert identity.authenticity == "NO_TRUST_STORE"


def test_wrong_key_is_a_service_error_with_the_access_denied_code(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as raised:
        _reader(tmp_path, ChipFaults(wrong_key=True)).read_identity(CITIZENS[0].qr_text, _noop)
    assert raised.value.code == "card_access_denied"


@pytest.mark.parametrize(("qr", "code"), [(None, "card_key_missing"), ("garbage", "card_bad_qr")])
def test_missing_or_bad_qr_is_a_service_error(tmp_path: Path, qr: str | None, code: str) -> None:
    with pytest.raises(ServiceError) as raised:
        _reader(tmp_path).read_identity(qr, _noop)
    assert raised.value.code == code


def test_demo_reader_holds_the_card_of_the_citizen_whose_qr_was_shown(tmp_path: Path) -> None:
    reader = demo_chip_card_reader(tmp_path / "trust")
    assert reader.wait_for_card(0.1)
    identity = reader.read_identity(CITIZENS[1].qr_text, _noop)
    assert (identity.full_name, identity.date_of_expiry) == ("Trần Thị Hoà", None)  # for life
    assert identity.authenticity == "VALID"


def test_every_card_error_code_has_citizen_and_staff_texts_in_the_catalogue() -> None:
    from devices.card import errors

    codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.CardError)
    }
    assert codes <= set(error_codes())
    for code in codes:
        assert lookup(code).citizen and lookup(code).staff
