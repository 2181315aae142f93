"""Telex composition (the keyboard's Vietnamese input), key sequences as a person types them."""

from __future__ import annotations

import pytest

from ui.telex import TelexBuffer, compose


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("Nguyeenx", "Nguyễn"),
        ("Vawn", "Văn"),
        ("An", "An"),
        ("Thais Binhf", "Thái Bình"),
        ("nguwowif", "người"),
        ("dduwowngf", "đường"),
        ("Ddoong Hwng", "Đông Hưng"),
        ("Hoaf", "Hoà"),
        ("thuyr", "thuỷ"),
        ("quys", "quý"),
        ("giaf", "già"),
        ("Vinhx Haauj", "Vĩnh Hậu"),
        ("Bacj Lieeu", "Bạc Liêu"),
        ("tieengs Vieetj", "tiếng Việt"),
        ("xax", "xã"),
        ("huyeenj", "huyện"),
        ("tirnh", "tỉnh"),
        ("Thoon 1", "Thôn 1"),
        ("muaf", "mùa"),
        ("cuar", "của"),
    ],
)
def test_telex_keys_compose_vietnamese_words(keys, expected):
    assert compose(keys) == expected


def test_tone_typed_after_the_final_consonant_lands_on_the_vowel():
    assert compose("toanf") == "toàn"


def test_tone_key_twice_undoes_the_tone_and_keeps_the_letter():
    assert compose("ass") == "as"


def test_shape_key_twice_undoes_the_shape_and_keeps_the_letter():
    assert compose("aaa") == "aa"


def test_z_removes_the_tone():
    assert compose("asz") == "a"


def test_capital_letters_keep_their_case_under_tones_and_shapes():
    assert compose("NGUYEENX") == "NGUYỄN"


def test_backspace_removes_the_last_letter_and_a_tone_with_its_last_vowel():
    buffer = TelexBuffer()
    for key in "as":
        buffer.press(key)
    buffer.backspace()
    assert buffer.text == ""


def test_backspace_reaches_into_finished_words():
    buffer = TelexBuffer()
    buffer.set_text("Thôn 1")
    buffer.backspace()
    buffer.press("2")
    assert buffer.text == "Thôn 2"


def test_consonant_letters_without_a_vowel_are_typed_plainly():
    assert compose("s f r x j") == "s f r x j"


def test_a_key_that_is_not_one_character_is_refused():
    with pytest.raises(ValueError):
        TelexBuffer().press("ab")
