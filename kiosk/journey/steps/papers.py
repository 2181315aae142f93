"""The papers under the camera and the review of the whole dossier."""

from __future__ import annotations

from dataclasses import replace

from kiosk import texts
from kiosk.domain.forms import shown_value
from kiosk.domain.model import DocumentSpec, Procedure, Progress
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
from kiosk.journey.steps.submit import DOSSIER_FEE, dossier_fee, fee_words
from kiosk.journey.view_data import Row, StepView, Thumbnail
from kiosk.services.interfaces import Services


def photographed(procedure: Procedure) -> list[DocumentSpec]:
    """The papers put under the camera, in order: the "tờ k/n" the citizen is told."""
    return [d for d in procedure.documents if d.source == "camera"]


def _capture_documents(ctx: JourneyContext, services: Services, progress: Progress) -> Event:
    assert ctx.draft is not None and ctx.procedure is not None
    draft, documents = ctx.draft, ctx.procedure.documents
    # "Quay lại" from the review comes back here: each paper is taken anew, never added twice.
    names = {d.name for d in documents}
    draft.attachments[:] = [a for a in draft.attachments if a.name not in names]
    papers = photographed(ctx.procedure)
    for document in documents:
        if document in papers:
            ctx.document_index = papers.index(document)
        draft.attachments.append(services.dossiers.capture_document(draft, document.name, progress))
    ctx.extras[DOSSIER_FEE] = services.dossiers.fee_for(draft)  # the answers are final here
    return DocumentsDone()


def _paper_view(view: StepView, ctx: JourneyContext, language: str, form: str) -> StepView:
    if ctx.procedure is None:
        return view
    papers = photographed(ctx.procedure)
    if not papers:
        return view
    index = min(ctx.document_index, len(papers) - 1)
    paper = papers[index]
    position = texts.get("ui.paper_position", language, value=f"{index + 1}/{len(papers)}")
    say = texts.get("phrase.place_paper", language, form, name=paper.name)
    return replace(
        view,
        say=say,
        notice=f"{position}: {paper.name}",
        pictogram=paper.picture,
        paper_position=(index + 1, len(papers)),
    )


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
    view=_paper_view,
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
        if not (ctx.identity is not None and f.prefill_from == "id_number")  # shown just above
    ]
    papers = [a for a in ctx.draft.attachments if a.content_type.startswith("image/")]
    names = "\n".join(f"• {a.name}" for a in papers) or "—"
    rows.append(Row(texts.get("ui.row_documents", language), names))
    rows.append(Row(texts.get("ui.row_fee", language), fee_words(dossier_fee(ctx), language)))
    thumbnails = tuple(Thumbnail(a.name, a.data) for a in papers)
    return replace(view, rows=tuple(rows), thumbnails=thumbnails)


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
