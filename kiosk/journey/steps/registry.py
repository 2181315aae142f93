"""Every step in journey order: the one list the engine, the view builder, the progress bar,
the diagram, `kiosk simulate` and the daily report read. A new step is one `Step` in one of the
journey modules, listed here."""

from __future__ import annotations

from kiosk.journey.context import Journey
from kiosk.journey.steps import account, common, form, identity, papers, procedure, status, submit
from kiosk.journey.steps.base import Step
from kiosk.journey.steps.ids import StepId

STEPS: tuple[Step, ...] = (
    common.WELCOME,
    *identity.STEPS,
    *procedure.STEPS,
    *form.STEPS,
    *papers.STEPS,
    *submit.STEPS,
    *account.STEPS,
    *status.STEPS,
    *common.AFTER_JOURNEY,
)
STEP: dict[StepId, Step] = {step.id: step for step in STEPS}
assert set(STEP) == set(StepId), "every step id has exactly one step"

# Where each journey goes once the citizen's identity is verified.
AFTER_IDENTITY_TARGETS: dict[str, StepId] = {
    journey.value: step.id for step in STEPS for journey in step.after_identity_of
}
# Failed steps a staff member may override (with a reason), and where the journey then goes.
OVERRIDABLE = {step.id: step.override_to for step in STEPS if step.override_to is not None}
CARD_HELD_STEPS = [step.id for step in STEPS if step.holds_card]
DEVICE_STEPS = [step.id for step in STEPS if step.uses_device]
REPORT_LABELS = {step.id.value: step.report_label for step in STEPS if step.report_label}


def progress_order(journey: Journey) -> list[StepId]:
    """The steps a journey's progress bar counts, in order."""
    return [step.id for step in STEPS if journey in step.progress_in]
