"""The text catalogue: every sentence the kiosk shows or says, keyed by (key, language).

Each language is one data file beside this module (`vi.toml`, `en.toml`, ...), read once. Keys are
the files' table paths joined by dots: `step.welcome.say`, `button.agree`, `error.internal.remedy`.
Vietnamese is the source: a key missing from another language falls back to Vietnamese (logged
once). Texts for staff (`error.<code>.staff`, `staff.*`) are written once, in the source file.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = "vi"
DATA_DIR = Path(__file__).resolve().parent
DEFAULT_FORM = "Bác"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
ADDRESS = ("you", "You")  # the configured form of address (Vietnamese texts only)
# Every `{name}` a text may hold: the form of address and the values the code passes to `get`.
FILLED = frozenset({*ADDRESS, "amount", "label", "value", "error", "remaining", "until", "name",
                    "title", "step", "devices", "percent", "minutes", "hours"})  # fmt: skip


def is_source_only(key: str) -> bool:
    """Staff-facing texts: read in the source language whatever the citizen's language."""
    return key.startswith("staff.") or key.endswith(".staff")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


FORMAL = "Quý khách"  # the form of address for which "nhé" is too familiar
_NHE_ASK = re.compile(r"(?:(?<=^)|(?<=[.!?] ))Quý khách (?!vui lòng)([^.!?]*?) nhé(?=[.!?])")
_NHE = re.compile(r" nhé(?=[.!?]|$)")


def formal(text: str) -> str:
    """A sentence asking "Quý khách" something ends politely, not familiarly: "Quý khách chờ một
    chút nhé." → "Quý khách vui lòng chờ một chút."; any other "nhé" is left out."""
    return _NHE.sub("", _NHE_ASK.sub(r"Quý khách vui lòng \1", text))


def address(text: str, form: str = DEFAULT_FORM) -> str:
    """`{you}` / `{You}` → the form of address ("Bác" / "bác"-initial capitalised), the sentence
    rendered for that form."""
    text = text.replace("{You}", form[:1].upper() + form[1:]).replace("{you}", form)
    return formal(text) if form == FORMAL else text


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat |= _flatten(value, key + ".")
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise ValueError(f"text {key!r} is not a string")
    return flat


def read_language(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return _flatten(tomllib.load(file))


def language_files(directory: Path = DATA_DIR) -> dict[str, Path]:
    """Each language's data file by language code, without reading them."""
    return {path.stem: path for path in sorted(directory.glob("*.toml"))}


@dataclass
class Catalogue:
    files: dict[str, Path]  # language → its data file, read on first use
    _tables: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _fell_back: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, directory: Path = DATA_DIR) -> Catalogue:
        files = language_files(directory)
        if SOURCE not in files:
            raise FileNotFoundError(f"no {SOURCE}.toml in {directory}")
        return cls(files)

    def table(self, language: str) -> dict[str, str]:
        """A language's texts by key ({} for a language without a data file)."""
        if language not in self._tables:
            path = self.files.get(language)
            self._tables[language] = read_language(path) if path else {}
        return self._tables[language]

    @property
    def texts(self) -> dict[str, dict[str, str]]:
        """Every language's texts (reads every file)."""
        return {language: self.table(language) for language in self.files}

    def languages(self) -> tuple[str, ...]:
        """The source language first, then the others in name order."""
        return (SOURCE, *sorted(set(self.files) - {SOURCE}))

    def keys_under(self, prefix: str = "") -> list[str]:
        """The source's keys starting with `prefix`, in file order."""
        return [key for key in self.table(SOURCE) if key.startswith(prefix)]

    def has(self, key: str) -> bool:
        return key in self.table(SOURCE)

    def template(self, key: str, language: str = SOURCE) -> str:
        """The text as written (placeholders unfilled); KeyError for a key the source lacks."""
        if is_source_only(key):
            language = SOURCE
        found = self.table(language).get(key)
        if found is not None:
            return found
        text = self.table(SOURCE)[key]
        if (key, language) not in self._fell_back:
            self._fell_back.add((key, language))
            log.warning("text %s has no %r version: said in %s", key, language, SOURCE)
        return text

    def get(
        self, key: str, language: str = SOURCE, form: str = DEFAULT_FORM, **values: object
    ) -> str:
        """The text for a key in a language: `{you}`/`{You}` become the form of address, other
        `{name}`s come from `values` (one missing is left visible and logged)."""
        text = self.template(key, language)
        if "{" not in text:
            return text
        fill = {"you": form, "You": form[:1].upper() + form[1:]} | {
            name: str(value) for name, value in values.items()
        }

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in fill:
                log.error("text %s: no value for {%s}", key, name)
                return match.group(0)
            return fill[name]

        text = PLACEHOLDER.sub(replace, text)
        return formal(text) if form == FORMAL and language == SOURCE else text


@cache
def catalogue() -> Catalogue:
    """The kiosk's catalogue; each language's file is read once, on first use."""
    return Catalogue.load()
