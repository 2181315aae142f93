"""`DossierService` for the journey: catalogue, prefilled forms, drafts, submission via the outbox.

Built by the composition root (`kiosk.runtime`) with `open_dossier_feature`: catalogue and
working calendar from the data folder, outbox, sync worker (started), drafts, and the dossier,
status and account services over the given portal client and sealer.

Document capture: a document whose catalogue source is `form` becomes the declaration (the form's
values as JSON); `camera` needs the camera helper's document capture (`document_capture`
argument) and raises `NotBuilt("document capture")` until it is wired; `counter` papers
(originals shown to the officer) are handled by staff: `ServiceError(documents_at_counter)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.crypto import Sealer
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.forms import FieldProblem, FormInvalid, clean_values, prefill, validate_form
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import (
    Attachment,
    DossierDraft,
    NotBuilt,
    Procedure,
    Progress,
    ServiceError,
    SubmitResult,
    WorkingDays,
)
from kiosk.records.dossier_record import DossierInput, write_dossier
from kiosk.records.drafts import DraftStore
from kiosk.records.outbox import GuardrailLevel, Outbox, OutboxFull, OutboxState
from kiosk.records.sync import SyncWorker
from kiosk.store import Store

if TYPE_CHECKING:
    from kiosk.config import OfficeConfig, OutboxConfig, SecurityConfig
    from kiosk.portal.client import PortalClient
    from kiosk.services.interfaces import AccountService, StatusService

DocumentCapture = Callable[[str, Progress], Attachment]


class DossierRejected(ServiceError):
    """The portal refused the dossier while the citizen waited; `reason` is the portal's."""

    code = "portal_rejected"

    def __init__(self, kiosk_reference: str, reason: str) -> None:
        super().__init__(f"portal refused {kiosk_reference}: {reason}", code="portal_rejected")
        self.kiosk_reference = kiosk_reference
        self.reason = reason


