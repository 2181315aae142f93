"""Encryption at rest.

A machine key (a root-only key file on Linux, DPAPI on Windows) wraps the keyring's keys: the
current data key (AES-256-GCM), older data keys until a rotation has re-wrapped everything, the
lookup key (keyed hash of ID numbers) and the audit-anchor key. `Sealer` seals personal data with
a fresh per-blob key wrapped by the current data key, so a rotation re-wraps 60 bytes per blob and
never needs to know what the blob is.
"""

from kiosk.crypto.errors import (
    KeyringError,
    MachineKeyError,
    MachineKeyInsecure,
    MachineKeyMissing,
    SealedDataCorrupt,
    SealError,
    UnknownDataKey,
)
from kiosk.crypto.sealer import Sealer, open_sealer

__all__ = [
    "KeyringError",
    "MachineKeyError",
    "MachineKeyInsecure",
    "MachineKeyMissing",
    "SealError",
    "SealedDataCorrupt",
    "Sealer",
    "UnknownDataKey",
    "open_sealer",
]
