"""The card side of ICAO 9303 in software: file system, BAC, PACE (ECDH/DH GM and IM, PACE-CAM),
secure messaging, Active and Chip Authentication — answering real APDUs from a `CardProfile`.

Behaviour follows what readers meet on the CCCD: SELECT MF is refused (6D00), EF.CardAccess is
selectable at power-on, DG3 answers 6982, absent files 6A82, under short-length secure messaging
a READ BINARY whose protected answer would not fit answers 6700. What other issuers' chips do is
in the profile: READ BINARY B1 with DO'54' offsets, 3DES chip authentication by MSE:Set KAT,
several CA keys chosen by key ID, AA with every ISO 9796-2 trailer or ECDSA, status words answered
without secure messaging, and faults (6A80 to chip authentication).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card import ciphers
from devices.card.access_key import PACE_CAN, PACE_MRZ
from devices.card.active_auth import sign_ecdsa_plain, sign_iso9796_2
from devices.card.apdu import (
    INS_READ_BINARY_ODD,
    CommandAPDU,
    odd_read_capacity,
    offset_of,
)
from devices.card.asn1 import decode_oid
from devices.card.bac import chip_answer
from devices.card.ec import STANDARDIZED_CURVES, Curve
from devices.card.errors import CardError, SecureMessagingError
from devices.card.kdf import ENC, MAC, derive_key
from devices.card.lds import EF_CARD_ACCESS, FILES, LDS1_AID
from devices.card.pace import (
    PaceParameters,
    auth_token,
    encrypt_chip_authentication_data,
    key_from_password,
    random_scalar,
)
from devices.card.pace_mapping import KEY_BYTES, PaceGroup, pseudo_random
from devices.card.secure_messaging import SecureMessaging
from devices.card.security_infos import CIPHERS, EF_CARD_SECURITY, parse_security_infos
from devices.card.simulator.profile import CardProfile
from devices.card.tlv import encode_tlv, iter_tlv, parse_one

OK = 0x9000
_SFI_TO_FID = {f.sfi: f.fid for f in FILES}


@dataclass
class _Pace:
    params: PaceParameters
    k_pi: bytes
    nonce: bytes = b""
    group: PaceGroup | None = None  # after mapping: the group with the mapped generator
    map_key: int = 0
    secret_key: int = 0
    public_key: bytes = b""
    pcd_key: bytes = b""
    ks_enc: bytes = b""
    ks_mac: bytes = b""
    step: int = 0


class SimulatedChip:
    """Implements `transports.simulated.ChipSide`."""

    def __init__(self, profile: CardProfile, random: Callable[[int], bytes] = os.urandom) -> None:
        self.profile = profile
        self.random = random
        self.commands = 0
        self.power_on()

    def power_on(self) -> None:
        self.applet = False
        self.sm: SecureMessaging | None = None
        self.current: int | None = None
        self.in_master_file = False  # the current EF is EF.CardSecurity in the MF
        self.challenge: bytes | None = None
        self.pace_state: _Pace | None = None
        self.ca_protocol: str | None = None
        self.ca_key_id: int | None = None
        self._ca_next: SecureMessaging | None = None

    # --- dispatch -----------------------------------------------------------------------------

    def process(self, raw: bytes) -> bytes:
        self.commands += 1
        try:
            command = CommandAPDU.decode(raw)
        except CardError:
            return _sw(0x6700)
        if command.cla & 0x0C:
            return self._process_protected(raw)
        if self.sm is not None:  # a plain command ends the secure messaging session
            self.sm = None
        data, sw = self._dispatch(command, protected=False, extended=command.extended)
        return data + _sw(sw)

    def _process_protected(self, raw: bytes) -> bytes:
        sm = self.sm
        if sm is None:
            return _sw(0x6987)
        try:
            command = sm.unprotect_command(raw)
        except SecureMessagingError as exc:
            self.sm = None
            return _sw(exc.sw)
        extended = CommandAPDU.decode(raw).extended
        bare = self._bare_answer(command)
        if bare is not None:  # answered without secure messaging; the session goes on
            return _sw(bare)
        data, sw = self._dispatch(command, protected=True, extended=extended)
        if not extended and sm.response_length(len(data)) - 2 > 256:
            data, sw = b"", 0x6700  # the protected answer would not fit a short response
        answer = sm.protect_response(data, sw, odd=bool(command.ins & 1))
        if self._ca_next is not None:  # chip authentication: new keys from the next command on
            self.sm, self._ca_next, self.ca_protocol = self._ca_next, None, None
        return answer

    def _dispatch(self, c: CommandAPDU, *, protected: bool, extended: bool) -> tuple[bytes, int]:
        if extended and not self.profile.extended_length:
            return b"", 0x6700
        handler = {
            0xA4: self._select,
            0xB0: self._read_binary,
            0xB1: self._read_binary,
            0x84: self._get_challenge,
            0x82: self._external_authenticate,
            0x22: self._manage_security_environment,
            0x86: self._general_authenticate,
            0x88: self._internal_authenticate,
        }.get(c.ins)
        if handler is None:
            return b"", 0x6D00
        return handler(c, protected)

    # --- files --------------------------------------------------------------------------------

    def _select(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        if c.p1 == 0x04:
            if c.data == LDS1_AID:
                self.applet = True
                self.current = None
                return b"", OK
            return b"", 0x6A82
        if c.p1 == 0x00 and c.data in (b"", b"\x3f\x00"):
            return (b"", 0x6D00) if self.profile.refuse_select_mf else (b"", OK)
        if c.p1 in (0x00, 0x02) and len(c.data) == 2:
            return b"", self._select_fid(int.from_bytes(c.data, "big"), protected)
        return b"", 0x6A86

    def _select_fid(self, fid: int, protected: bool) -> int:
        self.in_master_file = False
        if fid == EF_CARD_SECURITY and not self.applet and self.profile.card_security:
            if not protected:
                return 0x6982
            self.current, self.in_master_file = fid, True
            return OK
        if fid == EF_CARD_ACCESS and not self.applet:
            if fid not in self.profile.files:
                return 0x6A82
            self.current = fid
            return OK
        if not self.applet:
            return 0x6A82
        if not protected:
            return 0x6982
        if fid in self.profile.protected_fids:
            return 0x6982
        if fid not in self.profile.files:
            return 0x6A82
        self.current = fid
        return OK

    def _bare_answer(self, c: CommandAPDU) -> int | None:
        """The profile's unprotected status word for a SELECT of this file, if any."""
        if c.ins == 0xA4 and c.p1 in (0x00, 0x02) and len(c.data) == 2:
            return self.profile.bare_sw.get(int.from_bytes(c.data, "big"))
        if c.ins == 0xB0 and c.p1 & 0x80:
            return self.profile.bare_sw.get(_SFI_TO_FID.get(c.p1 & 0x1F, -1))
        return None

    def _read_binary(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        if c.ins == INS_READ_BINARY_ODD:
            return self._read_binary_odd(c, protected)
        if c.p1 & 0x80:  # short EF identifier in P1, offset in P2
            fid = _SFI_TO_FID.get(c.p1 & 0x1F)
            if fid is None or not self.profile.sfi_reads:
                return b"", 0x6A82 if self.profile.sfi_reads else 0x6A81
            status = self._select_fid(fid, protected)
            if status != OK:
                return b"", status
            offset = c.p2
        else:
            offset = (c.p1 << 8) | c.p2
        if self.current is None:
            return b"", 0x6986
        if self.current != EF_CARD_ACCESS and not protected:
            return b"", 0x6982
        content = (
            self.profile.card_security or b""
            if self.in_master_file
            else self.profile.files[self.current]
        )
        wanted = c.le or 256
        if wanted > self.profile.max_response_data:
            return b"", 0x6700
        if offset > len(content):
            return b"", 0x6B00
        data = content[offset : offset + wanted]
        return data, OK if len(data) == wanted else 0x6282

    def _read_binary_odd(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        """B1 (ISO/IEC 7816-4 §11.2.3): P1-P2 0000 = current EF, offset DO'54', answer DO'53'."""
        if not self.profile.odd_read_binary:
            return b"", 0x6D00
        if (c.p1, c.p2) != (0, 0):
            return b"", 0x6A86
        try:
            offset = offset_of(c)
        except CardError:
            return b"", 0x6A80
        if self.current is None:
            return b"", 0x6986
        if self.current != EF_CARD_ACCESS and not protected:
            return b"", 0x6982
        content = self.profile.files[self.current]
        wanted = c.le or 256
        if wanted > self.profile.max_response_data:
            return b"", 0x6700
        if offset > len(content):
            return b"", 0x6B00
        capacity = odd_read_capacity(wanted)
        data = content[offset : offset + capacity]
        return encode_tlv(0x53, data), OK if len(data) == capacity else 0x6282

    # --- BAC ----------------------------------------------------------------------------------

    def _get_challenge(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        if not self.profile.bac:
            return b"", 0x6D00
        self.challenge = self.random(8)
        return self.challenge, OK

    def _external_authenticate(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        if self.challenge is None or not self.applet:
            return b"", 0x6985
        k_ic = self.random(16)
        result = chip_answer(self.profile.mrz_information, self.challenge, c.data, k_ic)
        self.challenge = None
        if result is None:
            return b"", 0x6300
        answer, session = result
        self.sm = session
        return answer, OK

    # --- PACE (card side of §4.4) ------------------------------------------------------------

    def _manage_security_environment(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        try:
            objects = {e.tag: e.value for e in iter_tlv(c.data)}
        except CardError:
            return b"", 0x6A80
        if (c.p1, c.p2) in ((0x41, 0xA4), (0x41, 0xA6)):  # chip authentication: Set AT / KAT
            if not protected or self.profile.ca_key is None:
                return b"", 0x6982
            if self.profile.ca_error_sw:
                return b"", self.profile.ca_error_sw
            key_id = int.from_bytes(objects[0x84], "big") if 0x84 in objects else None
            if self._ca_key(key_id) is None:
                return b"", 0x6A88  # referenced data not found
            self.ca_key_id = key_id
            if c.p2 == 0xA6:  # KAT: the ephemeral key is here, the session switches after this
                return self._chip_authentication(objects.get(0x91, b""), "3DES")
            self.ca_protocol = decode_oid(objects.get(0x80, b"\x00"))
            return b"", OK
        if (c.p1, c.p2) != (0xC1, 0xA4) or not self.profile.pace:
            return b"", 0x6A86
        if self.profile.pace_refused:
            return b"", 0x6A80
        protocol = decode_oid(objects.get(0x80, b"\x00")) if 0x80 in objects else ""
        reference = objects.get(0x83, b"\x00")[0]
        infos = parse_security_infos(self.profile.files[EF_CARD_ACCESS])
        info = next((i for i in infos.pace if i.protocol == protocol), None)
        if info is None:
            return b"", 0x6A80
        if 0x84 in objects and objects[0x84] != bytes((info.parameter_id or 0,)):
            return b"", 0x6A88
        if self.profile.pace_needs_parameter_id and 0x84 not in objects:
            return b"", 0x6A80
        if reference == PACE_CAN and self.profile.can:
            password = self.profile.can.encode("ascii")
        elif reference == PACE_MRZ:
            import hashlib

            password = hashlib.sha1(self.profile.mrz_information.encode("ascii")).digest()
        else:
            return b"", 0x6A88
        params = PaceParameters.from_info(info)
        self.pace_state = _Pace(params, key_from_password(password, params.cipher))
        return b"", OK

    def _general_authenticate(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        if self.ca_protocol is not None and protected:
            return self._general_authenticate_ca(c)
        state = self.pace_state
        if state is None:
            return b"", 0x6985
        try:
            outer = parse_one(c.data)
            inner = {e.tag: e.value for e in outer.children()}
        except CardError:
            return b"", 0x6A80
        params = state.params
        cipher = ciphers.TDES if params.cipher == "3DES" else ciphers.AES
        try:
            if state.step == 0:
                state.nonce = self.random(_nonce_length(params))
                z = ciphers.encrypt(cipher, state.k_pi, state.nonce)
                state.step = 1
                return encode_tlv(0x7C, encode_tlv(0x80, z)), OK
            if state.step == 1:
                group = params.group
                state.step = 2
                if params.integrated:
                    value = pseudo_random(state.nonce, inner[0x81], params.cipher, group.modulus)
                    state.group = group.integrated_map(value)
                    return encode_tlv(0x7C, b""), OK
                state.map_key = random_scalar(group, self.random)
                state.group = group.generic_map(state.nonce, state.map_key, inner[0x81])
                return encode_tlv(0x7C, encode_tlv(0x82, group.public(state.map_key))), OK
            if state.step == 2:
                assert state.group is not None
                state.secret_key = random_scalar(state.group, self.random)
                state.public_key = state.group.public(state.secret_key)
                state.pcd_key = inner[0x83]
                secret = state.group.agree(state.secret_key, state.pcd_key)
                state.ks_enc = derive_key(secret, ENC, params.cipher)
                state.ks_mac = derive_key(secret, MAC, params.cipher)
                state.step = 3
                return encode_tlv(0x7C, encode_tlv(0x84, state.public_key)), OK
            expected = auth_token(params, state.ks_mac, state.public_key)
            if not hmac.compare_digest(inner.get(0x85, b""), expected):
                self.pace_state = None
                return b"", 0x6300
            answer = encode_tlv(0x86, auth_token(params, state.ks_mac, state.pcd_key))
            if params.chip_authentication_mapping:
                answer += encode_tlv(0x8A, self._chip_authentication_data(state))
            self.sm = SecureMessaging(state.ks_enc, state.ks_mac, 0, params.sm_cipher)
            self.pace_state = None
            return encode_tlv(0x7C, answer), OK
        except (KeyError, CardError):
            self.pace_state = None
            return b"", 0x6A80

    def _chip_authentication_data(self, state: _Pace) -> bytes:
        """A_IC = E(KS_enc, SK_IC⁻¹ · SK_map,IC mod n) (9303-11 §4.4.3.5.1)."""
        key = self.profile.ca_key
        if key is None:
            raise SecureMessagingError(0x6A80, "PACE-CAM needs the chip's static key")
        curve = state.params.curve
        inverse = pow(key.private_numbers().private_value, -1, curve.n)
        ca_data = inverse * state.map_key % curve.n
        return encrypt_chip_authentication_data(state.ks_enc, ca_data, curve.order_byte_length)

    def _general_authenticate_ca(self, c: CommandAPDU) -> tuple[bytes, int]:
        assert self.ca_protocol is not None
        try:
            inner = {e.tag: e.value for e in parse_one(c.data).children()}
        except CardError:
            return b"", 0x6A80
        cipher = CIPHERS.get(int(self.ca_protocol.rsplit(".", 1)[-1]), "")
        data, sw = self._chip_authentication(inner.get(0x80, b""), cipher)
        return (encode_tlv(0x7C, b""), sw) if sw == OK else (data, sw)

    def _ca_key(self, key_id: int | None) -> ec.EllipticCurvePrivateKey | None:
        if key_id is None or key_id == self.profile.ca_key_id:
            return self.profile.ca_key
        return self.profile.ca_other_keys.get(key_id)

    def _chip_authentication(self, reader_point: bytes, cipher: str) -> tuple[bytes, int]:
        key = self._ca_key(self.ca_key_id)
        if key is None or not cipher:
            return b"", 0x6A80
        curve = _curve_of(key)
        try:
            reader_key = curve.decode_point(reader_point)
        except CardError:
            return b"", 0x6A80
        secret = curve.shared_x(key.private_numbers().private_value, reader_key)
        self._ca_next = SecureMessaging(
            derive_key(secret, ENC, cipher), derive_key(secret, MAC, cipher), 0, cipher
        )
        return b"", OK

    # --- active authentication ----------------------------------------------------------------

    def _internal_authenticate(self, c: CommandAPDU, protected: bool) -> tuple[bytes, int]:
        key = self.profile.aa_key
        if key is None or not protected:
            return b"", 0x6D00 if key is None else 0x6982
        if len(c.data) != 8:
            return b"", 0x6700
        aa = self.profile.aa_scheme
        if isinstance(key, rsa.RSAPrivateKey):
            signature = sign_iso9796_2(
                key,
                c.data,
                self.random(128),
                hash_name=aa.hash_name,
                explicit_trailer=aa.explicit_trailer,
                total=aa.total_recovery,
            )
            return signature, OK
        signature = sign_ecdsa_plain(key, c.data, aa.hash_name)
        if aa.der:
            from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

            half = len(signature) // 2
            r, s = int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
            signature = encode_dss_signature(r, s)
        return signature, OK


def _nonce_length(params: PaceParameters) -> int:
    """s is one block for GM (8 bytes 3DES, 16 AES); for IM l ≥ k, a multiple of the block."""
    if not params.integrated:
        return 8 if params.cipher == "3DES" else 16
    return 16 if KEY_BYTES[params.cipher] == 16 else 32


def _curve_of(key: ec.EllipticCurvePrivateKey) -> Curve:
    for curve in STANDARDIZED_CURVES.values():
        if curve.name == key.curve.name:
            return curve
    raise SecureMessagingError(0x6A80, f"curve {key.curve.name} is not standardized")


def _sw(sw: int) -> bytes:
    return sw.to_bytes(2, "big")
