"""Typed errors of encryption at rest. Messages never contain key material or personal data."""

from __future__ import annotations


class CryptoError(Exception):
    """Base class: something about keys or sealed data is wrong."""

    code = "keys_unavailable"


class MachineKeyError(CryptoError):
    """The machine key cannot be used."""


class MachineKeyMissing(MachineKeyError):
    """Sealed data or a keyring exists but the machine key that wraps it is gone."""


class MachineKeyInsecure(MachineKeyError):
    """The machine key file is readable by other users or owned by someone else."""


class Tpm2Error(MachineKeyError):
    """The TPM (or its tools) would not seal or unseal the machine key: no TPM, another TPM than
    the one it was sealed to, or tpm2-tools missing."""

    code = "machine_key_tpm"


class KeyringError(CryptoError):
    """The keyring file is unreadable, malformed, or was wrapped by another machine key."""


class SealError(CryptoError):
    """A sealed value cannot be opened."""


class SealedDataCorrupt(SealError):
    """The sealed value was changed, truncated, or sealed for another purpose (AAD mismatch)."""


class UnknownDataKey(SealError):
    """The sealed value names a data key the keyring does not hold (rotated away or foreign)."""
