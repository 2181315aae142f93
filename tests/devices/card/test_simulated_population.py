"""`kiosk simulate`'s citizens (devices/card/simulator/population.py): different people with every
Vietnamese diacritic, both sexes, ages 18-95, several provinces, cards of 2016-2025 with and without
DG13 family, one expired card in every ten; each a real simulated chip that passive authentication
verifies against the demo CSCA, its DG2 the sample face the demo camera films."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from devices.card.expiry import card_expiry
from devices.card.simulator import (
    card_for_qr,
    citizen_at_kiosk,
    demo_citizens,
    simulated_citizens,
    step_up,
)
from devices.card.simulator.population import GROUP, SAMPLE_FACE
from kiosk.services.card import demo_chip_card_reader

pytestmark = pytest.mark.timeout(120)

TODAY = date(2026, 12, 3)
PEOPLE = simulated_citizens(GROUP, seed=7, today=TODAY)

# docs/architecture.md §6: the marks every group of ten names carries (NFD combining characters)
TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
VOWEL_MARKS = {"\u0302": "âêô", "\u0306": "ă", "\u031b": "ơư"}
LETTERS = "ăâêôơưđ"


def letters_in(text: str) -> set[str]:
    """The base letters with their vowel marks, tones removed: "Đặng" → {đ, ă, n, g} (cased)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text) if ch not in TONES)
    return set(unicodedata.normalize("NFC", plain))


def age(born: date) -> int:
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


def test_the_names_of_ten_citizens_carry_all_six_tones():
    marks = set(unicodedata.normalize("NFD", " ".join(p.full_name for p in PEOPLE)))
    assert set(TONES) <= marks
    assert any(  # the level tone: a syllable with no tone mark
        not set(unicodedata.normalize("NFD", word)) & set(TONES)
        for p in PEOPLE
        for word in p.full_name.split()
    )


@pytest.mark.parametrize("letter", LETTERS.upper())
def test_the_names_carry_every_marked_letter_as_a_capital(letter):
    assert letter in set().union(*(letters_in(p.full_name) for p in PEOPLE))


@pytest.mark.parametrize("letter", LETTERS.replace("đ", ""))
def test_the_names_carry_every_marked_vowel_in_lower_case(letter):
    assert letter in set().union(*(letters_in(p.full_name) for p in PEOPLE))


def test_a_lower_case_d_with_stroke_shows_in_the_addresses():
    assert any("đ" in p.place_of_residence for p in PEOPLE)


def test_ten_citizens_are_five_men_and_five_women():
    assert sorted(p.sex for p in PEOPLE) == ["Nam"] * 5 + ["Nữ"] * 5


def test_ages_reach_from_18_to_95():
    ages = [age(p.date_of_birth) for p in PEOPLE]
    assert min(ages) == 18 and max(ages) == 95


def test_the_citizens_come_from_several_provinces():
    assert len({p.id_number[:3] for p in PEOPLE}) >= 3


@pytest.mark.parametrize("person", PEOPLE, ids=repr)
def test_the_id_number_follows_birth_year_sex_and_century(person):
    # docs/domain.md §4: digit 4 is sex and century, digits 5-6 the year of birth
    century_sex = 2 * ((person.date_of_birth.year - 1900) // 100) + (person.sex == "Nữ")
    assert person.id_number[3] == str(century_sex)
    assert person.id_number[4:6] == f"{person.date_of_birth.year % 100:02d}"


def test_cards_were_issued_from_2016_to_2025_after_the_age_of_14():
    assert all(2016 <= p.date_of_issue.year <= 2025 for p in PEOPLE)
    assert all(age(p.date_of_birth) - (TODAY.year - p.date_of_issue.year) >= 13 for p in PEOPLE)


def test_dg13_holds_parents_and_spouse_for_some_parents_only_for_others_and_neither_for_some():
    kinds = {(bool(p.father_name and p.mother_name), bool(p.spouse_name)) for p in PEOPLE}
    assert {(True, True), (True, False), (False, False)} <= kinds


def test_exactly_one_card_of_ten_has_expired():
    expired = [p for p in PEOPLE if (p.date_of_expiry or date.max) < TODAY]
    assert len(expired) == 1
    assert expired[0].date_of_expiry == card_expiry(
        expired[0].date_of_birth, expired[0].date_of_issue
    )


def test_every_group_of_ten_has_its_own_expired_card():
    twenty = simulated_citizens(2 * GROUP, seed=3, today=TODAY)
    for group in (twenty[:GROUP], twenty[GROUP:]):
        assert sum((p.date_of_expiry or date.max) < TODAY for p in group) == 1


def test_the_same_seed_gives_the_same_citizens_and_another_seed_others():
    assert simulated_citizens(GROUP, 7, TODAY) == PEOPLE
    assert simulated_citizens(GROUP, 8, TODAY) != PEOPLE


def test_every_chip_photo_is_the_sample_face_the_demo_camera_films():
    from devices.camera.sample_scenes import demo_face_photo

    assert {p.photo for p in PEOPLE} == {SAMPLE_FACE} == {demo_face_photo().name}


def test_the_citizen_at_the_kiosk_shows_their_qr_and_goes_back_to_the_demo_citizen():
    from devices.camera.synthetic import demo_qr_text

    step_up(PEOPLE[3])
    try:
        assert citizen_at_kiosk() == PEOPLE[3] and demo_qr_text() == PEOPLE[3].qr_text
        assert card_for_qr(PEOPLE[3].qr_text) == PEOPLE[3]
    finally:
        step_up(None)
    assert citizen_at_kiosk() == demo_citizens()[0]
    assert card_for_qr(PEOPLE[3].qr_text) is None  # gone from the kiosk


@pytest.mark.parametrize("person", PEOPLE[:3] + [p for p in PEOPLE if p.spouse_name][:1], ids=repr)
def test_the_demo_reader_reads_the_citizen_at_the_kiosk_from_a_chip_the_demo_csca_signed(
    person, tmp_path: Path
):
    reader = demo_chip_card_reader(tmp_path / "trust")
    step_up(person)
    try:
        assert reader.wait_for_card(1.0)
        identity = reader.read_identity(person.qr_text, lambda fraction, key: None)
    finally:
        step_up(None)
    assert (identity.id_number, identity.full_name) == (person.id_number, person.full_name)
    assert (identity.father_name, identity.spouse_name) == (person.father_name, person.spouse_name)
    assert (identity.date_of_birth, identity.date_of_expiry) == (
        person.date_of_birth,
        person.date_of_expiry,
    )
    assert identity.authenticity == "VALID", identity.authenticity_reason  # the demo CSCA's
