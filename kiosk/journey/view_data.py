"""What a screen shows, as plain data, and the formatting of money and dates on it. Personal data
arrives here already masked where onlookers could read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.journey.steps.ids import StepId
from printing.wording import weekday


@dataclass(frozen=True)
class Row:
    label: str
    value: str  # shown (masked where onlookers could read it)
    reveal: str = field(default="", repr=False)  # the full value, shown only when tapped


@dataclass(frozen=True)
class ProcedureCard:
    """One procedure on the list: its plain name, picture and fee; `at_counter` says why it is
    done at the counter ("" : at the kiosk)."""

    code: str
    name: str
    fee: str  # "10.000 đồng" or "miễn phí"
    pictogram: str
    at_counter: str = ""


@dataclass(frozen=True)
class Thumbnail:
    """A paper as photographed, for the review."""

    name: str
    image: bytes = field(repr=False)


@dataclass(frozen=True)
class FeeView:
    """The fee of the dossier: what the fee screen shows and the receipt prints when unpaid."""

    amount_vnd: int
    paid: bool = False
    payee: str = ""  # account holder (the office)
    account: str = ""
    counter: str = ""  # where to pay in cash
    vietqr_payload: str = field(default="", repr=False)


@dataclass(frozen=True)
class Question:
    """FORM: the one thing the chip could not know, and how it is answered (docs/ui.md §13)."""

    key: str
    label: str
    control: str  # kiosk.domain.forms.Control
    value: str = field(default="", repr=False)  # the answer given so far ("" if none)
    choices: tuple[str, ...] = ()  # CHOICE: the answers; PLACE: the commune's villages
    years: tuple[int, int] = (0, 0)  # DATE: first and last year offered
    digits: int = 0  # KEYPAD: how many digits at most
    optional: bool = False  # may be skipped with its own button (never by an empty answer)
    problem: str = ""  # what is wrong with the last answer, in words ("" when none)


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
    ready: bool = True  # False while the step's work prepares what it asks (the form's prefill)
    procedures: tuple[ProcedureCard, ...] = ()  # CHOOSE_PROCEDURE: the catalogue, for the list
    pictogram: str = ""  # the step's own picture (the procedure, the paper): "" for the screen's
    paper_position: tuple[int, int] = (0, 0)  # DOCUMENTS: (k, n) for "tờ k/n"
    thumbnails: tuple[Thumbnail, ...] = ()  # REVIEW: the papers as photographed
    fee: FeeView | None = None  # FEE, DONE: the fee with its payee
    notice: str = ""  # a shown (not only spoken) state: "waiting for the fee", "at the counter"

    question: Question | None = None  # FORM: the question asked (None: the chip's review card)


def long_date(day: date | datetime) -> str:
    """ "thứ Ba, 28/4/2026" (docs/ui.md)."""
    return f"{weekday(day)}, {day.day}/{day.month}/{day.year}"


def clock(moment: datetime) -> str:
    return f"{moment.hour} giờ {moment.minute:02d}" if moment.minute else f"{moment.hour} giờ"
