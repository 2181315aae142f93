"""Zero typing and personal data, walked by tapping through the real window over the real demo
runtime and the real nine-procedure catalogue (docs/ui.md §9, §12)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from kiosk.journey.engine import JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.runtime import open_runtime
from tests.ui.fakes import quick_config
from tests.ui.person import procedure_tile, screen, tap, wait_for
from ui.app import hand_over
from ui.main_window import MainWindow
from ui.screens.keyboard import missing_glyphs
from ui.voice import Voice

SLOW = 60_000  # the demo's card, camera and portal work in real time


class RecordingVoice(Voice):
    """Silent, and remembers every sentence it was given."""

    def __init__(self) -> None:
        super().__init__(audio=False, live_tts=False)
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)
        super().say(text)


@pytest.fixture
def demo(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    config = quick_config()
    config = dataclasses.replace(
        config, storage=dataclasses.replace(config.storage, data_dir=str(tmp_path))
    )
    runtime = open_runtime(config, demo=True)
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # as `kiosk run` starts
    voice = RecordingVoice()
    window = MainWindow(engine, runtime.config, voice=voice, watch_card=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    hand_over(runtime, engine, window, voice)
    yield window
    window.runner.wait_idle(5000)
    runtime.close()


def _to_procedure(qtbot, kiosk, code: str) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    tap(qtbot, screen(kiosk).agree)
    wait_for(qtbot, kiosk, StepId.CHOOSE_PROCEDURE, timeout=SLOW)
    qtbot.waitUntil(lambda: bool(screen(kiosk).procedure_buttons), timeout=SLOW)
    listing = screen(kiosk)
    tap(qtbot, procedure_tile(qtbot, listing, code))
    wait_for(qtbot, kiosk, StepId.PROCEDURE_DETAIL)
    tap(qtbot, screen(kiosk).choose)
    wait_for(qtbot, kiosk, StepId.FORM, timeout=SLOW)


def _id_number(kiosk) -> str:  # type: ignore[no-untyped-def]
    return kiosk.engine.ctx.identity.id_number


def test_the_chips_card_is_read_only_with_the_id_masked_until_tapped(qtbot, demo):
    _to_procedure(qtbot, demo, "residence_confirmation")
    form = screen(demo)
    full = _id_number(demo)
    assert form.yes.isVisible() and form.wrong.isVisible()
    assert not hasattr(form, "fix")  # no "Sửa": the chip's data are not the citizen's to edit
    reveal = form.card.reveal_buttons[0]
    assert reveal.text() == full[:3] + "******" + full[-3:]
    assert all(full not in value.text() for value in form.card.values)
    tap(qtbot, reveal)
    assert reveal.text() == full


def test_saying_the_chips_data_is_wrong_sends_the_citizen_to_staff(qtbot, demo):
    _to_procedure(qtbot, demo, "residence_confirmation")
    tap(qtbot, screen(demo).wrong)
    wait_for(qtbot, demo, StepId.STAFF_HELP)
    assert demo.engine.ctx.error_code == "chip_data_wrong"


def test_a_death_is_registered_on_the_keypad_and_keyboard_only_what_the_chip_cannot_know(
    qtbot, demo
):
    _to_procedure(qtbot, demo, "death_registration")
    form = screen(demo)
    tap(qtbot, form.yes)  # the chip's card is right
    # The phone (optional): a wrong number is said at the field, in red with a sign.
    assert form.view.question.key == "phone"
    for digit in "0123":
        tap(qtbot, form.keypad.keys[digit])
    tap(qtbot, form.next)
    assert form.problem.isVisible() and form.problem.sign.isVisible()
    assert "Số điện thoại chưa đúng" in form.problem.text.text()
    assert demo.voice.said[-1] == form.problem.text.text()  # and spoken
    tap(qtbot, form.keypad.keys["Xoá"])
    for digit in "0912345678":
        tap(qtbot, form.keypad.keys[digit])
    assert form.number.text() == "0912 345 678"
    tap(qtbot, form.next)
    # The relationship: one big button per answer.
    qtbot.waitUntil(lambda: form.view.question.key == "relationship")
    assert not form.keyboard.isVisible()
    tap(qtbot, form.choice.buttons["Con"])
    # The deceased's name: the Vietnamese keyboard, below the header ("Gọi cán bộ" stays
    # visible), with â and a tone key.
    qtbot.waitUntil(lambda: form.view.question.key == "deceased_name")
    qtbot.waitUntil(form.keyboard.isVisible)
    assert form.keyboard.geometry().top() > form.header.staff_button.geometry().bottom()
    tap(qtbot, form.keyboard.save)  # nothing written: refused at the field
    assert form.keyboard.problem.isVisible()
    for key in ["shift", "l", "ê", "space", "shift", "t", "â", "tone-s", "n"]:
        tap(qtbot, form.keyboard.keys[key])
    assert form.keyboard.text() == "Lê Tấn"
    tap(qtbot, form.keyboard.save)
    # The deceased's ID number on the keypad.
    qtbot.waitUntil(lambda: form.view.question.key == "deceased_id")
    assert not form.keyboard.isVisible()
    for digit in "001095012345":
        tap(qtbot, form.keypad.keys[digit])
    tap(qtbot, form.next)
    qtbot.waitUntil(lambda: form.view.question.key == "deceased_date_of_birth")
    values = demo.engine.ctx.draft.values
    assert (values["phone"], values["relationship"], values["deceased_name"]) == (
        "0912345678",
        "Con",
        "Lê Tấn",
    )
    assert values["deceased_id"] == "001095012345"


def test_a_birth_is_registered_with_buttons_a_date_picker_and_the_communes_villages(qtbot, demo):
    _to_procedure(qtbot, demo, "birth_registration")
    form = screen(demo)
    tap(qtbot, form.yes)
    tap(qtbot, form.skip)  # no phone number
    assert form.view.question.key == "relationship"
    tap(qtbot, form.choice.buttons["Mẹ"])
    qtbot.waitUntil(form.keyboard.isVisible)  # the child's name
    for key in "Lan":
        tap(qtbot, form.keyboard.keys["shift"]) if key.isupper() else None
        tap(qtbot, form.keyboard.keys[key.lower()])
    tap(qtbot, form.keyboard.save)
    qtbot.waitUntil(lambda: form.view.question.key == "child_sex")
    tap(qtbot, form.choice.buttons["Nữ"])
    qtbot.waitUntil(lambda: form.view.question.key == "child_date_of_birth")
    assert not form.date.year.steps[1].isEnabled()  # a birth in the future is not offered
    tap(qtbot, form.date.year.steps[-1])
    picked = form.date.text()
    tap(qtbot, form.next)
    qtbot.waitUntil(lambda: form.view.question.key == "child_place_of_birth")
    assert "Thôn 2, Xã Demo, Tỉnh Demo" in form.choice.buttons
    tap(qtbot, form.choice.buttons["Thôn 2, Xã Demo, Tỉnh Demo"])
    qtbot.waitUntil(lambda: form.view.question.key == "child_ethnicity")
    values = demo.engine.ctx.draft.values
    assert (values["phone"], values["relationship"], values["child_name"]) == ("", "Mẹ", "Lan")
    assert values["child_date_of_birth"] == picked
    assert values["child_place_of_birth"] == "Thôn 2, Xã Demo, Tỉnh Demo"


def test_the_id_number_is_never_spoken_in_full(qtbot, demo):
    _to_procedure(qtbot, demo, "residence_confirmation")
    tap(qtbot, screen(demo).yes)
    digits = _id_number(demo)
    said = demo.voice.said
    assert len(said) >= 4  # welcome, consent, …, the chip's card, the first question
    assert all(digits not in re.sub(r"[\s.,]", "", sentence) for sentence in said)


def test_the_onlooker_cover_disables_every_action_beneath_it(qtbot, demo):
    _to_procedure(qtbot, demo, "residence_confirmation")
    form = screen(demo)
    demo.engine.ctx.extras["onlooker"] = True
    demo.refresh()
    assert form.pages.currentWidget() is form.cover
    assert not form.yes.isEnabled() and not form.wrong.isEnabled()
    assert not form.back_button.isEnabled()
    assert form.header.staff_button.isEnabled()  # "Gọi cán bộ" stays in reach
    demo.engine.ctx.extras["onlooker"] = False
    demo.refresh()
    assert form.yes.isEnabled()


def test_every_key_of_the_keyboard_is_a_glyph_the_bundled_font_has(qtbot, demo):
    keyboard = screen(demo).keyboard if demo.engine.state is StepId.FORM else None
    from ui.screens.keyboard import VietnameseKeyboard

    keyboard = keyboard or VietnameseKeyboard()
    qtbot.addWidget(keyboard)
    labels = keyboard.labels()
    assert {"ă", "â", "đ", "ê", "ô", "ơ", "ư", "á", "à", "ả", "ã", "ạ"} <= set(labels)
    assert missing_glyphs(labels, next(iter(keyboard.keys.values())).font()) == []
    assert missing_glyphs(["⌫"], next(iter(keyboard.keys.values())).font()) == ["⌫"]
