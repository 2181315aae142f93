"""Chip Authentication version 1 with ECDH (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4).

The reader sends an ephemeral public key on the chip's CA domain parameters; both sides derive
new session keys from the shared secret and secure messaging restarts (SSC 0). The chip proves it
holds the private key of DG14 by answering the next protected command with a valid MAC.

Commands (ICAO 9303-11 §6.2.4): 3DES uses MSE:Set KAT (`22 41 A6`, ephemeral key in DO'91', key ID
in DO'84'), the chip switching keys after its answer; AES uses MSE:Set AT (`22 41 A4`, protocol
OID in DO'80', key ID in DO'84') then GENERAL AUTHENTICATE with the ephemeral key in `7C { 80 }`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.asn1 import encode_oid_value
from devices.card.ec import Curve
from devices.card.errors import ParseError, ProtocolError
from devices.card.exchange import Exchange
from devices.card.kdf import ENC, MAC, derive_key
from devices.card.pace import random_scalar
from devices.card.public_keys import load_public_key
from devices.card.secure_messaging import SecureMessaging
from devices.card.security_infos import (
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfos,
)
from devices.card.tlv import encode_tlv

SUPPORTED_CIPHERS = ("3DES", "AES128", "AES192", "AES256")


class ChipAuthUnsupported(ProtocolError):
    """The card offers chip authentication in a form this reader does not implement."""

    code = "card_protocol"


@dataclass(frozen=True)
class CaChoice:
    info: ChipAuthenticationInfo
    key: ChipAuthenticationPublicKeyInfo


def chip_key(info: ChipAuthenticationPublicKeyInfo) -> tuple[Curve, tuple[int, int]]:
    """The chip's static CA key: its curve and point, with named or explicit parameters.

    Explicit parameters equal to a standard curve come back as that curve (OpenSSL does the ECDH
    when it has it); any other prime curve keeps its own parameters and `devices.card.ec` does the
    arithmetic, as it does for PACE's mapped generators."""
    try:
        key = load_public_key(info.subject_public_key_info)
    except ParseError as exc:  # KeyUnsupported included: DH keys, binary curves, …
        raise ChipAuthUnsupported(f"chip authentication key does not load: {exc}") from exc
    if key.algorithm != "EC" or key.curve is None or key.point is None:
        raise ChipAuthUnsupported("only ECDH chip authentication is supported")
    return key.curve, key.point


def choose_chip_authentication(infos: SecurityInfos) -> CaChoice:
    """The (protocol, key) pair to run, matched by key ID when DG14 holds several keys
    (ICAO 9303-11 §9.2.5: keyId is required when more than one key is present).

    Raises ChipAuthUnsupported when no advertised pair is one we implement.
    """
    keys = infos.chip_authentication_keys
    reasons: list[str] = []
    for info in infos.chip_authentication:
        if info.key_agreement != "ECDH" or info.cipher not in SUPPORTED_CIPHERS:
            reasons.append(f"{info.protocol} is not implemented")
            continue
        if info.key_id is not None:
            matching = [k for k in keys if k.key_id == info.key_id]
        elif len(keys) == 1:
            matching = keys
        else:  # no key ID on the protocol: a key without an ID, else ambiguous
            matching = [k for k in keys if k.key_id is None][:1]
        if not matching:
            reasons.append(f"no DG14 key matches key ID {info.key_id}")
            continue
        try:
            chip_key(matching[0])
        except ChipAuthUnsupported as exc:
            reasons.append(str(exc))
            continue
        return CaChoice(info, matching[0])
    if not infos.chip_authentication and len(keys) == 1:  # CA v1 may omit ChipAuthenticationInfo
        chip_key(keys[0])
        return CaChoice(
            ChipAuthenticationInfo(_default_protocol(keys[0]), 1, keys[0].key_id), keys[0]
        )
    raise ChipAuthUnsupported("; ".join(reasons) or "DG14 offers no usable chip authentication")


def _default_protocol(key: ChipAuthenticationPublicKeyInfo) -> str:
    """Without a ChipAuthenticationInfo, CA v1 means 3DES (ICAO 9303-11 §9.2.5)."""
    agreement = key.protocol.rsplit(".", 1)[-1]  # id-PK-DH = .1, id-PK-ECDH = .2
    return f"0.4.0.127.0.7.2.2.3.{agreement}.1"


def chip_authentication(
    info: ChipAuthenticationInfo,
    key_info: ChipAuthenticationPublicKeyInfo,
    random: Callable[[int], bytes] = os.urandom,
) -> Exchange[SecureMessaging]:
    """CA over the current SM session (the caller protects the commands); returns the new one.

    Raises ChipAuthUnsupported before any command for what we do not implement; the card's
    refusals raise their typed status-word errors.
    """
    if info.key_agreement != "ECDH" or info.cipher not in SUPPORTED_CIPHERS:
        raise ChipAuthUnsupported(f"chip authentication {info.protocol} is not supported")
    curve, public = chip_key(key_info)
    secret_key = random_scalar(curve, random)
    ephemeral = curve.encode_point(curve.multiply_generator(secret_key))
    key_id = b""
    if key_info.key_id is not None:
        key_id = encode_tlv(0x84, _key_id_bytes(key_info.key_id))
    if info.cipher == "3DES":
        kat = CommandAPDU(0x00, 0x22, 0x41, 0xA6, encode_tlv(0x91, ephemeral) + key_id)
        ResponseAPDU.decode((yield kat.encode())).check()
    else:
        data = encode_tlv(0x80, encode_oid_value(info.protocol)) + key_id
        ResponseAPDU.decode((yield CommandAPDU(0x00, 0x22, 0x41, 0xA4, data).encode())).check()
        body = encode_tlv(0x7C, encode_tlv(0x80, ephemeral))
        command = CommandAPDU(0x00, 0x86, 0x00, 0x00, body, le=256)
        ResponseAPDU.decode((yield command.encode())).check()
    secret = curve.shared_x(secret_key, public)
    cipher = info.cipher
    return SecureMessaging(
        derive_key(secret, ENC, cipher), derive_key(secret, MAC, cipher), 0, cipher
    )


def _key_id_bytes(key_id: int) -> bytes:
    """keyId is an INTEGER; DO'84' carries it as unsigned big-endian, at least one byte."""
    return key_id.to_bytes(max(1, (key_id.bit_length() + 7) // 8), "big")
