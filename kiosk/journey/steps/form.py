"""The form: first the card of everything the chip proved (read-only), then only what the chip
cannot know, one question at a time, each answer checked the moment it is given
(docs/ui.md §13).

`ctx.field_index` 0 is the chip's review card; 1..n are the questions (`forms.questions`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from kiosk import texts
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.forms import Control, answer_problem, control_for, date_years, questions
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import FormField, Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Back,
    ChipDataWrong,
    Confirmed,
    DraftPrefilled,
    Event,
    Failed,
    FieldCorrected,
    FieldSkipped,
    Unavailable,
)
from kiosk.journey.steps.base import STAY, SUBMIT, Handled, Step
from kiosk.journey.steps.identity import chip_card_rows
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import Question, Row, StepView
from kiosk.services.interfaces import Services

PROBLEM = "form_problem"  # ctx.extras: the code of the last refused answer
VILLAGES = "villages"  # ctx.extras: the commune's villages (full addresses) for place questions
ASKED = "form_asked"  # ctx.extras: the keys asked, fixed at prefill (an answer never reorders)
KEYPAD_DIGITS = {"phone": 10, "id_number": 12, "number": 4}


def _today() -> date:
    return datetime.now(VIETNAM).date()


def _prefill(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    """The draft from the card's data (a database read and decryption): once per procedure, so
    coming back from the documents keeps the citizen's answers."""
    assert ctx.procedure is not None and ctx.identity is not None
    if ctx.draft is None or ctx.draft.procedure != ctx.procedure:
        ctx.draft = services.dossiers.prefill(ctx.procedure, ctx.identity)
        ctx.field_index = 0
        ctx.extras.pop(PROBLEM, None)
        ctx.extras.pop(ASKED, None)
    asked(ctx)
    ctx.extras[VILLAGES] = tuple(getattr(services.dossiers, "villages", ()))
    return DraftPrefilled()


def asked(ctx: JourneyContext) -> tuple[FormField, ...]:
    """The questions of this form: the fields the chip did not fill."""
    if ctx.draft is None:
        return ()
    fields = ctx.draft.procedure.fields
    if ctx.extras.get(ASKED) is None:
        ctx.extras[ASKED] = tuple(f.key for f in questions(fields, ctx.draft.values))
    keys = ctx.extras[ASKED]
    return tuple(f for f in fields if f.key in keys)


def current_question(ctx: JourneyContext) -> FormField | None:
    """The field asked now; None on the chip's review card (or while prefilling)."""
    fields = asked(ctx)
    if ctx.field_index < 1 or not fields:
        return None
    return fields[min(ctx.field_index, len(fields)) - 1]


def _next(ctx: JourneyContext) -> Handled | None:
    """Past the current screen: the next question, or out of the form (the table's target)."""
    ctx.extras.pop(PROBLEM, None)
    if ctx.field_index < len(asked(ctx)):
        ctx.field_index += 1
        return Handled.STAY
    return None


def _answer(ctx: JourneyContext, event: Event) -> Handled | None:
    if ctx.draft is None:  # still being prefilled: nothing to answer yet
        kinds = Confirmed | FieldCorrected | FieldSkipped | ChipDataWrong
        return Handled.REFUSED if isinstance(event, kinds) else None
    spec = current_question(ctx)
    if isinstance(event, Back):
        ctx.extras.pop(PROBLEM, None)
        if ctx.field_index > 0:
            ctx.field_index -= 1
            return Handled.STAY
        return None
    if isinstance(event, ChipDataWrong):
        return None if spec is None else Handled.REFUSED  # only from the chip's card
    if spec is None:  # the chip's review card
        return _next(ctx) if isinstance(event, Confirmed) else _refuse_answer(event)
    if isinstance(event, FieldSkipped):
        if event.key != spec.key or spec.required:
            return Handled.REFUSED
        ctx.draft.values[spec.key] = ""
        return _next(ctx)
    if isinstance(event, FieldCorrected | Confirmed):
        if isinstance(event, FieldCorrected) and event.key != spec.key:
            return Handled.REFUSED
        value = event.value if isinstance(event, FieldCorrected) else ctx.draft.values.get(spec.key)
        problem = answer_problem(spec, value or "", _today())
        if problem is not None:
            ctx.extras[PROBLEM] = problem
            return Handled.STAY  # said at the field; the citizen answers again
        ctx.draft.values[spec.key] = (value or "").strip()
        return _next(ctx)
    return None


def _refuse_answer(event: Event) -> Handled | None:
    return Handled.REFUSED if isinstance(event, FieldCorrected | FieldSkipped) else None


def _form_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.draft is None:  # being prefilled: say nothing until the chip's card is there
        return replace(view, ready=False, say="")
    fields = asked(ctx)
    spec = current_question(ctx)
    if spec is None:
        rows = chip_card_rows(ctx.identity, language) if ctx.identity is not None else ()
        return replace(view, rows=rows, field_position=(0, len(fields)))
    index = fields.index(spec) + 1
    control = control_for(spec)
    problem_code = ctx.extras.get(PROBLEM, "")
    problem = texts.get(f"phrase.answer.{problem_code}", language, form) if problem_code else ""
    how = texts.get(f"phrase.ask.{control.value}", language, form)
    question = Question(
        key=spec.key,
        label=spec.label,
        control=control.value,
        value=ctx.draft.values.get(spec.key, ""),
        choices=_choices(spec, control, ctx),
        years=date_years(spec, _today()) if control is Control.DATE else (0, 0),
        digits=_digits(spec) if control is Control.KEYPAD else 0,
        optional=not spec.required,
        problem=problem,
    )
    return replace(
        view,
        title=spec.label,
        say=problem or f"{spec.label}. {how}",
        rows=(Row(spec.label, question.value),),
        field_position=(index, len(fields)),
        field_key=spec.key,
        question=question,
    )


def _choices(spec: FormField, control: Control, ctx: JourneyContext) -> tuple[str, ...]:
    if control is Control.CHOICE:
        return question_view_choices(spec, ctx.identity)
    if control is Control.PLACE:
        return tuple(ctx.extras.get(VILLAGES, ()))
    return ()


def question_view_choices(spec: FormField, identity: CitizenIdentity | None) -> tuple[str, ...]:
    """A choice question's answers; for a child's ethnicity the card holder's own comes first."""
    own = identity.ethnicity if identity is not None else ""
    if own in spec.choices:
        return (own, *(choice for choice in spec.choices if choice != own))
    return spec.choices


def _digits(spec: FormField) -> int:
    if spec.kind == "text":  # a digit-only pattern such as \d{12}
        return int("".join(c for c in spec.pattern.split(",")[-1] if c.isdigit()) or 12)
    if spec.kind == "number" and spec.max_value is not None:
        return len(str(spec.max_value))
    return KEYPAD_DIGITS.get(spec.kind, 12)


FORM = Step(
    id=StepId.FORM,
    screen="form",
    transitions={
        DraftPrefilled: STAY,
        Confirmed: StepId.DOCUMENTS,
        FieldCorrected: StepId.DOCUMENTS,  # the last question answered
        FieldSkipped: StepId.DOCUMENTS,
        ChipDataWrong: StepId.STAFF_HELP,  # help request hook: docs/ui.md §13
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.PROCEDURE_DETAIL,  # from the chip's card: the procedure just chosen
    },
    work=_prefill,
    handle=_answer,
    view=_form_view,
    holds_card=True,
    report_label="Kiểm tra tờ khai",
    progress_in=SUBMIT,
)


STEPS = (FORM,)
