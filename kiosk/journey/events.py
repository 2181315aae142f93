"""Events that drive the journey: from the citizen (via the UI), devices, staff and time.

One frozen dataclass per kind, its payload as typed fields. `kind` is the name the audit log and
the daily report know the event by. Fields that may hold personal data stay out of `repr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"


# --- citizen choices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoseSubmit(Event):
    kind: ClassVar[str] = "chose_submit"


@dataclass(frozen=True)
class ChoseAccount(Event):
    kind: ClassVar[str] = "chose_account"


@dataclass(frozen=True)
class ChoseStatus(Event):
    kind: ClassVar[str] = "chose_status"


@dataclass(frozen=True)
class ChosePractice(Event):
    kind: ClassVar[str] = "chose_practice"


@dataclass(frozen=True)
class Consented(Event):
    kind: ClassVar[str] = "consented"


@dataclass(frozen=True)
class Declined(Event):
    kind: ClassVar[str] = "declined"


@dataclass(frozen=True)
class ProcedureChosen(Event):
    kind: ClassVar[str] = "procedure_chosen"
    code: str


@dataclass(frozen=True)
class TicketRequested(Event):
    """A procedure done at the counter: the citizen takes a queue number for the officer."""

    kind: ClassVar[str] = "ticket_requested"


@dataclass(frozen=True)
class Confirmed(Event):
    kind: ClassVar[str] = "confirmed"


@dataclass(frozen=True)
class FieldCorrected(Event):
    kind: ClassVar[str] = "corrected"
    key: str
    value: str = field(repr=False)


@dataclass(frozen=True)
class FieldSkipped(Event):
    """An optional question answered "nothing to give" with its own button."""

    kind: ClassVar[str] = "skipped"
    key: str


@dataclass(frozen=True)
class ChipDataWrong(Event):
    """The citizen says what the chip proved is wrong: only staff can help (docs/ui.md §13)."""

    kind: ClassVar[str] = "chip_data_wrong"
    code: ClassVar[str] = "chip_data_wrong"


@dataclass(frozen=True)
class PhoneEntered(Event):
    kind: ClassVar[str] = "phone_entered"
    phone: str = field(repr=False)


@dataclass(frozen=True)
class OtpEntered(Event):
    kind: ClassVar[str] = "otp_entered"
    otp: str = field(repr=False)


@dataclass(frozen=True)
class PayAtCounter(Event):
    kind: ClassVar[str] = "pay_at_counter"


@dataclass(frozen=True)
class Back(Event):
    kind: ClassVar[str] = "back"


@dataclass(frozen=True)
class Cancelled(Event):
    kind: ClassVar[str] = "cancelled"


@dataclass(frozen=True)
class Retry(Event):
    kind: ClassVar[str] = "retry"


@dataclass(frozen=True)
class FinishRequested(Event):
    """ "Kết thúc", confirmed once: wipe the session now and say goodbye."""

    kind: ClassVar[str] = "finish_requested"


@dataclass(frozen=True)
class HelpRequested(Event):
    """ "Gọi cán bộ" (or a screen that hands over to staff): `reason` is "citizen" for the button,
    else the error code that needs an officer."""

    kind: ClassVar[str] = "help_requested"
    reason: str = "citizen"


# --- results of a step's work ------------------------------------------------------------------


@dataclass(frozen=True)
class QrRead(Event):
    kind: ClassVar[str] = "qr_read"


@dataclass(frozen=True)
class CardRead(Event):
    kind: ClassVar[str] = "card_read"


@dataclass(frozen=True)
class FaceVerified(Event):
    kind: ClassVar[str] = "face_verified"


@dataclass(frozen=True)
class FaceFailed(Event):
    kind: ClassVar[str] = "face_failed"
    reason: str  # an error-catalogue code: the guidance for the next try


@dataclass(frozen=True)
class ProceduresLoaded(Event):
    kind: ClassVar[str] = "status_found"  # the name the audit log has always used


@dataclass(frozen=True)
class DraftPrefilled(Event):
    kind: ClassVar[str] = "draft_prefilled"


@dataclass(frozen=True)
class DocumentsDone(Event):
    kind: ClassVar[str] = "documents_done"


@dataclass(frozen=True)
class Paid(Event):
    kind: ClassVar[str] = "paid"


@dataclass(frozen=True)
class FeeShown(Event):
    """The VietQR is on screen; nothing to wait for (queued offline)."""

    kind: ClassVar[str] = "fee_shown"


@dataclass(frozen=True)
class OtpSent(Event):
    kind: ClassVar[str] = "otp_sent"


@dataclass(frozen=True)
class AccountCreated(Event):
    kind: ClassVar[str] = "account_created"


@dataclass(frozen=True)
class AccountExists(Event):
    """The citizen already has an account: nothing to create."""

    kind: ClassVar[str] = "account_exists"


@dataclass(frozen=True)
class Submitted(Event):
    kind: ClassVar[str] = "submitted"


@dataclass(frozen=True)
class TicketIssued(Event):
    """A queue number for the counter is on screen."""

    kind: ClassVar[str] = "ticket_issued"


@dataclass(frozen=True)
class Printed(Event):
    kind: ClassVar[str] = "printed"


@dataclass(frozen=True)
class StatusFound(Event):
    kind: ClassVar[str] = "status_found"


@dataclass(frozen=True)
class CardNotAuthentic(Event):
    """The chip's data failed passive authentication, or the chip is a clone: the card is not used
    for anything at the kiosk, staff see the citizen (docs/domain.md §1)."""

    kind: ClassVar[str] = "card_not_authentic"
    code: ClassVar[str] = "card_not_authentic"


@dataclass(frozen=True)
class Failed(Event):
    kind: ClassVar[str] = "failed"
    code: str  # an error-catalogue code


@dataclass(frozen=True)
class Unavailable(Event):
    """The step's service is not built."""

    kind: ClassVar[str] = "unavailable"
    feature: str
    code: str = "unavailable"


