"""Chip Authentication version 1 with ECDH (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4).

The reader sends an ephemeral public key on the chip's CA domain parameters; both sides derive
new session keys from the shared secret and secure messaging restarts (SSC 0). The chip proves it
holds the private key of DG14 by answering the next protected command with a valid MAC.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.asn1 import encode_oid_value
from devices.card.ec import STANDARDIZED_CURVES, Curve
from devices.card.errors import ProtocolError
from devices.card.exchange import Exchange
from devices.card.kdf import ENC, MAC, derive_key
from devices.card.pace import random_scalar
from devices.card.secure_messaging import SecureMessaging
from devices.card.security_infos import ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo
from devices.card.tlv import encode_tlv

_BY_NAME = {curve.name: curve for curve in STANDARDIZED_CURVES.values()}


def chip_key(info: ChipAuthenticationPublicKeyInfo) -> tuple[Curve, tuple[int, int]]:
    """The chip's static CA key on one of the standardized named curves."""
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        key = load_der_public_key(info.subject_public_key_info)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ProtocolError(f"chip authentication key does not load: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ProtocolError("only ECDH chip authentication is supported")
    curve = _BY_NAME.get(key.curve.name)
    if curve is None:
        raise ProtocolError(f"chip authentication curve {key.curve.name} is not supported")
    numbers = key.public_numbers()
    return curve, (numbers.x, numbers.y)


def chip_authentication(
    info: ChipAuthenticationInfo,
    key_info: ChipAuthenticationPublicKeyInfo,
    random: Callable[[int], bytes] = os.urandom,
) -> Exchange[SecureMessaging]:
    """CA over the current SM session (the caller protects the commands); returns the new one."""
    if info.key_agreement != "ECDH" or info.cipher == "unknown":
        raise ProtocolError(f"chip authentication {info.protocol} is not supported")
    curve, public = chip_key(key_info)
    secret_key = random_scalar(curve, random)
    ephemeral = curve.encode_point(curve.multiply_generator(secret_key))
    data = encode_tlv(0x80, encode_oid_value(info.protocol))
    if key_info.key_id is not None:
        data += encode_tlv(0x84, key_info.key_id.to_bytes(1, "big"))
    ResponseAPDU.decode((yield CommandAPDU(0x00, 0x22, 0x41, 0xA4, data).encode())).check()
    body = encode_tlv(0x7C, encode_tlv(0x80, ephemeral))
    ResponseAPDU.decode((yield CommandAPDU(0x00, 0x86, 0x00, 0x00, body, le=256).encode())).check()
    secret = curve.shared_x(secret_key, public)
    cipher = info.cipher
    return SecureMessaging(
        derive_key(secret, ENC, cipher), derive_key(secret, MAC, cipher), 0, cipher
    )
