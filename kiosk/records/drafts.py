"""Resumable dossier drafts: a citizen who leaves mid-form finds it again by tapping the same card
(and passing the face check, which the journey does before asking) within a configurable time.

Drafts are sealed (AES-GCM) with the owner's keyed ID hash and the procedure as associated data,
so a draft row copied to another citizen does not open. Expired drafts are deleted.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from kiosk.crypto import Sealer
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import Attachment, DossierDraft, Procedure
from kiosk.store import Store
from kiosk.store.models import DraftRow


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


class DraftStore:
    def __init__(
        self,
        store: Store,
        box: Sealer,
        ttl: timedelta,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._store = store
        self._box = box
        self._ttl = ttl
        self._clock = clock

    @staticmethod
    def _purpose(owner: str, procedure_code: str) -> bytes:
        return f"draft:{owner}:{procedure_code}".encode()

    def save(self, identity: CitizenIdentity, draft: DossierDraft) -> None:
        owner = self._box.lookup_hash(identity.id_number)
        code = draft.procedure.code
        document = {
            "values": draft.values,
            "attachments": [
                {
                    "name": a.name,
                    "content_type": a.content_type,
                    "data": base64.b64encode(a.data).decode("ascii"),
                }
                for a in draft.attachments
            ],
        }
        sealed = self._box.seal(
            json.dumps(document, ensure_ascii=False).encode("utf-8"), self._purpose(owner, code)
        )
        now = self._clock()
        with self._store.session() as session:
            row = session.scalar(
                select(DraftRow).where(DraftRow.id_lookup == owner, DraftRow.procedure_code == code)
            )
            if row is None:
                row = DraftRow(id_lookup=owner, procedure_code=code)
                session.add(row)
            row.sealed = sealed
            row.updated_at = now
            row.expires_at = now + self._ttl

    def resume(self, identity: CitizenIdentity, procedure: Procedure) -> DossierDraft | None:
        """The citizen's unexpired draft of this procedure, or None."""
        owner = self._box.lookup_hash(identity.id_number)
        with self._store.session() as session:
            row = session.scalar(
                select(DraftRow).where(
                    DraftRow.id_lookup == owner, DraftRow.procedure_code == procedure.code
                )
            )
            if row is None:
                return None
            if _aware(row.expires_at) <= self._clock():
                session.delete(row)
                return None
            sealed = row.sealed
        document = json.loads(self._box.open(sealed, self._purpose(owner, procedure.code)))
        return DossierDraft(
            procedure=procedure,
            values={str(k): str(v) for k, v in document["values"].items()},
            attachments=[
                Attachment(a["name"], a["content_type"], base64.b64decode(a["data"]))
                for a in document["attachments"]
            ],
        )

    def resumable(self, identity: CitizenIdentity) -> list[str]:
        """Procedure codes the citizen has an unexpired draft of (to offer on card tap)."""
        owner = self._box.lookup_hash(identity.id_number)
        with self._store.session() as session:
            rows = session.scalars(select(DraftRow).where(DraftRow.id_lookup == owner)).all()
            now = self._clock()
            return sorted(r.procedure_code for r in rows if _aware(r.expires_at) > now)

    def discard(self, identity: CitizenIdentity, procedure_code: str) -> None:
        owner = self._box.lookup_hash(identity.id_number)
        with self._store.session() as session:
            session.execute(
                delete(DraftRow).where(
                    DraftRow.id_lookup == owner, DraftRow.procedure_code == procedure_code
                )
            )

    def purge_expired(self) -> int:
        """Delete every expired draft (Law 91/2025: keep personal data no longer than needed)."""
        with self._store.session() as session:
            result = session.execute(delete(DraftRow).where(DraftRow.expires_at <= self._clock()))
            return int(getattr(result, "rowcount", 0) or 0)
