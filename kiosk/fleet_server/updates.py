"""Signed updates: the fleet's Ed25519 update-signing key (made on first use, kept in the
database, sealed with the secrets key when there is one), pushing a catalogue or trust payload,
and the documents kiosks fetch (docs/fleet.md §4).
"""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.crypto.signed_update import KINDS, key_id, public_key_b64, sign_update
from kiosk.fleet_server.db import FleetDb
from kiosk.fleet_server.errors import NotFound
from kiosk.fleet_server.models import ServerKey, SignedUpdate
from kiosk.fleet_server.secrets import server_key_label

SIGNING_KEY = "update-signing"


def _load(db: FleetDb, session: Session) -> Ed25519PrivateKey | None:
    row = session.get(ServerKey, SIGNING_KEY)
    if row is None:
        return None
    raw = db.secrets.open(row.private_raw, server_key_label(SIGNING_KEY))
    return Ed25519PrivateKey.from_private_bytes(raw)


def update_signing_key(db: FleetDb) -> Ed25519PrivateKey:
    """The service's update-signing key; the first call makes it (two services starting at once
    agree on one: the primary key lets only the first insert through)."""
    with db.session() as session:
        key = _load(db, session)
    if key is not None:
        return key
    fresh = Ed25519PrivateKey.generate()
    raw = fresh.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    try:
        with db.session() as session:
            sealed = db.secrets.seal(raw, server_key_label(SIGNING_KEY))
            session.add(ServerKey(name=SIGNING_KEY, private_raw=sealed))
    except sa_exc.IntegrityError:
        pass
    with db.session() as session:
        key = _load(db, session)
    assert key is not None
    return key


def update_public_key(db: FleetDb) -> dict[str, str]:
    """What a kiosk pins as `[fleet] update_key`: the raw public key (base64) and its id."""
    public = update_signing_key(db).public_key()
    return {"public_key": public_key_b64(public), "key_id": key_id(public)}


def push_update(db: FleetDb, kind: str, payload: bytes, now: datetime) -> dict[str, str]:
    """Sign and store `payload` as the newest update of `kind` (validated by the caller);
    pushing the same bytes again makes them the newest again."""
    if kind not in KINDS:
        raise ValueError(f"unknown update kind {kind!r}")
    document = sign_update(update_signing_key(db), kind, payload, now)
    with db.session() as session:
        row = session.scalars(
            select(SignedUpdate).where(
                SignedUpdate.kind == kind, SignedUpdate.sha256 == document["sha256"]
            )
        ).first()
        if row is None:
            session.add(
                SignedUpdate(
                    kind=kind,
                    sha256=document["sha256"],
                    payload=payload,
                    signed_at=document["signed_at"],
                    key_id=document["key_id"],
                    signature_b64=document["signature_b64"],
                    pushed_at=now,
                )
            )
        else:
            row.pushed_at = now
    return {"kind": kind, "sha256": document["sha256"], "key_id": document["key_id"]}


def current_updates(session: Session) -> dict[str, str]:
    """The newest pushed sha256 of each kind."""
    newest: dict[str, str] = {}
    # One query for every kind (each sync asks): pushes are few, newest first.
    rows = session.execute(
        select(SignedUpdate.kind, SignedUpdate.sha256).order_by(
            SignedUpdate.pushed_at.desc(), SignedUpdate.id.desc()
        )
    )
    for kind, sha in rows:
        if kind in KINDS:
            newest.setdefault(kind, sha)
        if len(newest) == len(KINDS):
            break
    return newest


def update_document(db: FleetDb, kind: str, sha256: str) -> dict[str, str]:
    import base64

    with db.session() as session:
        row = session.scalars(
            select(SignedUpdate).where(SignedUpdate.kind == kind, SignedUpdate.sha256 == sha256)
        ).first()
        if row is None:
            raise NotFound(f"no {kind} update {sha256}")
        return {
            "kind": row.kind,
            "sha256": row.sha256,
            "payload_b64": base64.b64encode(row.payload).decode("ascii"),
            "signed_at": row.signed_at,
            "key_id": row.key_id,
            "signature_b64": row.signature_b64,
        }
