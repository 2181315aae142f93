"""The journey's steps, one unit each, grouped by journey (identity, submit, account, status,
common). `registry.STEPS` lists them in journey order; everything else reads it."""

from kiosk.journey.steps.ids import StepId

__all__ = ["StepId"]
