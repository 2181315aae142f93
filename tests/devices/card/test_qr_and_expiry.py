"""Access keys from what the kiosk sees: the card's QR (docs/domain.md §3) and the expiry computed
from the renewal ages (docs/domain.md §4)."""

from datetime import date

import pytest

from devices.card import compute_key_seed
from devices.card.errors import QrError
from devices.card.expiry import card_expiry
from devices.card.qr import parse_qr

EXAMPLE = "001095012345|123456789|Nguyễn Văn An|17031995|Nam|Thôn 1, Xã A, Huyện B, Tỉnh C|20052021"


def test_the_domain_qr_example_parses() -> None:
    qr = parse_qr(EXAMPLE)
    assert (qr.id_number, qr.old_id_number, qr.full_name) == (
        "001095012345", "123456789", "Nguyễn Văn An",
    )  # fmt: skip
    assert (qr.date_of_birth, qr.date_of_issue) == (date(1995, 3, 17), date(2021, 5, 20))


def test_qr_gives_the_can_and_the_bac_key_of_the_domain_example() -> None:
    keys = parse_qr(EXAMPLE).access_keys()
    assert keys.can is not None and keys.can.can == "012345"
    assert keys.mrz is not None
    seed = compute_key_seed(keys.mrz.information)
    assert seed == bytes.fromhex("5D41973A6EE8FDFAF051C6DE3BF511CE")


def test_extra_fields_are_ignored_and_slashed_dates_accepted() -> None:
    qr = parse_qr(EXAMPLE.replace("17031995", "17/03/1995") + "|extra|more")
    assert qr.date_of_birth == date(1995, 3, 17)
    assert qr.extra == ("extra", "more")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("001095012345|x|Nguyễn Văn An", "3 fields"),
        ("00109501234|1|Nguyễn Văn An|17031995|Nam|addr|20052021", "12 digits"),
        ("001095012345|1|Nguyễn Văn An|31021995|Nam|addr|20052021", "not a date"),
        ("", "empty"),
    ],
)
def test_bad_qr_text_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QrError, match=message):
        parse_qr(text)


@pytest.mark.parametrize(
    ("born", "issued", "expires"),
    [
        (date(1995, 3, 17), date(2021, 5, 20), date(2035, 3, 17)),  # 2014 law: at 26 → 40
        (date(1998, 1, 10), date(2021, 6, 1), date(2038, 1, 10)),  # 23y5m: within 2y of 25 → 40
        (date(1990, 1, 10), date(2016, 1, 9), date(2030, 1, 10)),  # 25y11m → 40
        (date(1970, 5, 5), date(2021, 5, 5), date(2030, 5, 5)),  # 51 → 60
        (date(1963, 5, 5), date(2021, 5, 5), None),  # 58 → for life
        (date(2014, 2, 1), date(2024, 8, 1), date(2028, 2, 1)),  # 2023 law: 10 → 14
        (date(2012, 1, 1), date(2024, 8, 1), date(2037, 1, 1)),  # 12y7m: within 2y of 14 → 25
    ],
)
def test_expiry_follows_the_renewal_ages(born: date, issued: date, expires: date | None) -> None:
    assert card_expiry(born, issued) == expires


def test_a_card_issued_at_58_or_later_never_expires_under_the_2023_law() -> None:
    assert card_expiry(date(1965, 9, 1), date(2024, 8, 1)) is None


def test_a_29_february_birthday_expires_on_28_february_in_a_common_year() -> None:
    assert card_expiry(date(2000, 2, 29), date(2021, 1, 1)) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("ascii_digits", "other"),
    [
        ("001095012345", "００１０９５０１２３４５"),  # full-width ID
        ("001095012345", "٠٠١٠٩٥٠١٢٣٤٥"),  # Arabic-Indic ID
        ("17031995", "١٧٠٣١٩٩٥"),  # Arabic-Indic date of birth
        ("20052021", "２００５２０２１"),  # full-width date of issue
    ],
    ids=["full-width ID", "Arabic-Indic ID", "Arabic-Indic birth date", "full-width issue date"],
)
def test_only_ascii_digits_count_as_digits(ascii_digits: str, other: str) -> None:
    with pytest.raises(QrError):
        parse_qr(EXAMPLE.replace(ascii_digits, other, 1))


def test_a_can_of_full_width_or_arabic_indic_digits_is_refused():
    from devices.card.access_key import CanKey
    from devices.card.errors import InvalidAccessKey

    for can in ("０１２３４５", "٠١٢٣٤٥"):
        with pytest.raises(InvalidAccessKey):
            CanKey(can)
