"""`StatusService`: a citizen taps the card (or scans a receipt's QR) to see their dossiers.

Local dossiers are found by the keyed hash of the ID number; for those the portal has accepted,
the portal's current status is asked once (a failure there falls back to what the kiosk knows:
the citizen still sees every dossier, with "status as of the last sync").
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import or_, select

from kiosk.crypto import Sealer
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.catalogue import Catalogue, CatalogueError
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import DossierStatus
from kiosk.portal.client import PortalClient, PortalDossierStatus
from kiosk.portal.errors import PortalError
from kiosk.store import Store
from kiosk.store.models import Dossier, OutboxEntry

log = logging.getLogger(__name__)

# Dossier.status (local states, then the portal's) → what the citizen reads.
STATUS_TEXTS = {
    "queued": "Máy đã nhận hồ sơ, đang chờ gửi lên Cổng dịch vụ công",
    "needs_staff": "Cán bộ đang kiểm tra hồ sơ",
    "received": "Cổng dịch vụ công đã tiếp nhận hồ sơ",
    "processing": "Đang giải quyết",
    "completed": "Đã có kết quả, mời đến nhận",
    "returned": "Cần bổ sung hồ sơ",
    "rejected": "Không được tiếp nhận",
}


def status_text(status: str, reason: str = "") -> str:
    text = STATUS_TEXTS.get(status, status)
    return f"{text}: {reason}" if reason and status in ("rejected", "returned") else text


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM)


class KioskStatusService:
    def __init__(
        self,
        store: Store,
        box: Sealer,
        catalogue: Catalogue,
        client: PortalClient | None = None,
    ) -> None:
        self.store = store
        self.box = box
        self.catalogue = catalogue
        self.client = client

    def lookup(self, identity: CitizenIdentity) -> list[DossierStatus]:
        """The citizen's dossiers submitted at this kiosk, newest first."""
        owner = self.box.lookup_hash(identity.id_number)
        remote = self._portal_statuses(identity.id_number)
        with self.store.session() as session:
            rows = session.execute(
                select(Dossier, OutboxEntry.reason)
                .join(OutboxEntry, OutboxEntry.dossier_id == Dossier.id, isouter=True)
                .where(Dossier.id_lookup == owner)
                .order_by(Dossier.received_at.desc(), Dossier.id.desc())
            ).all()
            return [self._status(dossier, reason or "", remote) for dossier, reason in rows]

    def lookup_reference(self, reference: str) -> DossierStatus | None:
        """One dossier by the kiosk reference or portal code on its receipt (QR)."""
        with self.store.session() as session:
            row = session.execute(
                select(Dossier, OutboxEntry.reason)
                .join(OutboxEntry, OutboxEntry.dossier_id == Dossier.id, isouter=True)
                .where(or_(Dossier.kiosk_reference == reference, Dossier.portal_code == reference))
            ).first()
            if row is None:
                return None
            dossier, reason = row
            remote = {}
            if dossier.portal_code and self.client is not None:
                try:
                    found = self.client.dossier_status(dossier.portal_code)
                    remote[found.portal_code] = found
                except PortalError as exc:
                    log.info("status: portal unavailable, showing local status (%s)", exc.code)
            return self._status(dossier, reason or "", remote)

    def _portal_statuses(self, id_number: str) -> dict[str, PortalDossierStatus]:
        if self.client is None:
            return {}
        try:
            return {s.portal_code: s for s in self.client.list_dossiers(id_number)}
        except PortalError as exc:
            log.info("status: portal unavailable, showing local status (%s)", exc.code)
            return {}

    def _status(
        self, dossier: Dossier, reason: str, remote: dict[str, PortalDossierStatus]
    ) -> DossierStatus:
        status = dossier.status
        found = remote.get(dossier.portal_code or "")
        if found is not None:
            status, reason = found.status, found.reason or ""
            dossier.status = status  # remember the portal's answer (committed with the session)
        try:
            name = self.catalogue.get(dossier.procedure_code).name
        except CatalogueError:
            name = dossier.procedure_code
        return DossierStatus(
            reference=dossier.portal_code or dossier.kiosk_reference,
            procedure_name=name,
            status=status_text(status, reason),
            due_at=_local(dossier.due_at),
        )
