"""`kiosk simulate`'s scripted citizen answers each question with a value of its kind: the
question's control (what the screen offers) and key (what it asks)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from kiosk.domain.catalogue import load_catalogue
from kiosk.domain.forms import Control, answer_problem, control_for
from kiosk.ops.simulate import NAMES, ScriptedCitizen

FIELDS = {f.key: f for p in load_catalogue().procedures for f in p.fields}
VILLAGES = ("Thôn Đông, Xã Demo, Tỉnh Demo", "Thôn Tây, Xã Demo, Tỉnh Demo")


def _answers(key: str) -> list[str]:
    return ScriptedCitizen(random.Random(7)).candidates(FIELDS[key], VILLAGES)


@pytest.mark.parametrize("key", ["relationship", "relationship_to_head", "child_ethnicity"])
def test_a_choice_is_answered_with_one_of_its_buttons(key: str) -> None:
    assert set(_answers(key)) <= set(FIELDS[key].choices)


def test_a_place_is_picked_from_the_communes_villages() -> None:
    assert control_for(FIELDS["place_of_death"]) is Control.PLACE
    assert set(_answers("place_of_death")) <= set(VILLAGES)


@pytest.mark.parametrize(
    ("key", "words"),
    [("deceased_name", set(NAMES)), ("cause_of_death", {"Bệnh già", "Bệnh tim"})],
)
def test_typed_answers_follow_the_key(key: str, words: set[str]) -> None:
    assert set(_answers(key)) <= words


def test_every_catalogue_question_gets_an_answer_the_form_accepts() -> None:
    citizen = ScriptedCitizen(random.Random(3))
    today = date.today()
    for spec in FIELDS.values():
        answers = citizen.candidates(spec, VILLAGES)
        assert any(answer_problem(spec, a, today) is None for a in answers), spec.key
