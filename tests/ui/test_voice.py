"""The kiosk's voice: clips for every fixed sentence, spoken on time, stopped by a tap."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from kiosk.journey.steps import StepId
from tests.ui.person import screen, tap, wait_for
from ui.voice_clips import ClipLibrary
from ui.voice_prompts import fixed_prompts, sentences

ROOT = Path(__file__).resolve().parents[2]


def test_every_fixed_sentence_of_the_catalogue_has_a_current_clip_in_both_voices():
    # In a fresh interpreter that imports no feature module: the catalogue alone is complete.
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/voice/generate.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, "stale or missing voice clips (run tools/voice/generate.py):\n" + (
        done.stdout + done.stderr
    )


def _generator():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "tools" / "voice"))
    try:
        import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    return generate


def test_a_sentence_with_a_value_filled_in_by_the_code_is_not_a_fixed_prompt():
    assert not [sentence for sentence in fixed_prompts() if "{" in sentence]


def test_the_cameras_guidance_and_the_cards_errors_are_spoken_from_clips_in_the_default_form():
    from devices.card import errors as card_errors
    from kiosk import texts

    card_codes = {
        cls.code
        for cls in vars(card_errors).values()
        if isinstance(cls, type) and issubclass(cls, card_errors.CardError)
    }
    library = ClipLibrary()
    said = [texts.get(key, "vi", "Bác") for key in texts.keys_under("guidance.")]
    said += [texts.get(f"error.{code}.citizen", "vi", "Bác") for code in card_codes]
    for variant in ("north", "south"):
        for text in said:
            plan = library.plan(text, variant)
            assert all(isinstance(item, Path) for item in plan), (variant, text)


def test_a_changed_sentence_is_reported_stale(tmp_path):
    generate = _generator()
    manifest = generate.load_manifest()
    text = fixed_prompts()[0]
    manifest["clips"]["north"][text] = dict(manifest["clips"]["north"][text], text_sha256="0")
    assert generate.problems(manifest, [text]) == [f"stale text north: {text}"]


def test_sentences_split_after_full_stops_question_and_exclamation_marks():
    assert sentences("Xin chào! Bác muốn làm gì? Bác chạm vào nút.") == [
        "Xin chào!",
        "Bác muốn làm gì?",
        "Bác chạm vào nút.",
    ]


def test_a_variable_sentence_is_left_for_live_speech_and_fixed_ones_play_from_clips():
    plan = ClipLibrary().plan("Họ, chữ đệm và tên: Nguyễn Văn An. Đúng không ạ?", "south")
    assert plan[0] == "Họ, chữ đệm và tên: Nguyễn Văn An."
    assert isinstance(plan[1], Path) and plan[1].exists() and "south" in plan[1].parts


def test_each_screen_speaks_its_instruction_within_half_a_second(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    assert kiosk.voice.last_text == screen(kiosk).view.say
    assert kiosk.spoken_at - kiosk.shown_at < 0.5
    assert all(isinstance(item, Path) for item in kiosk.voice.current)  # all from clips


def test_replay_says_the_instruction_again(qtbot, kiosk):
    spoken: list[str] = []
    kiosk.voice.started.connect(spoken.append)
    tap(qtbot, screen(kiosk).header.replay_button)
    assert spoken[-1] == screen(kiosk).view.say


def test_a_tap_stops_the_voice(qtbot, kiosk):
    stopped: list[float] = []
    original = kiosk.voice.stop
    kiosk.voice.stop = lambda: (stopped.append(time.perf_counter()), original())  # type: ignore[method-assign]
    tap(qtbot, screen(kiosk).choice_buttons["status"])
    assert stopped


def test_muted_voice_says_nothing_but_still_knows_the_text(qtbot, kiosk):
    kiosk.voice.set_muted(True)
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    assert kiosk.voice.last_text == screen(kiosk).view.say
    assert kiosk.voice._queue == kiosk.voice.current  # nothing was taken to play
