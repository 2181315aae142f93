"""PACE (ICAO 9303-11 §4.4) with ECDH generic mapping, reader side as a sans-I/O step.

Steps (§4.4.4): MSE:Set AT selects protocol and password; GENERAL AUTHENTICATE ×4 (chained, CLA
10 for the first three): encrypted nonce, mapping keys, ephemeral keys, authentication tokens.
Generic mapping: G' = s·G + H, H = SK_map·PK_map(chip) (§4.4.3.3.1). Worked example: Appendix G.1.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from devices.card import ciphers
from devices.card.access_key import CanKey, MrzKey, pace_password
from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.asn1 import encode_oid_value
from devices.card.ec import STANDARDIZED_CURVES, Curve, Point
from devices.card.errors import AuthenticationFailed, ProtocolError
from devices.card.exchange import Exchange
from devices.card.kdf import ENC, MAC, PACE_PASSWORD, derive_key
from devices.card.secure_messaging import SecureMessaging
from devices.card.security_infos import PaceInfo
from devices.card.tlv import TLV, encode_tlv, parse_one

Random = Callable[[int], bytes]
SUPPORTED_MAPPINGS = {"ECDH-GM"}


@dataclass(frozen=True)
class PaceParameters:
    protocol: str
    curve: Curve
    cipher: str  # 3DES, AES128, AES192, AES256

    @property
    def sm_cipher(self) -> str:
        return "3DES" if self.cipher == "3DES" else self.cipher

    @classmethod
    def from_info(cls, info: PaceInfo) -> PaceParameters:
        if info.mapping not in SUPPORTED_MAPPINGS:
            raise ProtocolError(f"PACE mapping {info.mapping} is not supported")
        if info.parameter_id not in STANDARDIZED_CURVES:
            raise ProtocolError(f"PACE domain parameter {info.parameter_id} is not supported")
        if info.cipher == "unknown":
            raise ProtocolError(f"PACE protocol {info.protocol} has an unknown cipher")
        return cls(info.protocol, STANDARDIZED_CURVES[info.parameter_id], info.cipher)


def random_scalar(curve: Curve, random: Random) -> int:
    """A private key in [1, n-1] by rejection sampling."""
    while True:
        candidate = int.from_bytes(random(curve.order_byte_length), "big")
        if 0 < candidate < curve.n:
            return candidate


def key_from_password(password: bytes, cipher: str) -> bytes:
    return derive_key(password, PACE_PASSWORD, cipher)


def mapped_generator(curve: Curve, nonce: bytes, h: Point) -> Point:
    """G' = s·G + H (§4.4.3.3.1)."""
    if h is None:
        raise AuthenticationFailed("PACE mapping produced the point at infinity")
    return curve.add(curve.multiply_generator(int.from_bytes(nonce, "big")), h)


def auth_token(params: PaceParameters, ks_mac: bytes, public_key: bytes) -> bytes:
    """T = MAC(KS_mac, public key data object 7F49 {06 OID, 86 point}) (§4.4.3.4)."""
    data = encode_tlv(
        0x7F49, encode_tlv(0x06, encode_oid_value(params.protocol)) + encode_tlv(0x86, public_key)
    )
    return ciphers.mac8(_mac_cipher(params), ks_mac, data)


def _mac_cipher(params: PaceParameters) -> str:
    return ciphers.TDES if params.cipher == "3DES" else ciphers.AES


def mse_set_at(params: PaceParameters, password_ref: int, parameter_id: int | None) -> CommandAPDU:
    data = encode_tlv(0x80, encode_oid_value(params.protocol)) + encode_tlv(
        0x83, bytes((password_ref,))
    )
    if parameter_id is not None:
        data += encode_tlv(0x84, bytes((parameter_id,)))
    return CommandAPDU(0x00, 0x22, 0xC1, 0xA4, data)


def general_authenticate(tag: int, value: bytes, last: bool) -> bytes:
    body = encode_tlv(0x7C, encode_tlv(tag, value) if tag else b"")
    return CommandAPDU(0x00 if last else 0x10, 0x86, 0x00, 0x00, body, le=256).encode()


def dynamic_object(response: bytes, expected_tag: int) -> bytes:
    """The value of `expected_tag` inside the 7C dynamic authentication data of a response."""
    data = ResponseAPDU.decode(response).check().data
    outer = parse_one(data)
    if outer.tag != 0x7C:
        raise ProtocolError("GENERAL AUTHENTICATE answer is not a 7C template")
    inner: TLV | None = outer.find(expected_tag)
    if inner is None:
        raise ProtocolError(f"GENERAL AUTHENTICATE answer lacks tag {expected_tag:02X}")
    return inner.value


def pace(
    key: MrzKey | CanKey,
    info: PaceInfo,
    random: Random = os.urandom,
    *,
    send_parameter_id: bool = False,
) -> Exchange[SecureMessaging]:
    """Run PACE with a CAN or MRZ password; returns the secure messaging session (SSC 0)."""
    params = PaceParameters.from_info(info)
    curve = params.curve
    password, reference = pace_password(key)
    k_pi = key_from_password(password, params.cipher)

    set_at = mse_set_at(params, reference, info.parameter_id if send_parameter_id else None)
    answer = ResponseAPDU.decode((yield set_at.encode()))
    if answer.sw >> 4 != 0x63C or answer.sw & 0xF == 0:  # 63Cx (x>0) is only a retry warning
        answer.check()

    z = dynamic_object((yield general_authenticate(0, b"", last=False)), 0x80)
    nonce = ciphers.decrypt(_mac_cipher(params), k_pi, z)

    sk_map = random_scalar(curve, random)
    pk_map = curve.encode_point(curve.multiply_generator(sk_map))
    pk_map_ic = curve.decode_point(
        dynamic_object((yield general_authenticate(0x81, pk_map, last=False)), 0x82)
    )
    generator = mapped_generator(curve, nonce, curve.multiply(sk_map, pk_map_ic))

    sk_eph = random_scalar(curve, random)
    pk_pcd = curve.encode_point(curve.multiply(sk_eph, generator))
    pk_ic_raw = dynamic_object((yield general_authenticate(0x83, pk_pcd, last=False)), 0x84)
    pk_ic = curve.decode_point(pk_ic_raw)
    if curve.encode_point(pk_ic) == pk_pcd:
        raise AuthenticationFailed("the chip echoed our ephemeral key")
    secret = curve.shared_x(sk_eph, pk_ic)
    ks_enc = derive_key(secret, ENC, params.cipher)
    ks_mac = derive_key(secret, MAC, params.cipher)

    t_pcd = auth_token(params, ks_mac, curve.encode_point(pk_ic))
    t_ic = dynamic_object((yield general_authenticate(0x85, t_pcd, last=True)), 0x86)
    if not hmac.compare_digest(t_ic, auth_token(params, ks_mac, pk_pcd)):
        raise AuthenticationFailed("the chip's PACE authentication token does not verify")
    return SecureMessaging(ks_enc, ks_mac, 0, params.sm_cipher)
