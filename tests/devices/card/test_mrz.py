"""MRZ parsing: ICAO 9303-3 §4.9 check digits, TD1 (9303-5) with the CCCD layout
(docs/domain.md §2), TD2 (9303-6), TD3 (9303-4); strict for typed MRZs, lenient for the chip's
DG1; OCR padding."""

import json
from datetime import date
from pathlib import Path

import pytest

from devices.card import compute_key_seed
from devices.card.errors import MrzError
from devices.card.mrz import build_td1, check_digit, mrz_information, parse_mrz, parse_yymmdd

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


# --- TD2, long document numbers, the ICAO specimens (tests/devices/card/vectors/real_world) -------

SPECIMENS = json.loads(
    (Path(__file__).parent / "vectors/real_world/mrz_specimens.json").read_text()
)


@pytest.mark.parametrize("name", sorted(SPECIMENS))
def test_icao_specimen_mrzs_parse_with_their_mrz_information(name: str) -> None:
    specimen = SPECIMENS[name]
    mrz = parse_mrz("\n".join(specimen["lines"]))
    assert (mrz.layout, mrz.document_number) == (specimen["layout"], specimen["document_number"])
    assert (mrz.surname, mrz.given_names) == (specimen["surname"], specimen["given_names"])
    assert mrz.mrz_information == specimen["mrz_information"]


@pytest.mark.parametrize("name", ["td1_long_document_number", "td2_long_document_number"])
def test_a_long_document_number_gives_the_key_seed_of_9303_11_appendix_d2(name: str) -> None:
    specimen = SPECIMENS[name]
    seed = compute_key_seed(parse_mrz("\n".join(specimen["lines"])).mrz_information)
    assert seed.hex().upper() == specimen["key_seed"]


def test_a_td2_with_a_wrong_composite_digit_is_refused() -> None:
    one, two = SPECIMENS["td2_specimen"]["lines"]
    with pytest.raises(MrzError, match="composite"):
        parse_mrz(one + "\n" + two[:-1] + "7")


def test_a_typed_mrz_names_every_wrong_check_digit() -> None:
    lines = CCCD.split("\n")
    lines[1] = "9503170M3503177VNM<<<<<<<<<<<1"  # birth date digit and composite both wrong
    with pytest.raises(MrzError) as caught:
        parse_mrz("\n".join(lines))
    assert "date of birth: '0' (expected 9)" in str(caught.value)
    assert "whole MRZ (composite): '1' (expected 3)" in str(caught.value)


# --- the chip's MRZ, read leniently ---------------------------------------------------------------


def test_a_lenient_read_returns_the_fields_with_the_failed_check_and_a_warning() -> None:
    lines = CCCD.split("\n")
    lines[1] = lines[1][:-1] + "1"  # composite 0 → 1
    mrz = parse_mrz("\n".join(lines), strict=False)
    assert mrz.check_digits == {
        "document_number": True, "date_of_birth": True, "date_of_expiry": True,
        "composite": False,
    }  # fmt: skip
    assert mrz.warnings == ("wrong check digit for the whole MRZ (composite): '1' (expected 0)",)
    assert (mrz.full_id_number, mrz.surname) == ("001095012345", "NGUYEN")


def test_a_lenient_read_keeps_the_printed_check_digit_in_the_access_key() -> None:
    one, two = SPECIMENS["td3_specimen"]["lines"]
    mrz = parse_mrz(one + "\n" + two[:9] + "4" + two[10:], strict=False)  # number digit 6 → 4
    assert mrz.check_digits["document_number"] is False
    assert mrz.mrz_information == "L898902C3474081221204159"


def test_a_strict_read_reports_every_check_as_holding() -> None:
    assert set(parse_mrz(CCCD).check_digits.values()) == {True}


# --- OCR: lost trailing fillers -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["td1_specimen", "td2_specimen", "td3_specimen"])
def test_lines_that_lost_their_trailing_fillers_are_padded(name: str) -> None:
    full = SPECIMENS[name]["lines"]
    if len(full) == 2:
        cut = [full[0].rstrip("<"), full[1]]
    else:
        cut = [full[0].rstrip("<"), full[1], full[2].rstrip("<")]
    assert parse_mrz("\n".join(cut)).lines == tuple(full)


def test_the_line_ending_in_the_composite_digit_is_never_padded() -> None:
    one, two = SPECIMENS["td3_specimen"]["lines"]
    with pytest.raises(MrzError, match="2 lines of 44"):
        parse_mrz(one + "\n" + two[:40])


# --- only ASCII digits are digits -----------------------------------------------------------------


@pytest.mark.parametrize(
    "digits",
    ["\uff19\uff15\uff10\uff13\uff11\uff17", "\u0669\u0665\u0660\u0663\u0661\u0667"],
    ids=["full-width", "Arabic-Indic"],
)
def test_non_ascii_digits_are_refused_in_dates_keys_and_lines(digits: str) -> None:
    with pytest.raises(MrzError):
        parse_yymmdd(digits, future=False)
    with pytest.raises(MrzError):
        mrz_information("095012345", digits, "350317")
    with pytest.raises(MrzError):
        parse_mrz(CCCD.replace("950317", digits, 1))
    with pytest.raises(MrzError):
        check_digit(digits)


@pytest.mark.parametrize("letter", ["\u0131", "\u017f"], ids=["dotless i", "long s"])
def test_letters_that_upper_case_into_ascii_are_refused(letter: str) -> None:
    with pytest.raises(MrzError, match="only A-Z"):
        parse_mrz(CCCD.replace("NGUYEN", "NGUYEN".lower().replace("n", letter, 1), 1))
