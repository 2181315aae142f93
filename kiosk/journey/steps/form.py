"""The form, prefilled from the chip: what the citizen confirms or gives."""

from __future__ import annotations

from dataclasses import replace

from kiosk import texts
from kiosk.domain.model import Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Back,
    Confirmed,
    DraftPrefilled,
    Event,
    Failed,
    FieldCorrected,
    Unavailable,
)
from kiosk.journey.steps.base import STAY, SUBMIT, Handled, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import Row, StepView
from kiosk.services.interfaces import Services


def _prefill(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    """The draft from the card's data (a database read and decryption): once per procedure, so
    coming back from the documents keeps the citizen's corrections."""
    assert ctx.procedure is not None and ctx.identity is not None
    if ctx.draft is None or ctx.draft.procedure != ctx.procedure:
        ctx.draft = services.dossiers.prefill(ctx.procedure, ctx.identity)
        ctx.field_index = 0
    return DraftPrefilled()


def _confirm_field(ctx: JourneyContext, event: Event) -> Handled | None:
    if ctx.draft is None:  # still being prefilled: nothing to confirm or correct yet
        return Handled.REFUSED if isinstance(event, Confirmed | FieldCorrected) else None
    fields = ctx.draft.procedure.fields
    if isinstance(event, FieldCorrected):
        if any(f.key == event.key for f in fields):
            ctx.draft.values[event.key] = event.value
        return Handled.STAY
    if isinstance(event, Confirmed) and ctx.field_index < len(fields) - 1:
        ctx.field_index += 1
        return Handled.STAY
    if isinstance(event, Back) and ctx.field_index > 0:
        ctx.field_index -= 1
        return Handled.STAY
    return None


def _field_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.draft is None:  # being prefilled: say nothing until the first field is there
        return replace(view, ready=False, say="")
    if not ctx.draft.procedure.fields:
        return view
    fields = ctx.draft.procedure.fields
    index = min(ctx.field_index, len(fields) - 1)
    spec = fields[index]
    value = ctx.draft.values.get(spec.key, "")
    say = (
        texts.get("phrase.field_check", language, form, label=spec.label, value=value)
        if language == "vi"
        else view.say
    )
    return replace(
        view,
        rows=(Row(spec.label, value),),
        field_position=(index + 1, len(fields)),
        field_key=spec.key,
        say=say,
    )


FORM = Step(
    id=StepId.FORM,
    screen="form",
    transitions={
        DraftPrefilled: STAY,
        Confirmed: StepId.DOCUMENTS,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.CHOOSE_PROCEDURE,
    },
    work=_prefill,
    handle=_confirm_field,
    view=_field_view,
    holds_card=True,
    report_label="Kiểm tra tờ khai",
    progress_in=SUBMIT,
)


STEPS = (FORM,)
