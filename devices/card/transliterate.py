"""Vietnamese names to MRZ letters (ICAO 9303-3 §6: A–Z only; Đ → D, diacritics dropped)."""

from __future__ import annotations

import unicodedata


def to_mrz_letters(name: str) -> str:
    name = name.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isascii() and (c.isalpha() or c == " ") else " " for c in plain.upper())
