"""The papers under the camera and the review of the whole dossier."""

from __future__ import annotations

from dataclasses import replace

from kiosk import texts
from kiosk.domain.forms import shown_value
from kiosk.domain.model import Progress
from kiosk.journey.context import JourneyContext
from kiosk.journey.events import (
    Back,
    Confirmed,
    DocumentsDone,
    Event,
    Failed,
    Unavailable,
)
from kiosk.journey.steps.base import SUBMIT, Step
from kiosk.journey.steps.ids import StepId
from kiosk.journey.view_data import Row, StepView
from kiosk.services.interfaces import Services


def _capture_documents(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.procedure is not None
    for document in ctx.procedure.document_names:
        ctx.draft.attachments.append(
            services.dossiers.capture_document(ctx.draft, document, progress)
        )
    return DocumentsDone()


DOCUMENTS = Step(
    id=StepId.DOCUMENTS,
    screen="documents",
    transitions={
        DocumentsDone: StepId.REVIEW,
        Failed: StepId.ERROR,
        Unavailable: StepId.STAFF_HELP,
        Back: StepId.FORM,
    },
    work=_capture_documents,
    holds_card=True,
    uses_device=True,
    report_label="Chụp giấy tờ",
    progress_in=SUBMIT,
)


def _review_rows(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.draft is None:
        return view
    rows = [Row(texts.get("ui.row_procedure", language), ctx.draft.procedure.name)]
    if ctx.identity is not None:
        id_label = texts.get("ui.row_id_number", language)
        rows.append(Row(id_label, ctx.identity.masked_id, ctx.identity.id_number))
    rows += [
        Row(f.label, *shown_value(f, ctx.draft.values.get(f.key, "")))
        for f in ctx.draft.procedure.fields
    ]
    rows.append(Row(texts.get("ui.row_documents", language), str(len(ctx.draft.attachments))))
    return replace(view, rows=tuple(rows))


REVIEW = Step(
    id=StepId.REVIEW,
    screen="review",
    transitions={Confirmed: StepId.SUBMIT, Back: StepId.DOCUMENTS},
    view=_review_rows,
    holds_card=True,
    report_label="Xem lại hồ sơ",
    progress_in=SUBMIT,
    answer=Confirmed(),
)


STEPS = (DOCUMENTS, REVIEW)
