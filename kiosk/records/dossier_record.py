"""How a dossier is kept in the store (sealed) and read back as the portal's submission.

`write_dossier` adds the dossier, its attachments and its outbox entry to the caller's session,
so they commit together or not at all. `submission_for` opens them again and builds the
`DossierSubmission` body of `kiosk/portal/openapi.yaml`: the same bytes on every retry.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.crypto import Sealer, SealError
from kiosk.domain.calendar.vietnam_time import UTC_OFFSET
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import Attachment
from kiosk.records.outbox import Outbox
from kiosk.store.models import Attachment as AttachmentRow
from kiosk.store.models import Dossier

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by staff


def new_kiosk_reference(received_at: datetime) -> str:
    """`KIOSK-YYMMDD-XXXXXX`: clearly the kiosk's own reference, never a portal code."""
    day = (received_at + UTC_OFFSET).strftime("%y%m%d")
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"KIOSK-{day}-{tail}"


@dataclass(frozen=True)
class DossierInput:
    procedure_code: str
    unit_code: str
    values: dict[str, str]
    attachments: list[Attachment]
    received_at: datetime
    due_at: datetime | None
    fee_vnd: int
    session_id: str | None = None


def write_dossier(
    session: Session,
    box: Sealer,
    outbox: Outbox,
    identity: CitizenIdentity,
    dossier: DossierInput,
) -> Dossier:
    """Add dossier + attachments + outbox entry to `session` (commit is the caller's)."""
    reference = new_kiosk_reference(dossier.received_at)
    payload = {
        "procedure_code": dossier.procedure_code,
        "kiosk_reference": reference,
        "unit_code": dossier.unit_code,
        "received_at": dossier.received_at.isoformat(),
        "fee_vnd": dossier.fee_vnd,
        "applicant": {
            "id_number": identity.id_number,
            "full_name": identity.full_name,
            "date_of_birth": (
                identity.date_of_birth.isoformat() if identity.date_of_birth else None
            ),
            "source": identity.source.value,
        },
        "values": dossier.values,
    }
    row = Dossier(
        kiosk_reference=reference,
        session_id=dossier.session_id,
        procedure_code=dossier.procedure_code,
        masked_id=identity.masked_id,
        id_lookup=box.lookup_hash(identity.id_number),
        payload_sealed=box.seal(
            json.dumps(payload).encode("utf-8"), f"dossier:{reference}".encode()
        ),
        status="queued",
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        fee_vnd=dossier.fee_vnd,
    )
    for attachment in dossier.attachments:
        digest = hashlib.sha256(attachment.data).hexdigest()
        row.attachments.append(
            AttachmentRow(
                name=attachment.name[:120],
                content_type=attachment.content_type,
                size=len(attachment.data),
                sha256=digest,
                data_sealed=box.seal(attachment.data, f"attachment:{reference}:{digest}".encode()),
            )
        )
    session.add(row)
    session.flush()  # the dossier's id, for the outbox entry
    outbox.enqueue(session, row)
    return row


def submission_for(session: Session, box: Sealer, dossier_id: int) -> dict[str, Any]:
    """The portal request body of a stored dossier (raises SealError if it is damaged)."""
    dossier = session.get_one(Dossier, dossier_id)
    reference = dossier.kiosk_reference
    payload = json.loads(box.open(dossier.payload_sealed, f"dossier:{reference}".encode()))
    attachments = []
    query = select(AttachmentRow).where(AttachmentRow.dossier_id == dossier_id)
    rows = session.scalars(query.order_by(AttachmentRow.id)).all()
    for row in rows:
        if row.data_sealed is None:
            raise SealError(f"attachment {row.id} of {reference} has no data")
        data = box.open(row.data_sealed, f"attachment:{reference}:{row.sha256}".encode())
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise SealError(f"attachment {row.id} of {reference} does not match its hash")
        attachments.append(
            {
                "name": row.name,
                "content_type": row.content_type,
                "sha256": row.sha256,
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
        )
    payload["attachments"] = attachments
    return dict(payload)
