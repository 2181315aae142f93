"""DG11, DG12 and DG16 (ICAO 9303-10 §4.7.11, §4.7.12, §4.7.16) on samples no one here wrote
(tests/devices/card/vectors/real_world/PROVENANCE.md), and their tolerance of absent fields."""

import json
from pathlib import Path

import pytest

from devices.card.document import build_document, document_json
from devices.card.errors import ParseError
from devices.card.lds import identify
from devices.card.lds.details import Name
from devices.card.lds.dg11 import parse_dg11
from devices.card.lds.dg12 import parse_dg12
from devices.card.lds.dg16 import parse_dg16
from devices.card.tlv import encode_tlv

SAMPLES = {
    name: bytes.fromhex(entry["hex"])
    for name, entry in json.loads(
        (Path(__file__).parent / "vectors/real_world/lds_samples.json").read_text()
    ).items()
}


def test_dg11_of_9303_10_appendix_a5_gives_name_places_phone_and_profession() -> None:
    dg11 = parse_dg11(SAMPLES["dg11_icao_a5"])
    assert dg11.full_name == Name("SMITH", "JOHN J")
    assert (dg11.place_of_birth, dg11.address) == (
        ("ANYTOWN", "MN"), ("123 MAPLE RD", "ANYTOWN", "MN"),
    )  # fmt: skip
    assert (dg11.telephone, dg11.profession, dg11.title) == ("16125551212", "TRAVEL AGENT", "")


def test_dg11_of_a_chinese_passport_reads_a_utf8_name_and_a_bare_other_name() -> None:
    dg11 = parse_dg11(SAMPLES["dg11_china"])
    assert (dg11.full_name, dg11.other_names) == (Name("赵彬", ""), [Name("ZHAO", "BIN")])


def test_dg11_other_names_are_read_from_the_counted_a0_template() -> None:
    names = encode_tlv(0x5F0F, b"DOE<<JANE") + encode_tlv(0x5F0F, b"ROE<<JANE")
    data = encode_tlv(0x6B, encode_tlv(0xA0, encode_tlv(0x02, b"\x02") + names))
    assert parse_dg11(data).other_names == [Name("DOE", "JANE"), Name("ROE", "JANE")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(b"19740812", "1974-08-12"), (bytes.fromhex("19740812"), "1974-08-12"),
     (b"19740000", "19740000")],
    ids=["ASCII", "packed BCD", "partial date kept as written"],
)  # fmt: skip
def test_dg11_full_date_of_birth_is_read_in_either_encoding(value: bytes, expected: str) -> None:
    dg11 = parse_dg11(encode_tlv(0x6B, encode_tlv(0x5F2B, value)))
    assert dg11.as_json()["date_of_birth"] == expected


def test_dg12_of_a_french_passport_gives_the_authority_and_the_date_of_issue() -> None:
    dg12 = parse_dg12(SAMPLES["dg12_france"])
    assert dg12.issuing_authority == "JAKARTA - AMBASSADE DE FRANCE EN INDONESIE"
    assert dg12.as_json()["date_of_issue"] == "2017-09-05"


def test_dg12_personalisation_time_and_system_are_read_as_ascii_or_bcd() -> None:
    dg12 = parse_dg12(SAMPLES["dg12_new_zealand"])
    assert (dg12.personalisation_time, dg12.personalisation_system_serial) == (
        "20161115013612", "N-4962",
    )  # fmt: skip
    bcd = parse_dg12(encode_tlv(0x6C, encode_tlv(0x5F55, bytes.fromhex("20171115013612"))))
    assert bcd.personalisation_time == "20171115013612"


def test_dg16_of_9303_10_appendix_a6_lists_both_persons_to_notify() -> None:
    persons = parse_dg16(SAMPLES["dg16_icao_a6"]).persons
    assert [(p.name, p.telephone) for p in persons] == [
        (Name("SMITH", "CHARLES R"), "19525551212"), (Name("BROWN", "MARY J"), "14155551212"),
    ]  # fmt: skip
    assert persons[1].address == ("49 REDWOOD LN", "OCEAN BREEZE", "CA", "94000")
    assert persons[0].as_json()["date_recorded"] == "2002-01-01"


@pytest.mark.parametrize(
    ("parse", "tag"), [(parse_dg11, 0x6B), (parse_dg12, 0x6C), (parse_dg16, 0x70)],
    ids=["DG11", "DG12", "DG16"],
)  # fmt: skip
def test_an_empty_details_group_parses_with_every_field_absent(parse, tag) -> None:  # type: ignore[no-untyped-def]
    result = parse(encode_tlv(tag, b""))
    assert not any(value for value in result.as_json().values() if value not in ([], None, ""))


def test_unknown_tags_are_listed_not_refused() -> None:
    dg11 = parse_dg11(encode_tlv(0x6B, encode_tlv(0x5F60, b"x") + encode_tlv(0x5F13, b"PILOT")))
    assert (dg11.profession, dg11.unknown_tags) == ("PILOT", [0x5F60])


def test_a_details_group_with_broken_tlv_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_dg12(bytes.fromhex("6C045F1905AB"))


def test_dg16_is_recognised_by_its_leading_tag_70() -> None:
    assert identify(SAMPLES["dg16_icao_a6"]).name == "DG16"


def test_card_inspect_json_shows_dg11_dg12_and_dg16_when_present() -> None:
    files = {"DG11": SAMPLES["dg11_icao_a5"], "DG12": SAMPLES["dg12_france"],
             "DG16": SAMPLES["dg16_icao_a6"]}  # fmt: skip
    out = document_json(build_document(files, None))
    assert out["dg11"]["full_name"] == {"surname": "SMITH", "given_names": "JOHN J"}
    assert out["dg12"]["date_of_issue"] == "2017-09-05"
    assert len(out["dg16"]["persons"]) == 2
