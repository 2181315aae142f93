"""PACE (ICAO 9303-11 §4.4), reader side as a sans-I/O step: ECDH and DH with generic mapping,
integrated mapping and (ECDH) chip authentication mapping.

Steps (§4.4.4): MSE:Set AT selects protocol, password and, when asked, the domain parameters
(`84`); GENERAL AUTHENTICATE ×4 (chained, CLA 10 for the first three): encrypted nonce, mapping
data, ephemeral keys, authentication tokens (PACE-CAM adds the encrypted chip authentication data,
§4.4.3.5).
Worked examples: Appendix G (GM), H (IM), I (CAM), in test_pace_worked_examples.py.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Generator
from dataclasses import dataclass

from devices.card import ciphers
from devices.card.access_key import CanKey, MrzKey, pace_password
from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.asn1 import encode_oid_value
from devices.card.dh import STANDARDIZED_GROUPS
from devices.card.ec import STANDARDIZED_CURVES, Curve, Point
from devices.card.errors import AuthenticationFailed, CardError, ProtocolError
from devices.card.exchange import Exchange
from devices.card.kdf import ENC, MAC, PACE_PASSWORD, derive_key
from devices.card.pace_mapping import (
    KEY_BYTES,
    DhPaceGroup,
    EcGroup,
    PaceGroup,
    pseudo_random,
)
from devices.card.secure_messaging import SecureMessaging
from devices.card.security_infos import PaceInfo
from devices.card.tlv import TLV, encode_tlv, parse_one

Random = Callable[[int], bytes]
SUPPORTED_MAPPINGS = {"ECDH-GM", "ECDH-IM", "DH-GM", "DH-IM", "ECDH-CAM"}
SW_WRONG_DATA = 0x6A80


@dataclass(frozen=True)
class PaceParameters:
    protocol: str
    mapping: str  # ECDH-GM | ECDH-IM | DH-GM | DH-IM | ECDH-CAM
    cipher: str  # 3DES, AES128, AES192, AES256
    parameter_id: int

    @property
    def sm_cipher(self) -> str:
        return self.cipher

    @property
    def group(self) -> PaceGroup:
        """The standardized group with its standard generator (before mapping)."""
        if self.mapping.startswith("DH"):
            return DhPaceGroup.standard(STANDARDIZED_GROUPS[self.parameter_id])
        return EcGroup.standard(STANDARDIZED_CURVES[self.parameter_id])

    @property
    def curve(self) -> Curve:
        if self.mapping.startswith("DH"):
            raise ProtocolError(f"{self.protocol} is DH, it has no curve")
        return STANDARDIZED_CURVES[self.parameter_id]

    @property
    def integrated(self) -> bool:
        return self.mapping.endswith("-IM")

    @property
    def chip_authentication_mapping(self) -> bool:
        return self.mapping == "ECDH-CAM"

    @classmethod
    def from_info(cls, info: PaceInfo) -> PaceParameters:
        mapping = info.mapping
        if mapping not in SUPPORTED_MAPPINGS:
            raise ProtocolError(f"PACE mapping {mapping} is not supported")
        if info.cipher == "unknown":
            raise ProtocolError(f"PACE protocol {info.protocol} has an unknown cipher")
        if mapping == "ECDH-CAM" and info.cipher == "3DES":
            raise ProtocolError("PACE-CAM is defined for AES only (§4.4.3.2 Table 3)")
        table: dict[int, object] = dict(
            STANDARDIZED_GROUPS if mapping.startswith("DH") else STANDARDIZED_CURVES
        )
        if info.parameter_id is None or info.parameter_id not in table:
            raise ProtocolError(f"PACE domain parameter {info.parameter_id} is not supported")
        return cls(info.protocol, mapping, info.cipher, info.parameter_id)


def supported(info: PaceInfo) -> bool:
    try:
        PaceParameters.from_info(info)
    except ProtocolError:
        return False
    return True


@dataclass(frozen=True)
class CamEvidence:
    """What PACE-CAM leaves to check once EF.CardSecurity is read (§4.4.3.5.2)."""

    curve: Curve
    pk_map_ic: tuple[int, int]
    ca_data: int  # CA_IC = SK_IC⁻¹ · SK_map,IC mod n

    def proves(self, chip_public_key: tuple[int, int]) -> bool:
        """PK_map,IC = KA(CA_IC, PK_IC): the chip knows the private key of PK_IC."""
        return self.curve.multiply(self.ca_data, chip_public_key) == self.pk_map_ic


@dataclass(frozen=True)
class PaceOutcome:
    sm: SecureMessaging
    parameter_id_sent: bool  # whether MSE:Set AT carried `84` in the variant the chip accepted
    cam: CamEvidence | None = None


def random_scalar(curve: Curve | PaceGroup, random: Random) -> int:
    """A private key in [1, n-1] (n the group order) by rejection sampling."""
    order = curve.n if isinstance(curve, Curve) else curve.order
    while True:
        candidate = int.from_bytes(random(curve.order_byte_length), "big")
        if 0 < candidate < order:
            return candidate


def key_from_password(password: bytes, cipher: str) -> bytes:
    return derive_key(password, PACE_PASSWORD, cipher)


def mapped_generator(curve: Curve, nonce: bytes, h: Point) -> Point:
    """G' = s·G + H (§4.4.3.3.1)."""
    if h is None:
        raise AuthenticationFailed("PACE mapping produced the point at infinity")
    return curve.add(curve.multiply_generator(int.from_bytes(nonce, "big")), h)


