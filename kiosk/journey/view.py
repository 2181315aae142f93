"""What a screen shows, as plain data: the UI renders a `StepView` and never reads the engine's
context itself. Personal data arrives here already masked where onlookers could read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk import texts
from kiosk.domain.errors import lookup, said
from kiosk.journey.context import Journey, JourneyContext
from kiosk.journey.events import EventType
from kiosk.journey.steps import StepId
from kiosk.journey.table import target_for
from kiosk.journey.texts import guidance, phrase, step_text
from printing.wording import money, weekday

PROGRESS: dict[Journey, list[StepId]] = {
    Journey.SUBMIT: [
        StepId.CONSENT,
        StepId.QR_SCAN,
        StepId.CARD_READ,
        StepId.FACE_CHECK,
        StepId.CHOOSE_PROCEDURE,
        StepId.FORM,
        StepId.DOCUMENTS,
        StepId.REVIEW,
        StepId.SUBMIT,
        StepId.FEE,
        StepId.DONE,
    ],
    Journey.ACCOUNT: [
        StepId.CONSENT,
        StepId.QR_SCAN,
        StepId.CARD_READ,
        StepId.FACE_CHECK,
        StepId.ACCOUNT_PHONE,
        StepId.ACCOUNT_OTP,
        StepId.ACCOUNT_DONE,
    ],
    Journey.STATUS: [
        StepId.CONSENT,
        StepId.QR_SCAN,
        StepId.CARD_READ,
        StepId.FACE_CHECK,
        StepId.STATUS_LIST,
    ],
    Journey.PRACTICE: [StepId.CONSENT, StepId.QR_SCAN, StepId.CARD_READ, StepId.FACE_CHECK],
}
# Steps shown as part of the step before them in the progress count.
SAME_AS = {
    StepId.RECEIPT: StepId.DONE,
    StepId.ACCOUNT_VERIFY: StepId.ACCOUNT_OTP,
}


@dataclass(frozen=True)
class Row:
    label: str
    value: str  # shown (masked where onlookers could read it)
    reveal: str = field(default="", repr=False)  # the full value, shown only when tapped


@dataclass(frozen=True)
class StepView:
    step: StepId
    title: str
    say: str
    step_number: int = 0  # 0: no progress shown
    step_total: int = 0
    rows: tuple[Row, ...] = ()  # labelled values (form field, review, status, done)
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) to pick from
    big_text: str = ""  # the number that matters (dossier code, amount)
    qr_payload: str = field(default="", repr=False)  # a QR to draw (VietQR)
    remedy: str = ""  # error screens: what to do now
    staff_text: str = ""  # shown only in the staff overlay
    progress: float = 0.0
    progress_key: str = ""
    can_go_back: bool = True
    field_position: tuple[int, int] = (0, 0)  # FORM: (index + 1, count)
    practice: bool = False
    field_key: str = ""  # FORM: the key of the field being confirmed (for a correction)
    guidance: str = ""  # what the device asks now ("Bác chớp mắt một lần."), from progress_key
    onlooker: bool = False  # the camera sees someone else close: hide every personal datum
    error_code: str = ""  # ERROR / STAFF_HELP: the catalogue code (the screen's pictogram)


def long_date(day: date | datetime) -> str:
    """ "thứ Ba, 28/4/2026" (UI.md)."""
    return f"{weekday(day)}, {day.day}/{day.month}/{day.year}"


def clock(moment: datetime) -> str:
    return f"{moment.hour} giờ {moment.minute:02d}" if moment.minute else f"{moment.hour} giờ"


# Progress keys with which the camera says someone else is in view: personal data is hidden.
ONLOOKER_KEYS = ("onlooker", "one_person_only")

NO_BACK = {
    StepId.WELCOME,
    StepId.SUBMIT,
    StepId.RECEIPT,
    StepId.DONE,
    StepId.ACCOUNT_VERIFY,
    StepId.ACCOUNT_DONE,
    StepId.GOODBYE,
    StepId.CARD_PAUSED,
}


def view_for(
    step: StepId, ctx: JourneyContext, language: str = "vi", form: str = "Bác"
) -> StepView:
    title, say = step_text(step, language, form)
    number, total = _progress(step, ctx)
    extra: dict[str, object] = {}
    if step is StepId.CHOOSE_PROCEDURE:
        free = texts.get("ui.free", language)
        extra["choices"] = tuple(
            (p.code, p.name + " — " + (money(p.fee_vnd) if p.fee_vnd else free))
            for p in ctx.procedures
        )
    elif step is StepId.FORM and ctx.draft is not None and ctx.draft.procedure.fields:
        fields = ctx.draft.procedure.fields
        index = min(ctx.field_index, len(fields) - 1)
        f = fields[index]
        value = ctx.draft.values.get(f.key, "")
        extra["rows"] = (Row(f.label, value),)
        extra["field_position"] = (index + 1, len(fields))
        extra["field_key"] = f.key
        say = (
            texts.get("phrase.field_check", language, form, label=f.label, value=value)
            if language == "vi"
            else say
        )
    elif step is StepId.REVIEW and ctx.draft is not None:
        rows = [Row(texts.get("ui.row_procedure", language), ctx.draft.procedure.name)]
        if ctx.identity is not None:
            rows.append(
                Row(
                    texts.get("ui.row_id_number", language),
                    ctx.identity.masked_id,
                    ctx.identity.id_number,
                )
            )
        rows += [Row(f.label, ctx.draft.values.get(f.key, "")) for f in ctx.draft.procedure.fields]
        rows.append(Row(texts.get("ui.row_documents", language), str(len(ctx.draft.attachments))))
        extra["rows"] = tuple(rows)
    elif step is StepId.FEE and ctx.procedure is not None:
        extra["big_text"] = money(ctx.procedure.fee_vnd)
        if ctx.fee is not None:
            extra["qr_payload"] = ctx.fee.vietqr_payload
        if language == "vi":  # submitted first: say so before asking for money
            received = phrase("dossier_received", language, form)
            fee = texts.get(
                "phrase.fee_amount", language, form, amount=money(ctx.procedure.fee_vnd)
            )
            say = f"{received} {fee} {say}"
    elif step is StepId.DONE and ctx.result is not None:
        code = ctx.result.portal_code or ctx.result.kiosk_reference
        extra["big_text"] = code
        due = ctx.result.due_at
        extra["rows"] = (
            Row(texts.get("ui.row_dossier_code", language), code),
            Row(texts.get("ui.row_due", language), f"{long_date(due)}, {clock(due)}"),
        )
        if ctx.result.queued_offline:
            say += " " + phrase("queued_offline", language, form)
        if not ctx.receipt_location:
            say += " " + phrase("reprint", language, form)
    elif step is StepId.STATUS_LIST:
        extra["rows"] = tuple(Row(s.procedure_name, s.status) for s in ctx.statuses)
    elif step is StepId.ACCOUNT_DONE and ctx.identity is not None:
        extra["rows"] = (
            Row(
                texts.get("ui.row_user_name", language),
                ctx.identity.masked_id,
                ctx.identity.id_number,
            ),
        )
        if ctx.account_existed:
            title = phrase("account_existed_title", language, form)
            say = phrase("account_existed", language, form)
    elif step in (StepId.ERROR, StepId.STAFF_HELP):
        error = lookup(ctx.error_code)
        if step is StepId.ERROR or ctx.error_code not in (None, "unavailable"):
            say = said(ctx.error_code, "citizen", language, form)
            extra["remedy"] = said(ctx.error_code, "remedy", language, form)
        feature = f" ({ctx.unavailable_feature})" if ctx.unavailable_feature else ""
        extra["staff_text"] = error.staff + feature
        extra["error_code"] = ctx.error_code or ""
    return StepView(
        step=step,
        title=title,
        say=say,
        step_number=number,
        step_total=total,
        progress=ctx.progress[0],
        progress_key=ctx.progress[1],
        can_go_back=step not in NO_BACK and target_for(step, EventType.BACK) is not None,
        practice=ctx.practice,
        guidance=guidance(ctx.progress[1], language, form),
        onlooker=ctx.progress[1] in ONLOOKER_KEYS or bool(ctx.extras.get("onlooker")),
        **extra,  # type: ignore[arg-type]
    )


def _progress(step: StepId, ctx: JourneyContext) -> tuple[int, int]:
    if ctx.journey is None:
        return 0, 0
    order = PROGRESS[ctx.journey]
    step = SAME_AS.get(step, step)
    if step not in order:
        return 0, 0
    return order.index(step) + 1, len(order)
