"""The form step: the chip's review card first, then only what the chip cannot know, each answer
checked when it is given and the problem said at the field (docs/ui.md §13)."""

from __future__ import annotations

import dataclasses

from kiosk.domain.model import FormField
from kiosk.journey import events as ev
from kiosk.journey.engine import JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.journey.view import view_for
from tests.fakes import fake_services
from tests.sample_session import RESIDENCE, sample_identity

PHONE = FormField("phone", "Số điện thoại", kind="phone")
SEX = FormField("child_sex", "Giới tính của trẻ", kind="choice", choices=("Nam", "Nữ"))
FATHER = FormField("father_name", "Họ và tên người cha", required=False)
ASKING = dataclasses.replace(RESIDENCE, fields=(*RESIDENCE.fields, PHONE, SEX, FATHER))


def at_form(field_index: int = 0) -> JourneyEngine:
    engine = JourneyEngine(fake_services())
    engine.state = StepId.FORM
    engine.ctx.identity = sample_identity()
    engine.ctx.procedure = ASKING
    engine.ctx.draft = engine.services.dossiers.prefill(ASKING, engine.ctx.identity)
    engine.ctx.field_index = field_index
    return engine


def test_the_chips_card_shows_what_the_chip_proved_with_the_id_masked():
    rows = view_for(StepId.FORM, at_form().ctx).rows
    shown = {row.label: (row.value, row.reveal) for row in rows}
    assert shown["Số căn cước"] == ("001******345", "001095012345")
    assert shown["Họ và tên"] == ("Nguyễn Văn An", "")
    assert shown["Quê quán"][0] == "Xã Vĩnh Hậu, huyện Hòa Bình, tỉnh Bạc Liêu"
    assert shown["Có giá trị đến"][0] == "Không thời hạn"  # no expiry on the sample card


def test_the_chips_card_asks_no_question():
    assert view_for(StepId.FORM, at_form().ctx).question is None


def test_only_the_fields_the_chip_could_not_fill_are_asked_in_form_order():
    engine = at_form()
    asked = []
    engine.dispatch(ev.Confirmed())
    while engine.state is StepId.FORM:
        question = view_for(StepId.FORM, engine.ctx).question
        assert question is not None
        asked.append((question.key, question.control))
        answer = {"phone": "0912345678", "child_sex": "Nữ"}.get(question.key)
        engine.dispatch(
            ev.FieldCorrected(question.key, answer) if answer else ev.FieldSkipped(question.key)
        )
    assert asked == [("phone", "keypad"), ("child_sex", "choice"), ("father_name", "keyboard")]
    assert engine.state is StepId.DOCUMENTS


def test_a_wrong_phone_number_stays_on_its_question_and_is_said_at_the_field():
    engine = at_form(field_index=1)
    assert engine.dispatch(ev.FieldCorrected("phone", "0123"))
    view = view_for(StepId.FORM, engine.ctx)
    assert view.question is not None and view.question.key == "phone"
    assert view.question.problem == "Số điện thoại chưa đúng: cần đủ 10 chữ số, bắt đầu bằng số 0."
    assert view.say == view.question.problem  # spoken as well as shown
    assert engine.ctx.draft.values["phone"] == ""  # type: ignore[union-attr]


def test_an_empty_answer_is_never_accepted_even_for_an_optional_question():
    engine = at_form(field_index=3)
    engine.dispatch(ev.FieldCorrected("father_name", ""))
    view = view_for(StepId.FORM, engine.ctx)
    assert view.question is not None and view.question.problem == "Bác chưa trả lời câu này."
    assert engine.state is StepId.FORM


def test_a_right_answer_clears_the_problem_and_moves_on():
    engine = at_form(field_index=1)
    engine.dispatch(ev.FieldCorrected("phone", "0123"))
    engine.dispatch(ev.FieldCorrected("phone", "0912 345 678"))
    view = view_for(StepId.FORM, engine.ctx)
    assert view.question is not None and (view.question.key, view.question.problem) == (
        "child_sex",
        "",
    )
    assert engine.ctx.draft.values["phone"] == "0912 345 678"  # type: ignore[union-attr]


def test_a_required_question_cannot_be_skipped():
    engine = at_form(field_index=1)
    assert engine.dispatch(ev.FieldSkipped("phone")) is False
    assert engine.ctx.field_index == 1


def test_saying_the_chips_data_is_wrong_calls_staff_with_its_own_code():
    engine = at_form()
    assert engine.dispatch(ev.ChipDataWrong())
    assert (engine.state, engine.ctx.error_code) == (StepId.STAFF_HELP, "chip_data_wrong")
    assert engine.ctx.failed_step == StepId.FORM.value


def test_the_chips_data_cannot_be_disputed_from_a_question():
    engine = at_form(field_index=1)
    assert engine.dispatch(ev.ChipDataWrong()) is False


def test_an_answer_to_another_question_than_the_one_asked_is_refused():
    engine = at_form(field_index=1)
    assert engine.dispatch(ev.FieldCorrected("child_sex", "Nam")) is False
