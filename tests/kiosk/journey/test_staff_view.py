"""The officer's view of a session: the step by number and title, in Vietnamese, with what the
citizen was told went wrong (docs/ui.md §11)."""

from __future__ import annotations

from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.staff_view import staff_situation
from kiosk.journey.steps import StepId
from kiosk.texts.errors import said


def _status_session() -> JourneyContext:
    ctx = JourneyContext()
    ctx.journey = Journey.STATUS
    return ctx


def test_a_numbered_step_is_given_by_its_number_and_title() -> None:
    situation = staff_situation(_status_session(), StepId.FACE_CHECK)
    assert (situation.step, situation.title) == ("4/5", "Nhìn thẳng vào camera")


def test_on_the_staff_help_screen_the_officer_sees_the_step_that_failed_and_why() -> None:
    ctx = _status_session()
    ctx.failed_step, ctx.error_code = StepId.FACE_CHECK.value, "face_mismatch"
    situation = staff_situation(ctx, StepId.STAFF_HELP)
    assert (situation.step, situation.title) == ("4/5", "Nhìn thẳng vào camera")
    assert situation.problem.startswith(said("face_mismatch", "citizen"))


def test_outside_the_numbered_progress_no_number_is_given() -> None:
    assert staff_situation(JourneyContext(), StepId.WELCOME).step == ""
