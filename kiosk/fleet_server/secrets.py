"""The fleet database's secrets sealed at rest (docs/fleet.md §8): the Ed25519 update-signing key
and the data keys of kiosks whose key custody is the fleet. A copy of the database (a backup, a
stolen disk) must not release every kiosk's data, so each secret is wrapped with AES-256-GCM by a
secrets key kept apart from the database: a 32-byte file given by `--secrets-key FILE` or
`KIOSK_FLEET_SECRETS_KEY` (under systemd a credential, `LoadCredentialEncrypted=`, which the TPM
can seal). The label binds a wrapped secret to its row, so one cannot be swapped for another.

Without a secrets key the service keeps working and stores secrets as they are (a small office's
test set-up); `kiosk fleet-serve` says so at start. Given a key, secrets stored plain before are
sealed at once. A sealed secret never opens without its key: every command refuses to start with
one line naming the key, rather than fail later on a kiosk's key release."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from kiosk.crypto.errors import CryptoError
from kiosk.crypto.machine_key import FileMachineKey, MachineKey

ENV = "KIOSK_FLEET_SECRETS_KEY"
SEALED = b"sealed1:"  # stored values starting with this are wrapped; others are plain


class SecretsLocked(Exception):
    """A sealed secret cannot be opened: no secrets key, or another one."""


class FleetSecrets:
    def __init__(self, key: MachineKey | None = None, where: str = "") -> None:
        self.key = key
        self.where = where  # the key file, for messages

    @property
    def sealing(self) -> bool:
        return self.key is not None

    def seal(self, value: bytes, label: str) -> bytes:
        if self.key is None:
            return value
        return SEALED + self.key.wrap(value, label)

    def open(self, stored: bytes, label: str) -> bytes:
        if not stored.startswith(SEALED):
            return stored
        if self.key is None:
            raise SecretsLocked(
                f"the fleet database's secrets are sealed ({label}); give the secrets key: "
                f"--secrets-key FILE or {ENV}=FILE"
            )
        try:
            return self.key.unwrap(stored[len(SEALED) :], label)
        except CryptoError:
            raise SecretsLocked(
                f"{label} does not open with the secrets key {self.where}; give the key it was "
                "sealed with"
            ) from None


def data_key_label(kiosk_id: str) -> str:
    return f"fleet data key of kiosk {kiosk_id}"


def server_key_label(name: str) -> str:
    return f"fleet server key {name}"


def load_secrets(path: str | None = None) -> FleetSecrets:
    """The secrets key from `path` or `KIOSK_FLEET_SECRETS_KEY` (made, mode 0600, when the file
    does not exist yet); none given: secrets are kept unsealed. Raises `CryptoError` (one line)
    for a key file that cannot be used."""
    given = path or os.environ.get(ENV, "")
    if not given:
        return FleetSecrets()
    file = Path(given)
    key = FileMachineKey.load(file) if file.exists() else FileMachineKey.create(file)
    return FleetSecrets(key, str(file))


def seal_and_check(db: object) -> int:
    """Open every stored secret (a locked one raises `SecretsLocked` now, not at a kiosk's key
    release); with a secrets key, seal those still plain. Returns how many were sealed."""
    from kiosk.fleet_server.db import FleetDb
    from kiosk.fleet_server.models import Kiosk, ServerKey

    assert isinstance(db, FleetDb)
    secrets, sealed = db.secrets, 0
    with db.session() as session:
        for server_key in session.scalars(select(ServerKey)):
            label = server_key_label(server_key.name)
            plain = secrets.open(server_key.private_raw, label)
            if secrets.sealing and not server_key.private_raw.startswith(SEALED):
                server_key.private_raw, sealed = secrets.seal(plain, label), sealed + 1
        for kiosk in session.scalars(select(Kiosk).where(Kiosk.data_key.is_not(None))):
            assert kiosk.data_key is not None
            label = data_key_label(kiosk.kiosk_id)
            plain = secrets.open(kiosk.data_key, label)
            if secrets.sealing and not kiosk.data_key.startswith(SEALED):
                kiosk.data_key, sealed = secrets.seal(plain, label), sealed + 1
    return sealed
