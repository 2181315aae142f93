"""Error codes and their texts: for each code, one plain sentence for the citizen, what to do
next, and a text for staff, read from the text catalogue (`kiosk.texts`, tables `[error.<code>]`).
`{you}` / `{You}` become the configured form of address ("Bác")."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import texts

FALLBACK = "internal"  # an unknown code is said as this one


@dataclass(frozen=True)
class ErrorText:
    citizen: str  # what happened, in one sentence
    remedy: str  # what to do now
    staff: str  # for the officer (may be technical)
    citizen_en: str = ""


def codes() -> list[str]:
    """Every error code the catalogue has a text for."""
    return sorted({key.split(".")[1] for key in texts.keys_under("error.")})


def known(code: str | None) -> str:
    """The code itself when the catalogue has it, else the fallback."""
    return code if code and texts.has(f"error.{code}.citizen") else FALLBACK


def said(code: str | None, part: str, language: str = "vi", form: str = "Bác") -> str:
    """An error's `citizen` or `remedy` sentence in a language, with the form of address."""
    return texts.get(f"error.{known(code)}.{part}", language, form)


def lookup(code: str | None) -> ErrorText:
    """The code's texts as written (the form of address not yet filled in)."""
    key = f"error.{known(code)}"
    return ErrorText(
        texts.template(f"{key}.citizen"),
        texts.template(f"{key}.remedy"),
        texts.template(f"{key}.staff"),
        texts.template(f"{key}.citizen", "en"),
    )
