"""Every fixed sentence the kiosk speaks, for the pre-rendered voice clips. No Qt here: the clip
generator (tools/voice/generate.py) and the stale-clip test use it too.

A screen's spoken text is split into sentences; each fixed sentence has its own clip, so a text
that mixes fixed sentences with variable ones (a name, an amount) still plays its fixed parts from
clips and hands only the variable ones to live text-to-speech.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from devices.speech.espeak import VOICES
from kiosk import texts

if TYPE_CHECKING:
    from kiosk.journey.view_data import StepView

ADDRESS_FORMS = ("Bác", "Anh/Chị", "Quý khách")
# The two voice variants a setting picks from: espeak-ng voice names.
VARIANTS = VOICES

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[str]:
    """Split a spoken text into sentences ("Xin chào! Bác …" → ["Xin chào!", "Bác …"])."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def clip_key(variant: str, text: str) -> str:
    """The clip's file stem: stable for the same sentence and voice variant."""
    return hashlib.sha256(f"{variant}\n{text}".encode()).hexdigest()[:16]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def spoken_form(text: str) -> str:
    """What the synthesiser reads: "Anh/Chị" is said "Anh Chị", "…" as a pause."""
    return text.replace("Anh/Chị", "Anh Chị").replace("/", " ").replace("…", ".")


def spoken_keys() -> list[str]:
    """The catalogue keys whose Vietnamese texts are spoken: step instructions, guidance, phrases
    and the errors' sentences for the citizen."""
    return [
        key
        for key in texts.keys_under()
        if (key.startswith("step.") and key.endswith(".say"))
        or key.startswith(("guidance.", "phrase."))
        or (key.startswith("error.") and key.endswith((".citizen", ".remedy")))
    ]


def fixed_prompts() -> list[str]:
    """Every fixed sentence (no value filled in by the code), in every form of address, without
    duplicates, in a stable order."""
    seen: dict[str, None] = {}
    for key in spoken_keys():
        template = texts.template(key)
        for form in ADDRESS_FORMS:
            for sentence in sentences(texts.address(template, form)):
                if "{" not in sentence:
                    seen.setdefault(sentence, None)
    return list(seen)


# A citizen ID (12 digits; 9 on the old identity card), in full or as shown masked (001******345).
_ID_NUMBER = re.compile(r"(?<![\d*])(?:\d{12}|\d{9}|\d{3}\*{3,9}\d{3})(?![\d*])")
_LONG_DIGITS = re.compile(r"\d{4,}")


def speech_safe(text: str, language: str = "vi") -> str:
    """What may be said aloud: an ID number becomes "the number ending in 3 4 5" — a bystander
    hears no more than the masked number on screen shows (docs/ui.md §9)."""

    def ending(match: re.Match[str]) -> str:
        return texts.get("speech.id_ending", language, value=" ".join(match.group(0)[-3:]))

    return _ID_NUMBER.sub(ending, text)


def live_form(sentence: str) -> str:
    """What the live engine reads: the clips' spoken form, and long numbers (a phone, a code)
    digit by digit, as people read them out (docs/ui.md §2), not as one huge amount."""
    return _LONG_DIGITS.sub(lambda m: " ".join(m.group(0)), spoken_form(sentence))


# Screens whose values are the result the citizen came for: each row is said after the text.
RESULT_STEPS = frozenset({"done", "account_done", "status_list"})


def spoken_text(view: StepView) -> str:
    """What a screen says: its instruction, and on a result screen each value ("Mã hồ sơ:
    000.00.12.H56-260423-0001."), so someone who cannot read hears the dossier code and the
    date to come back too (masked values stay masked)."""
    if view.step.value not in RESULT_STEPS or not view.rows:
        return view.say
    return " ".join([view.say, *(f"{row.label}: {row.value}." for row in view.rows)]).strip()
