"""What the kiosk says, per language: one catalogue read from `vi.toml`, `en.toml`, ... beside
this package (see `catalogue.py`). A new language is a new data file."""

from __future__ import annotations

from kiosk.texts.catalogue import (
    DEFAULT_FORM,
    SOURCE,
    Catalogue,
    address,
    catalogue,
    language_files,
    placeholders,
)

__all__ = [
    "DEFAULT_FORM",
    "SOURCE",
    "Catalogue",
    "address",
    "catalogue",
    "get",
    "has",
    "keys_under",
    "language_files",
    "languages",
    "placeholders",
    "template",
]


def get(key: str, language: str = SOURCE, form: str = DEFAULT_FORM, **values: object) -> str:
    """`get("button.agree", "en")`; `get("phrase.fee_amount", "vi", "Bác", amount="20 đồng")`."""
    return catalogue().get(key, language, form, **values)


def template(key: str, language: str = SOURCE) -> str:
    return catalogue().template(key, language)


def has(key: str) -> bool:
    return catalogue().has(key)


def keys_under(prefix: str = "") -> list[str]:
    return catalogue().keys_under(prefix)


def languages() -> tuple[str, ...]:
    return catalogue().languages()