def auth_token(params: PaceParameters, ks_mac: bytes, public_key: bytes) -> bytes:
    """T = MAC(KS_mac, 7F49 {06 OID, 86 point | 84 DH value}) (§4.4.3.4, §9.4)."""
    data = encode_tlv(
        0x7F49,
        encode_tlv(0x06, encode_oid_value(params.protocol))
        + encode_tlv(params.group.public_key_tag, public_key),
    )
    return ciphers.mac8(_block_cipher(params), ks_mac, data)


def _block_cipher(params: PaceParameters) -> str:
    return ciphers.TDES if params.cipher == "3DES" else ciphers.AES


def cam_iv(ks_enc: bytes) -> bytes:
    """IV = E(KS_enc, -1), -1 the 128-bit string of ones (§4.4.3.5.4)."""
    return ciphers.aes_ecb_encrypt(ks_enc, b"\xff" * 16)


def encrypt_chip_authentication_data(ks_enc: bytes, ca_data: int, size: int) -> bytes:
    plain = ciphers.pad(ca_data.to_bytes(size, "big"), 16)
    return ciphers.aes_encrypt(ks_enc, plain, cam_iv(ks_enc))


def decrypt_chip_authentication_data(ks_enc: bytes, encrypted: bytes) -> int:
    if not encrypted or len(encrypted) % 16:
        raise ProtocolError("encrypted chip authentication data is not whole AES blocks")
    plain = ciphers.unpad(ciphers.aes_decrypt(ks_enc, encrypted, cam_iv(ks_enc)))
    return int.from_bytes(plain, "big")


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


def dynamic_template(response: bytes) -> TLV:
    """The 7C dynamic authentication data of a GENERAL AUTHENTICATE answer."""
    data = ResponseAPDU.decode(response).check().data
    outer = parse_one(data)
    if outer.tag != 0x7C:
        raise ProtocolError("GENERAL AUTHENTICATE answer is not a 7C template")
    return outer


def dynamic_object(response: bytes, expected_tag: int) -> bytes:
    """The value of `expected_tag` inside the 7C dynamic authentication data of a response."""
    inner: TLV | None = dynamic_template(response).find(expected_tag)
    if inner is None:
        raise ProtocolError(f"GENERAL AUTHENTICATE answer lacks tag {expected_tag:02X}")
    return inner.value


