"""The catalogue's wording: the kiosk speaks as itself in the configured form of address, and
names only buttons that exist."""

from __future__ import annotations

import re

import pytest

from kiosk import texts
from kiosk.texts.catalogue import catalogue

BUTTON_NAME = re.compile(r"«([^»]+)»")


def _rendered(language: str, form: str) -> dict[str, str]:
    return {key: texts.get(key, language, form) for key in catalogue().table(language)}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_button_a_text_names_is_a_button_of_the_kiosk(language: str) -> None:
    buttons = {
        text for key, text in catalogue().table(language).items() if key.startswith("button.")
    }
    named = {
        (key, name)
        for key, text in catalogue().table(language).items()
        for name in BUTTON_NAME.findall(text)
    }
    assert named, "the scan finds the «…» names"
    assert {(key, name) for key, name in named if name not in buttons} == set()


def test_the_kiosk_never_calls_itself_a_grandchild() -> None:
    assert [k for k, text in catalogue().table("vi").items() if "giúp cháu" in text] == []


@pytest.mark.parametrize("form", ["Bác", "Anh/Chị", "Quý khách"])
def test_the_maintenance_notice_uses_the_configured_form(form: str) -> None:
    assert form in texts.get("ui.maintenance", "vi", form)


def test_with_quy_khach_no_sentence_ends_in_nhe() -> None:
    familiar = [k for k, text in _rendered("vi", "Quý khách").items() if re.search(r"nhé\b", text)]
    assert familiar == []


def test_with_quy_khach_a_request_says_vui_long_instead() -> None:
    assert texts.get("step.submit.say", "vi", "Quý khách") == (
        "Máy đang gửi hồ sơ. Quý khách vui lòng chờ một chút."
    )
    assert texts.get("step.submit.say", "vi", "Bác").endswith("Bác chờ một chút nhé.")
