"""What each step says, read from the text catalogue (`kiosk.texts`): title, the spoken
instruction, button labels, fixed phrases and the devices' guidance. `{you}` / `{You}` become the
configured form of address."""

from __future__ import annotations

from kiosk import texts
from kiosk.journey.steps import StepId


def step_text(step: StepId, language: str = "vi", form: str = "Bác") -> tuple[str, str]:
    """(title, spoken instruction) for a step, in the language, with the form of address."""
    key = f"step.{step.value}"
    return texts.get(f"{key}.title", language, form), texts.get(f"{key}.say", language, form)


def button(key: str, language: str = "vi") -> str:
    return texts.get(f"button.{key}", language)


def phrase(key: str, language: str = "vi", form: str = "Bác") -> str:
    return texts.get(f"phrase.{key}", language, form)


def guidance(key: str, language: str = "vi", form: str = "Bác") -> str:
    """The spoken guidance for a device's progress key ("" for keys without guidance)."""
    if not texts.has(f"guidance.{key}"):
        return ""
    return texts.get(f"guidance.{key}", language, form)
