"""What a screen shows, as plain data: the UI renders a `StepView` and never reads the engine's
context itself. The common parts (title, instruction, progress, back button, device guidance)
are built here; each step adds its own content with its `view`."""

from __future__ import annotations

from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.steps.ids import StepId
from kiosk.journey.steps.registry import STEP, progress_order
from kiosk.journey.texts import guidance, step_text
from kiosk.journey.view_data import Row, StepView, clock, long_date
from printing.wording import money

__all__ = ["PROGRESS", "Row", "StepView", "clock", "long_date", "money", "view_for"]

PROGRESS: dict[Journey, list[StepId]] = {journey: progress_order(journey) for journey in Journey}

# Progress keys with which the camera says someone else is in view: personal data is hidden.
ONLOOKER_KEYS = ("onlooker", "one_person_only")


def view_for(
    step: StepId, ctx: JourneyContext, language: str = "vi", form: str = "Bác"
) -> StepView:
    title, say = step_text(step, language, form)
    number, total = _progress(step, ctx)
    unit = STEP[step]
    view = StepView(
        step=step,
        title=title,
        say=say,
        step_number=number,
        step_total=total,
        progress=ctx.progress[0],
        progress_key=ctx.progress[1],
        can_go_back=unit.can_go_back,
        practice=ctx.practice,
        guidance=guidance(ctx.progress[1], language, form),
        onlooker=ctx.progress[1] in ONLOOKER_KEYS or bool(ctx.extras.get("onlooker")),
    )
    return unit.view(view, ctx, language, form) if unit.view is not None else view


def _progress(step: StepId, ctx: JourneyContext) -> tuple[int, int]:
    if ctx.journey is None:
        return 0, 0
    order = PROGRESS[ctx.journey]
    step = STEP[step].counted_as or step
    if step not in order:
        return 0, 0
    return order.index(step) + 1, len(order)