def _default_working_days() -> WorkingDays:
    from kiosk.domain.calendar.workdays import WorkingCalendar

    return WorkingCalendar.load()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class KioskDossierService:
    def __init__(
        self,
        store: Store,
        catalogue: Catalogue,
        outbox: Outbox,
        box: Sealer,
        *,
        unit_code: str,
        working_days: WorkingDays | None = None,
        sync: SyncWorker | None = None,
        drafts: DraftStore | None = None,
        document_capture: DocumentCapture | None = None,
        submit_wait_s: float = 3.0,
        channel: str = "online",
        villages: tuple[str, ...] = (),
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.outbox = outbox
        self.box = box
        self.unit_code = unit_code
        self.working_days = working_days or _default_working_days()
        self.sync = sync
        self.drafts = drafts
        self.document_capture = document_capture
        self.submit_wait_s = submit_wait_s
        self.channel = channel
        self.villages = villages  # full addresses the form offers as buttons (docs/ui.md §13)
        self._clock = clock

    # --- DossierService ------------------------------------------------------------------------

    def procedures(self) -> list[Procedure]:
        return list(self.catalogue.procedures)

    def spec(self, procedure: Procedure | str) -> Procedure:
        return self.catalogue.get(procedure if isinstance(procedure, str) else procedure.code)

    def prefill(self, procedure: Procedure, identity: CitizenIdentity) -> DossierDraft:
        """The citizen's unexpired draft of this procedure if any, else a form filled from the
        card. (The journey has checked card + face before calling this.)"""
        if self.drafts is not None:
            resumed = self.drafts.resume(identity, procedure)
            if resumed is not None:
                return resumed
        return DossierDraft(procedure, prefill(self.spec(procedure).fields, identity))

    def capture_document(
        self, draft: DossierDraft, document: str, progress: Progress
    ) -> Attachment:
        spec = self.spec(draft.procedure)
        found = next((d for d in spec.documents if d.name == document), None)
        if found is None:
            raise ServiceError(f"{document!r} is not a document of {spec.code}")
        if found.source == "form":
            return self.declaration(draft)
        if found.source == "counter":
            # Originals are shown to the officer by design: not a missing feature.
            raise ServiceError("originals are checked at the counter", code="documents_at_counter")
        if self.document_capture is None:
            raise NotBuilt("document capture")
        attachment = self.document_capture(document, progress)
        attachment.name = document
        return attachment

    def submit(self, draft: DossierDraft, identity: CitizenIdentity) -> SubmitResult:
        spec = self.spec(draft.procedure)
        guard = self.outbox.guardrail()
        if guard.level is GuardrailLevel.HARD:
            raise OutboxFull(guard.staff_text)
        received_at = self._clock().astimezone(VIETNAM)
        problems = self.validate(draft, received_at)
        if problems:
            raise FormInvalid(problems)
        missing = [
            d.name
            for d in spec.documents
            if d.required
            and d.source == "camera"
            and not any(a.name == d.name for a in draft.attachments)
        ]
        if missing:
            raise ServiceError(f"missing documents: {', '.join(missing)}", code="documents_missing")
        values = clean_values(spec.fields, draft.values)
        due_at = spec.due_at(received_at, self.working_days)
        fee_vnd = spec.fee.amount(values, received_at.date(), self.channel)
        record = DossierInput(
            procedure_code=spec.code,
            unit_code=self.unit_code,
            values=values,
            attachments=list(draft.attachments),
            received_at=received_at.astimezone(UTC),
            due_at=due_at.astimezone(UTC),
            fee_vnd=fee_vnd,
        )
        with self.store.session() as session:  # dossier + attachments + outbox: one commit
            row = write_dossier(session, self.box, self.outbox, identity, record)
            kiosk_reference = row.kiosk_reference
        if self.drafts is not None:
            self.drafts.discard(identity, spec.code)
        portal_code = self._wait_for_portal(kiosk_reference, guard.level)
        return SubmitResult(
            kiosk_reference=kiosk_reference,
            portal_code=portal_code,
            received_at=received_at,
            due_at=due_at,
            queued_offline=portal_code is None,
            fee_vnd=fee_vnd,
        )

    # --- more for the form screen --------------------------------------------------------------

    def validate(self, draft: DossierDraft, at: datetime | None = None) -> list[FieldProblem]:
        """Every field problem of the draft, in Vietnamese (empty: ready to submit)."""
        today = (at or self._clock().astimezone(VIETNAM)).date()
        return validate_form(self.spec(draft.procedure).fields, draft.values, today)

    def fee_for(self, draft: DossierDraft) -> int:
        """The fee for this draft's values (certified copies: by pages and copies)."""
        spec = self.spec(draft.procedure)
        today = self._clock().astimezone(VIETNAM).date()
        return spec.fee.amount(clean_values(spec.fields, draft.values), today, self.channel)

    def save_draft(self, draft: DossierDraft, identity: CitizenIdentity) -> None:
        if self.drafts is None:
            raise NotBuilt("dossier drafts")
        self.drafts.save(identity, draft)

    def declaration(self, draft: DossierDraft) -> Attachment:
        """The procedure's declaration (tờ khai): the form's labelled values as JSON."""
        spec = self.spec(draft.procedure)
        content = {
            "procedure": spec.code,
            "name": spec.name,
            "fields": [
                {"key": f.key, "label": f.label, "value": draft.values.get(f.key, "")}
                for f in spec.fields
            ],
        }
        name = next((d.name for d in spec.documents if d.source == "form"), "Tờ khai")
        data = json.dumps(content, ensure_ascii=False, indent=1).encode("utf-8")
        return Attachment(name, "application/json", data)

    def _wait_for_portal(self, kiosk_reference: str, level: GuardrailLevel) -> str | None:
        if self.sync is None:
            return None
        self.sync.wake()
        if level is not GuardrailLevel.OK or self.submit_wait_s <= 0:
            return None  # offline for a while already: don't make the citizen wait
        state, portal_code, reason = self.sync.wait_for(kiosk_reference, self.submit_wait_s)
        if state == OutboxState.REJECTED.value:
            raise DossierRejected(kiosk_reference, reason)
        return portal_code if state == OutboxState.ACCEPTED.value else None


@dataclass
class DossierFeature:
    """The dossier side of a running kiosk: the journey's services and the sync worker."""

    dossiers: KioskDossierService
    status: StatusService
    accounts: AccountService
    sync: SyncWorker

    def close(self) -> None:
        self.sync.stop()


def open_dossier_feature(
    store: Store,
    sealer: Sealer,
    client: PortalClient,
    *,
    office: OfficeConfig,
    outbox: OutboxConfig,
    security: SecurityConfig,
    data_dir: Path,
    document_capture: DocumentCapture | None = None,
) -> DossierFeature:
    """Catalogue and calendar (from `data_dir`), outbox, sync worker (started), drafts,
    dossier/status/account services. Call `.close()` at exit; the client is the caller's."""
    from kiosk.domain.calendar.workdays import WorkingCalendar
    from kiosk.domain.catalogue import catalogue_for_data_dir
    from kiosk.domain.forms import village_addresses
    from kiosk.services.accounts import KioskAccountService
    from kiosk.services.status import KioskStatusService

    catalogue = catalogue_for_data_dir(data_dir)
    queue = Outbox(store, outbox)
    sync = SyncWorker(
        queue, client, sealer, interval_s=outbox.sync_interval_s, parallel=outbox.senders
    ).start()
    drafts = DraftStore(store, sealer, timedelta(minutes=security.draft_ttl_minutes))
    dossiers = KioskDossierService(
        store,
        catalogue,
        queue,
        sealer,
        unit_code=office.unit_code,
        working_days=WorkingCalendar.load(data_dir),
        sync=sync,
        drafts=drafts,
        document_capture=document_capture,
        submit_wait_s=outbox.submit_wait_s,
        villages=village_addresses(office.villages, office.address),
    )
    return DossierFeature(
        dossiers=dossiers,
        status=KioskStatusService(store, sealer, catalogue, client),
        accounts=KioskAccountService(client),
        sync=sync,
    )
