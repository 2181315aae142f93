"""MRZ parsing: ICAO 9303-3 §4.9 check digits, TD1 (9303-5) with the CCCD layout (DOMAIN.md §2),
TD3 (9303-4, the specimen of Appendix D)."""

from datetime import date

import pytest

from devices.card.errors import MrzError
from devices.card.mrz import build_td1, check_digit, parse_mrz, parse_yymmdd

CCCD = (
    "IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
)
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<14"


@pytest.mark.parametrize(
    ("field", "digit"),
    [("L898902C<", "3"), ("690806", "1"), ("940623", "6"), ("095012345", "5"),
     ("001095012345", "6")],
)  # fmt: skip
def test_check_digits_use_weights_7_3_1(field: str, digit: str) -> None:
    assert check_digit(field) == digit


def test_cccd_td1_gives_the_last_9_digits_and_the_full_id() -> None:
    mrz = parse_mrz(CCCD)
    assert (mrz.document_number, mrz.full_id_number) == ("095012345", "001095012345")
    assert (mrz.surname, mrz.given_names, mrz.sex) == ("NGUYEN", "VAN AN", "M")


def test_cccd_mrz_information_is_the_bac_input() -> None:
    assert parse_mrz(CCCD).mrz_information == "095012345595031793503177"


def test_td3_specimen_parses_with_the_appendix_d_mrz_information() -> None:
    mrz = parse_mrz(TD3)
    assert mrz.mrz_information == "L898902C<369080619406236"
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")


@pytest.mark.parametrize(
    ("line", "position"),
    [(0, 14), (1, 6), (1, 14), (1, 29), (0, 29)],
    ids=["document number", "birth date", "expiry", "composite", "12-digit ID"],
)
def test_a_wrong_check_digit_is_refused(line: int, position: int) -> None:
    lines = CCCD.split("\n")
    digit = lines[line][position]
    replaced = str((int(digit) + 1) % 10)
    lines[line] = lines[line][:position] + replaced + lines[line][position + 1 :]
    with pytest.raises(MrzError, match="check digit"):
        parse_mrz("\n".join(lines))


def test_a_wrong_shape_says_what_an_mrz_is() -> None:
    with pytest.raises(MrzError, match="3 lines of 30"):
        parse_mrz("IDVNM095012345")


def test_build_td1_reproduces_the_domain_example() -> None:
    built = build_td1(
        id_number="001095012345", date_of_birth="950317", sex="M", date_of_expiry="350317",
        surname="Nguyễn", given_names="Văn An",
    )  # fmt: skip
    assert built == CCCD


def test_lifetime_expiry_991231_means_no_expiry() -> None:
    assert parse_yymmdd("991231", future=True) is None
    assert parse_yymmdd("950317", future=False, today=date(2026, 1, 1)) == date(1995, 3, 17)
