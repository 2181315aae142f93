"""Sentences with values are spoken too (live speech), each marked clip or tts; an ID number is
never said in full (docs/ui.md §9, §10)."""

from __future__ import annotations

from ui.voice import Voice
from ui.voice_prompts import live_form, speech_safe


def _said(text: str) -> list[tuple[str, str]]:
    voice = Voice(audio=False, live_tts=False)
    said: list[tuple[str, str]] = []
    voice.uttered.connect(lambda kind, sentence: said.append((kind, sentence)))
    voice.say(text)
    return said


def test_each_sentence_is_said_as_a_clip_or_as_live_speech(qapp):  # type: ignore[no-untyped-def]
    assert _said("Lệ phí: 135.000 đồng. Đúng không ạ?") == [
        ("tts", "Lệ phí: 135.000 đồng."),
        ("clip", "Đúng không ạ?"),
    ]


def test_a_full_id_number_is_said_as_its_last_three_digits(qapp):  # type: ignore[no-untyped-def]
    said = _said("Số định danh: 001095012345. Đúng không ạ?")
    assert said[0] == ("tts", "Số định danh: số kết thúc bằng 3 4 5.")
    assert not any("001095012345" in sentence for _, sentence in said)


def test_a_masked_id_number_on_screen_is_said_the_same_way():
    assert speech_safe("Tên đăng nhập: 001******345.") == "Tên đăng nhập: số kết thúc bằng 3 4 5."


def test_a_phone_number_or_a_fee_is_not_taken_for_an_id_number():
    assert speech_safe("Số điện thoại: 0912345678. Phí 135.000 đồng.") == (
        "Số điện thoại: 0912345678. Phí 135.000 đồng."
    )


def test_live_speech_reads_a_long_number_digit_by_digit():
    assert live_form("Số điện thoại: 0912345678.") == "Số điện thoại: 0 9 1 2 3 4 5 6 7 8."


def test_the_result_screen_says_the_dossier_code_and_the_date_to_come_back():
    from kiosk.journey.steps import StepId
    from kiosk.journey.view_data import Row, StepView
    from ui.voice_prompts import spoken_text

    view = StepView(
        step=StepId.DONE,
        title="Hồ sơ của Bác đã được nộp",
        say="Hồ sơ của Bác đã được nộp.",
        rows=(
            Row("Mã hồ sơ", "000.00.12.H56-260423-0001"),
            Row("Ngày hẹn trả kết quả", "thứ Ba, 28/4/2026, 14 giờ 30"),
        ),
    )
    assert spoken_text(view) == (
        "Hồ sơ của Bác đã được nộp. Mã hồ sơ: 000.00.12.H56-260423-0001. "
        "Ngày hẹn trả kết quả: thứ Ba, 28/4/2026, 14 giờ 30."
    )


def test_a_screen_that_asks_says_only_its_instruction():
    from kiosk.journey.steps import StepId
    from kiosk.journey.view_data import Row, StepView
    from ui.voice_prompts import spoken_text

    view = StepView(step=StepId.REVIEW, title="", say="Bác xem lại hồ sơ.", rows=(Row("a", "b"),))
    assert spoken_text(view) == "Bác xem lại hồ sơ."
