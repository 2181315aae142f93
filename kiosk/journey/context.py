"""What one session knows. Everything personal lives here, and `wipe()` drops it all."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    DossierDraft,
    DossierStatus,
    FaceResult,
    FeeRequest,
    Procedure,
    SubmitResult,
)


class Journey(StrEnum):
    SUBMIT = "submit"  # submit a dossier
    ACCOUNT = "account"  # create a public-service account
    STATUS = "status"  # check a dossier's status
    PRACTICE = "practice"  # rehearse card and camera with the demo card


@dataclass
class JourneyContext:
    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    journey: Journey | None = None
    consent: bool | None = None
    qr_text: str | None = field(default=None, repr=False)
    identity: CitizenIdentity | None = None
    face: FaceResult | None = None
    face_tries: int = 0
    procedures: list[Procedure] = field(default_factory=list)
    procedure: Procedure | None = None
    draft: DossierDraft | None = None
    field_index: int = 0
    document_index: int = 0  # the paper under the camera now (DOCUMENTS)
    ticket: str = ""  # the queue number for a procedure done at the counter
    fee: FeeRequest | None = None
    paid: bool = False
    result: SubmitResult | None = None
    receipt_location: str = ""
    phone: str = field(default="", repr=False)
    account_username: str = ""
    account_existed: bool = False  # the portal already had an account for this ID
    statuses: list[DossierStatus] = field(default_factory=list)
    error_code: str | None = None  # what went wrong (key of the error catalogue)
    unavailable_feature: str = ""
    failed_step: str | None = None  # the step that failed (ERROR / STAFF_HELP resume here)
    resume_step: str | None = None  # where CARD_PAUSED / RETRY return to
    staff: str | None = None  # username of the officer who took over
    overrides: list[dict[str, str]] = field(default_factory=list)
    progress: tuple[float, str] = (0.0, "")
    timings: dict[str, float] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def practice(self) -> bool:
        return self.journey is Journey.PRACTICE

    def wipe(self) -> None:
        """Drop every personal datum of the session (timeout, cancel, goodbye)."""
        if self.identity is not None:
            self.identity.wipe()
        if self.draft is not None:
            self.draft.values.clear()
            self.draft.attachments.clear()
        fresh = JourneyContext()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))
