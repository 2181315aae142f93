"""What the officer's panel says about the citizen's session, as plain data and in Vietnamese
(docs/ui.md §11): the step by its number and title as the citizen's progress shows it (never an
internal id), what the kiosk told the citizen went wrong, and the chip photo for a face override.

On an aside screen (an error, staff help) the citizen's progress is that of the step that failed:
the officer is told "bước 4/9: Nhìn thẳng vào camera", not the name of the help screen."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.journey.context import JourneyContext
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view import view_for
from kiosk.texts.errors import said


@dataclass(frozen=True)
class StaffSituation:
    step_number: int  # 0: a screen outside the numbered progress (welcome, goodbye)
    step_total: int
    title: str  # the step's title as the citizen reads it
    problem: str = ""  # what the citizen was told went wrong and what to do (empty: nothing)
    chip_photo: bytes = field(default=b"", repr=False)  # DG2, for the face override

    @property
    def step(self) -> str:
        """`4/9`, or empty outside the numbered progress."""
        return f"{self.step_number}/{self.step_total}" if self.step_number else ""


def staff_situation(ctx: JourneyContext, step: StepId, form: str = "Bác") -> StaffSituation:
    """The officer's view of the session at `step`, in Vietnamese whatever the citizen's
    language."""
    shown = view_for(step, ctx, "vi", form)
    if not shown.step_number and ctx.failed_step:
        shown = view_for(StepId(ctx.failed_step), ctx, "vi", form)
    problem = ""
    if ctx.error_code and step in (StepId.ERROR, StepId.STAFF_HELP):
        told = said(ctx.error_code, "citizen", "vi", form)
        problem = f"{told} {said(ctx.error_code, 'remedy', 'vi', form)}".strip()
    photo = ctx.identity.photo_jpeg if ctx.identity is not None else None
    return StaffSituation(shown.step_number, shown.step_total, shown.title, problem, photo or b"")