def _set_at(
    params: PaceParameters, reference: int, send_parameter_id: bool
) -> Generator[bytes, bytes, bool]:
    """MSE:Set AT; a chip that answers 6A80 gets the other variant (with / without `84`)."""
    answer = ResponseAPDU.decode(
        (
            yield mse_set_at(
                params, reference, params.parameter_id if send_parameter_id else None
            ).encode()
        )
    )
    if answer.sw == SW_WRONG_DATA:
        send_parameter_id = not send_parameter_id
        chosen = params.parameter_id if send_parameter_id else None
        answer = ResponseAPDU.decode((yield mse_set_at(params, reference, chosen).encode()))
    if answer.sw >> 4 != 0x63C or answer.sw & 0xF == 0:  # 63Cx (x>0) is only a retry warning
        answer.check()
    return send_parameter_id


def pace_session(
    key: MrzKey | CanKey,
    info: PaceInfo,
    random: Random = os.urandom,
    *,
    send_parameter_id: bool = False,
) -> Exchange[PaceOutcome]:
    """Run PACE with a CAN or MRZ password; the outcome carries the session (SSC 0)."""
    params = PaceParameters.from_info(info)
    group = params.group
    password, reference = pace_password(key)
    k_pi = key_from_password(password, params.cipher)
    sent_id = yield from _set_at(params, reference, send_parameter_id)

    z = dynamic_object((yield general_authenticate(0, b"", last=False)), 0x80)
    nonce = ciphers.decrypt(_block_cipher(params), k_pi, z)

    pk_map_ic = b""
    sk_map = 0
    if params.integrated:
        t = random(KEY_BYTES[params.cipher])
        dynamic_template((yield general_authenticate(0x81, t, last=False)))
        mapped = group.integrated_map(pseudo_random(nonce, t, params.cipher, group.modulus))
    else:
        sk_map = random_scalar(group, random)
        pk_map = group.public(sk_map)
        pk_map_ic = dynamic_object((yield general_authenticate(0x81, pk_map, last=False)), 0x82)
        if pk_map_ic == pk_map:
            raise AuthenticationFailed("the chip echoed our mapping key")
        mapped = group.generic_map(nonce, sk_map, pk_map_ic)

    sk_eph = random_scalar(mapped, random)
    pk_pcd = mapped.public(sk_eph)
    pk_ic = dynamic_object((yield general_authenticate(0x83, pk_pcd, last=False)), 0x84)
    if pk_ic == pk_pcd:
        raise AuthenticationFailed("the chip echoed our ephemeral key")
    secret = mapped.agree(sk_eph, pk_ic)
    ks_enc = derive_key(secret, ENC, params.cipher)
    ks_mac = derive_key(secret, MAC, params.cipher)

    t_pcd = auth_token(params, ks_mac, pk_ic)
    final = dynamic_template((yield general_authenticate(0x85, t_pcd, last=True)))
    t_ic = final.find(0x86)
    if t_ic is None or not hmac.compare_digest(t_ic.value, auth_token(params, ks_mac, pk_pcd)):
        raise AuthenticationFailed("the chip's PACE authentication token does not verify")
    cam = None
    if params.chip_authentication_mapping:
        cam = _cam_evidence(params, ks_enc, final, pk_map_ic)
    sm = SecureMessaging(ks_enc, ks_mac, 0, params.sm_cipher)
    return PaceOutcome(sm, sent_id, cam)


def _cam_evidence(
    params: PaceParameters, ks_enc: bytes, final: TLV, pk_map_ic: bytes
) -> CamEvidence:
    encrypted = final.find(0x8A)
    if encrypted is None:
        raise ProtocolError("PACE-CAM answer lacks the encrypted chip authentication data (8A)")
    curve = params.curve
    try:
        ca_data = decrypt_chip_authentication_data(ks_enc, encrypted.value)
    except CardError as exc:
        raise ProtocolError(f"chip authentication data does not decrypt: {exc}") from exc
    return CamEvidence(curve, curve.decode_point(pk_map_ic), ca_data)


def pace(
    key: MrzKey | CanKey,
    info: PaceInfo,
    random: Random = os.urandom,
    *,
    send_parameter_id: bool = False,
) -> Exchange[SecureMessaging]:
    """Run PACE with a CAN or MRZ password; returns the secure messaging session (SSC 0)."""
    outcome = yield from pace_session(key, info, random, send_parameter_id=send_parameter_id)
    return outcome.sm