# --- devices, time, staff ----------------------------------------------------------------------


@dataclass(frozen=True)
class CardRemoved(Event):
    kind: ClassVar[str] = "card_removed"


@dataclass(frozen=True)
class CardReturned(Event):
    kind: ClassVar[str] = "card_returned"


@dataclass(frozen=True)
class DeviceError(Event):
    kind: ClassVar[str] = "device_error"
    code: str


@dataclass(frozen=True)
class IdleTimeout(Event):
    kind: ClassVar[str] = "idle_timeout"


@dataclass(frozen=True)
class StaffTakeover(Event):
    kind: ClassVar[str] = "staff_takeover"
    staff: str


@dataclass(frozen=True)
class StaffHandback(Event):
    kind: ClassVar[str] = "staff_handback"
    staff: str = ""


@dataclass(frozen=True)
class StaffOverride(Event):
    kind: ClassVar[str] = "staff_override"
    staff: str
    reason: str = field(repr=False)


@dataclass(frozen=True)
class StaffArrived(Event):
    """An officer logged in at this kiosk with the PIN: the open help request is answered."""

    kind: ClassVar[str] = "staff_arrived"
    staff: str


@dataclass(frozen=True)
class StaffLeft(Event):
    """The officer logged out of the staff panel: the help they brought is done."""

    kind: ClassVar[str] = "staff_left"
    staff: str = ""


@dataclass(frozen=True)
class HelpAnswered(Event):
    """The help desk changed a request (the counter console acknowledged it, it was closed)."""

    kind: ClassVar[str] = "help_answered"
    help_id: str
    state: str  # kiosk.records.help_requests.HelpState
    by: str = ""


@dataclass(frozen=True)
class Finished(Event):
    kind: ClassVar[str] = "finished"


def error_code(event: Event) -> str | None:
    """The error-catalogue code an event carries, if any (failures, devices, a chosen code)."""
    code = getattr(event, "code", None)
    return code if isinstance(code, str) else None
