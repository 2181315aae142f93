"""Telex composition for the on-screen Vietnamese keyboard: plain letters in, Vietnamese out.

No Qt here: the keyboard widget feeds keys to `TelexBuffer` and shows `text`. The rules are the
common Telex ones:
- vowel/consonant shapes: aa→â, aw→ă, ee→ê, oo→ô, ow→ơ, uw→ư, w→ư (alone), dd→đ;
  "uow" → "ươ" (as in "người");
- tones, typed anywhere after the vowels of the syllable: s sắc, f huyền, r hỏi, x ngã, j nặng,
  z removes the tone; the tone lands on the syllable's main vowel (modern placement: "hoà",
  "thuỷ"; a shaped vowel ê/ơ/â… always takes it; "qu"/"gi" do not count as vowels);
- typing the same modifier twice undoes it and keeps the letter: "ass" → "as", "aaa" → "aa".
Capital letters keep their case.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

VOWELS = "aăâeêioôơuưy"
# Tone marks as combining characters (NFD), in the Telex key order.
TONES = {
    "s": "\u0301",  # sắc
    "f": "\u0300",  # huyền
    "r": "\u0309",  # hỏi
    "x": "\u0303",  # ngã
    "j": "\u0323",  # nặng
}
TONE_MARKS = set(TONES.values())
# Shape keys: (base letter, key) → shaped letter.
SHAPES = {
    ("a", "a"): "â",
    ("a", "w"): "ă",
    ("e", "e"): "ê",
    ("o", "o"): "ô",
    ("o", "w"): "ơ",
    ("u", "w"): "ư",
    ("d", "d"): "đ",
}
UNSHAPE = {shaped: base for (base, _key), shaped in SHAPES.items()}
SHAPE_KEY = {shaped: key for (_base, key), shaped in SHAPES.items()}
SHAPED_VOWELS = set("ăâêôơư")
SHAPED_LETTERS = SHAPED_VOWELS | {"đ"}


def _join(letter: str, tone: str) -> str:
    return unicodedata.normalize("NFC", letter + tone)


def _with_case(letter: str, upper: bool) -> str:
    return letter.upper() if upper else letter


@dataclass
class _Letter:
    base: str  # lower-case letter without tone (may be shaped: â, ơ, đ …)
    upper: bool

    def shown(self, tone: str = "") -> str:
        return _with_case(_join(self.base, tone), self.upper)


@dataclass
class TelexBuffer:
    """The text being composed. `press(key)` for letters, digits, space and punctuation;
    `backspace()` removes the last shown character (tone first if it is the last thing typed)."""

    done: str = ""  # finished words (and spaces, punctuation)
    _word: list[_Letter] = field(default_factory=list)
    _tone: str = ""
    _last_modifier: str = ""  # the key that last shaped or toned this word (for undo)

    @property
    def text(self) -> str:
        return self.done + self._shown_word()

    def set_text(self, text: str) -> None:
        """Start from existing text (a prefilled value being corrected)."""
        self.done, self._word, self._tone, self._last_modifier = text, [], "", ""

    def clear(self) -> None:
        self.set_text("")

    def press(self, key: str) -> None:
        if len(key) != 1:
            raise ValueError(f"one character at a time, not {key!r}")
        lower = key.lower()
        if lower in SHAPED_LETTERS:  # a Vietnamese letter's own key: a letter of the word
            self._last_modifier = ""
            self._word.append(_Letter(lower, key.isupper()))
            return
        if not lower.isalpha() or lower not in "abcdefghijklmnopqrstuvwxyz":
            self._finish_word()
            self.done += key
            return
        if self._word and self._modify(lower, key.isupper()):
            return
        self._last_modifier = ""
        if lower == "w" and not self._word_has_vowel_for_w():
            self._word.append(_Letter("ư", key.isupper()))  # "w" alone types ư
            self._last_modifier = "w-alone"
            return
        self._word.append(_Letter(lower, key.isupper()))

    def tone(self, key: str) -> None:
        """A tone key (s f r x j, or z to remove): the tone goes on the word being typed, with
        no Telex to learn; on a word without a vowel it does nothing."""
        if key == "z":
            self._tone = ""
        elif key in TONES and self._vowel_indices():
            self._tone = TONES[key]
        self._last_modifier = ""

    def backspace(self) -> None:
        if self._word:
            self._word.pop()
            self._last_modifier = ""
            if not self._vowel_indices():
                self._tone = ""
            return
        if self.done:
            self.done = self.done[:-1]

    # --- internals ---------------------------------------------------------------------------

    def _finish_word(self) -> None:
        self.done += self._shown_word()
        self._word, self._tone, self._last_modifier = [], "", ""

    def _word_has_vowel_for_w(self) -> bool:
        return any(letter.base in ("a", "o", "u", "ă", "ơ", "ư") for letter in self._word)

    def _modify(self, key: str, upper: bool) -> bool:
        """Apply a Telex modifier to the current word; False if `key` is an ordinary letter."""
        if key in TONES and self._vowel_indices():
            mark = TONES[key]
            if self._tone == mark and self._last_modifier == key:
                self._tone = ""  # typed twice: undo and keep the letter
                self._word.append(_Letter(key, upper))
                self._last_modifier = "undone"
                return True
            self._tone = mark
            self._last_modifier = key
            return True
        if key == "z" and self._tone:
            self._tone = ""
            self._last_modifier = "z"
            return True
        if key in ("a", "e", "o", "d"):
            return self._shape_last(key, upper, (key,))
        if key == "w":
            if self._last_modifier == "w-alone" and self._word[-1].base == "ư":
                self._word[-1].base = "w"  # "ww" gives a plain w
                self._last_modifier = "undone"
                return True
            return self._shape_w(upper)
        return False

    def _shape_last(self, key: str, upper: bool, keys: tuple[str, ...]) -> bool:
        # The letter shaped is the nearest matching one, looking back over the word's vowels
        # (for "d": only the first letter, as in "đi", "đường").
        for index in range(len(self._word) - 1, -1, -1):
            letter = self._word[index]
            if key == "d" and index != 0:
                continue
            if (letter.base, key) in SHAPES:
                letter.base = SHAPES[(letter.base, key)]
                self._last_modifier = key
                return True
            if UNSHAPE.get(letter.base) == key and SHAPE_KEY[letter.base] == key:
                if self._last_modifier != key:
                    return False
                letter.base = key  # typed the shape key again: undo, keep the letter
                self._word.append(_Letter(key, upper))
                self._last_modifier = "undone"
                return True
            if letter.base in VOWELS and key != "d":
                return False
        return False

    def _shape_w(self, upper: bool) -> bool:
        bases = [letter.base for letter in self._word]
        # "uo" + w → "ươ" (người, được); also after "ư" already: "ưo" + w → "ươ".
        for index in range(len(bases) - 1):
            if bases[index] in ("u", "ư") and bases[index + 1] == "o":
                self._word[index].base = "ư"
                self._word[index + 1].base = "ơ"
                self._last_modifier = "w"
                return True
        for index in range(len(self._word) - 1, -1, -1):
            letter = self._word[index]
            if (letter.base, "w") in SHAPES:
                letter.base = SHAPES[(letter.base, "w")]
                self._last_modifier = "w"
                return True
            if letter.base in ("ă", "ơ", "ư") and self._last_modifier == "w":
                letter.base = UNSHAPE[letter.base]
                self._word.append(_Letter("w", upper))
                self._last_modifier = "undone"
                return True
        return False

    def _vowel_indices(self) -> list[int]:
        bases = [letter.base for letter in self._word]
        indices = [i for i, b in enumerate(bases) if b in VOWELS]
        # "qu" and "gi" (before another vowel): the u / i belongs to the consonant.
        if (
            len(indices) > 1
            and indices[0] == 1
            and (bases[0], bases[1]) in (("q", "u"), ("g", "i"))
        ):
            indices = indices[1:]
        return indices

    def _tone_index(self) -> int | None:
        vowels = self._vowel_indices()
        if not vowels:
            return None
        bases = [self._word[i].base for i in vowels]
        for position, base in enumerate(bases):  # a shaped vowel takes the tone (ơ wins in ươ)
            if base in SHAPED_VOWELS:
                if base == "ư" and position + 1 < len(bases) and bases[position + 1] == "ơ":
                    return vowels[position + 1]
                return vowels[position]
        if len(vowels) == 1:
            return vowels[0]
        ends_in_consonant = vowels[-1] < len(self._word) - 1
        if len(vowels) >= 3 or ends_in_consonant:
            return vowels[1] if len(vowels) >= 2 else vowels[0]
        # Two vowels, open syllable: oa, oe, uy take the tone on the second (modern: hoà, thuỷ);
        # others (ai, ao, au, ay, eo, ia, iu, oi, ua, ui, ưa …) on the first.
        if (bases[0], bases[1]) in (("o", "a"), ("o", "e"), ("u", "y"), ("u", "e")):
            return vowels[1]
        return vowels[0]

    def _shown_word(self) -> str:
        tone_at = self._tone_index() if self._tone else None
        return "".join(
            letter.shown(self._tone if index == tone_at else "")
            for index, letter in enumerate(self._word)
        )


def compose(keys: str) -> str:
    """Type a whole key sequence: compose("Nguyeenx Vawn Awn") == "Nguyễn Văn Ăn"."""
    buffer = TelexBuffer()
    for key in keys:
        buffer.press(key)
    return buffer.text
