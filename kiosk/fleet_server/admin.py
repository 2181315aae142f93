"""Who may talk to the service (docs/fleet.md §3): enrolling and revoking kiosks, console and
dashboard access tokens, and the data keys kiosks leave here (key custody "fleet")."""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kiosk.fleet_server.db import FleetDb
from kiosk.fleet_server.errors import BadRequest, Conflict, NotFound, TokenInvalid
from kiosk.fleet_server.messages import ID_PATTERN
from kiosk.fleet_server.models import AccessToken, Kiosk
from kiosk.fleet_server.secrets import data_key_label
from kiosk.fleet_server.tokens import new_token, token_hash

log = logging.getLogger(__name__)
DATA_KEY_BYTES = 32


class EnrollRefused(Exception):
    """The kiosk id is not usable or already enrolled (without `replace`)."""


@dataclass(frozen=True)
class Access:
    """A signed-in console or dashboard user: one office, or the province (office empty)."""

    office: str
    label: str

    @property
    def province(self) -> bool:
        return self.office == ""


def enroll(db: FleetDb, kiosk_id: str, office: str, now: datetime, replace: bool = False) -> str:
    """A new token for `kiosk_id` (shown once; only its hash is kept). Enrolling a kiosk again
    needs `replace`: the old token stops working and a revoked kiosk is re-admitted."""
    if ID_PATTERN.fullmatch(kiosk_id) is None:
        raise EnrollRefused(f"kiosk id {kiosk_id!r}: use 1 to 64 letters, digits, '_.:-'")
    token = new_token()
    with db.session() as session:
        kiosk = session.get(Kiosk, kiosk_id)
        if kiosk is not None and not replace:
            raise EnrollRefused(
                f"kiosk {kiosk_id} is already enrolled: add --replace to issue a new token"
            )
        if kiosk is None:
            session.add(
                Kiosk(
                    kiosk_id=kiosk_id, office=office, token_hash=token_hash(token), enrolled_at=now
                )
            )
        else:
            kiosk.token_hash, kiosk.revoked_at, kiosk.enrolled_at = token_hash(token), None, now
            kiosk.office = office or kiosk.office
    return token


def revoke(db: FleetDb, kiosk_id: str, now: datetime) -> None:
    """The kiosk's token answers 401 from now on, and its data key is no longer released."""
    with db.session() as session:
        kiosk = session.get(Kiosk, kiosk_id)
        if kiosk is None:
            raise EnrollRefused(f"kiosk {kiosk_id} is not enrolled")
        kiosk.revoked_at = kiosk.revoked_at or now


def kiosk_for_token(db: FleetDb, token: str) -> str:
    """The kiosk id of a valid, unrevoked token; `TokenInvalid` otherwise."""
    if not token:
        raise TokenInvalid("no bearer token")
    with db.session() as session:
        kiosk = session.scalars(select(Kiosk).where(Kiosk.token_hash == token_hash(token))).first()
        if kiosk is None or kiosk.revoked_at is not None:
            raise TokenInvalid("unknown or revoked token")
        return kiosk.kiosk_id


def issue_access_token(db: FleetDb, office: str, label: str, now: datetime) -> str:
    token = new_token()
    with db.session() as session:
        session.add(
            AccessToken(token_hash=token_hash(token), office=office, label=label, created_at=now)
        )
    return token


def revoke_access_tokens(db: FleetDb, office: str, label: str, now: datetime) -> int:
    """Revoke the access tokens of `office` (empty: the province's) with `label` (empty: all)."""
    with db.session() as session:
        query = select(AccessToken).where(
            AccessToken.office == office, AccessToken.revoked_at.is_(None)
        )
        if label:
            query = query.where(AccessToken.label == label)
        rows = list(session.scalars(query))
        for row in rows:
            row.revoked_at = now
        return len(rows)


def access_for_token(db: FleetDb, token: str) -> Access:
    if not token:
        raise TokenInvalid("sign in with an access token")
    with db.session() as session:
        row = session.scalars(
            select(AccessToken).where(AccessToken.token_hash == token_hash(token))
        ).first()
        if row is None or row.revoked_at is not None:
            raise TokenInvalid("unknown or revoked access token")
        return Access(row.office, row.label)


def hold_data_key(db: FleetDb, kiosk_id: str, key_b64: object) -> None:
    """Keep the kiosk's wrapping key (once; 409 when one is held)."""
    key = _key_bytes(key_b64, "key_b64")
    with db.session() as session:
        kiosk = session.get(Kiosk, kiosk_id, with_for_update=True)
        assert kiosk is not None
        if kiosk.data_key is not None:
            raise Conflict("a data key is already held for this kiosk: rotate it instead")
        kiosk.data_key = db.secrets.seal(key, data_key_label(kiosk_id))
    log.info("fleet: holding the data key of kiosk %s", kiosk_id)


def rotate_data_key(db: FleetDb, kiosk_id: str, old_b64: object, new_b64: object) -> None:
    old, new = _key_bytes(old_b64, "old_b64"), _key_bytes(new_b64, "new_b64")
    with db.session() as session:
        kiosk = session.get(Kiosk, kiosk_id, with_for_update=True)
        assert kiosk is not None
        label = data_key_label(kiosk_id)
        held = None if kiosk.data_key is None else db.secrets.open(kiosk.data_key, label)
        if held is None or not hmac.compare_digest(held, old):
            raise Conflict("old_b64 is not the key held for this kiosk")
        kiosk.data_key = db.secrets.seal(new, label)
    log.info("fleet: rotated the data key of kiosk %s", kiosk_id)


def release_data_key(db: FleetDb, kiosk_id: str) -> str:
    with db.session() as session:
        kiosk = session.get(Kiosk, kiosk_id)
        if kiosk is None or kiosk.data_key is None:
            raise NotFound("no data key is held for this kiosk")
        key = db.secrets.open(kiosk.data_key, data_key_label(kiosk_id))
    log.info("fleet: released the data key to kiosk %s", kiosk_id)
    return base64.b64encode(key).decode("ascii")


def _key_bytes(value: object, name: str) -> bytes:
    try:
        key = base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"{name} is not base64") from None
    if not isinstance(value, str) or len(key) != DATA_KEY_BYTES:
        raise BadRequest(f"{name} must be {DATA_KEY_BYTES} bytes, base64")
    return key
