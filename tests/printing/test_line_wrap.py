"""The one word wrap of the receipt and the slip."""

from printing.line_wrap import wrap


def test_words_fill_a_line_before_it_breaks() -> None:
    assert wrap("aa bb cc", 5, len) == ["aa bb", "cc"]


def test_a_word_longer_than_the_line_is_split_by_character() -> None:
    assert wrap("abcdefg", 3, len) == ["abc", "def", "g"]


def test_a_character_wider_than_the_line_still_gets_a_line_and_the_wrap_ends() -> None:
    assert wrap("ab", 0.5, len) == ["a", "b"]


def test_empty_text_is_one_empty_line() -> None:
    assert wrap("  ", 10, len) == [""]
