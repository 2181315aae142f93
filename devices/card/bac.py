"""Basic Access Control (ICAO 9303-11 §4.3, worked example in Appendix D).

Reader side as a sans-I/O step (`bac`), and the chip's computations for the simulator.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

from devices.card import ciphers
from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.errors import AuthenticationFailed, ProtocolError
from devices.card.exchange import Exchange
from devices.card.kdf import ENC, MAC, compute_key_seed, derive_key
from devices.card.secure_messaging import SecureMessaging

Random = Callable[[int], bytes]

GET_CHALLENGE = CommandAPDU(0x00, 0x84, 0x00, 0x00, le=8)


def bac_keys(mrz_information: str) -> tuple[bytes, bytes]:
    """(K_enc, K_mac) from the MRZ information (§9.7.2 + §9.7.1)."""
    seed = compute_key_seed(mrz_information)
    return derive_key(seed, ENC), derive_key(seed, MAC)


def session_keys(k_ifd: bytes, k_ic: bytes) -> tuple[bytes, bytes]:
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    return derive_key(seed, ENC), derive_key(seed, MAC)


def bac(mrz_information: str, random: Random = os.urandom) -> Exchange[SecureMessaging]:
    """Mutual authentication with the MRZ key; returns the secure messaging session (§4.3.3)."""
    k_enc, k_mac = bac_keys(mrz_information)
    rnd_ic = ResponseAPDU.decode((yield GET_CHALLENGE.encode())).check().data
    if len(rnd_ic) != 8:
        raise ProtocolError(f"GET CHALLENGE returned {len(rnd_ic)} bytes, not 8")
    rnd_ifd, k_ifd = random(8), random(16)
    e_ifd = ciphers.tdes_encrypt(k_enc, rnd_ifd + rnd_ic + k_ifd)
    m_ifd = ciphers.retail_mac(k_mac, ciphers.pad(e_ifd, 8))
    command = CommandAPDU(0x00, 0x82, 0x00, 0x00, e_ifd + m_ifd, le=40)
    answer = ResponseAPDU.decode((yield command.encode())).check().data
    if len(answer) != 40:
        raise ProtocolError(f"EXTERNAL AUTHENTICATE returned {len(answer)} bytes, not 40")
    e_ic, m_ic = answer[:32], answer[32:]
    if not hmac.compare_digest(ciphers.retail_mac(k_mac, ciphers.pad(e_ic, 8)), m_ic):
        raise AuthenticationFailed("the chip's BAC cryptogram MAC does not verify")
    r = ciphers.tdes_decrypt(k_enc, e_ic)
    if r[:8] != rnd_ic or r[8:16] != rnd_ifd:
        raise AuthenticationFailed("the chip's BAC answer does not hold our challenges")
    ks_enc, ks_mac = session_keys(k_ifd, r[16:])
    return SecureMessaging(ks_enc, ks_mac, rnd_ic[4:] + rnd_ifd[4:], "3DES")


def chip_answer(
    mrz_information: str, rnd_ic: bytes, cmd_data: bytes, k_ic: bytes
) -> tuple[bytes, SecureMessaging] | None:
    """The chip's side of EXTERNAL AUTHENTICATE: its answer and session, or None if refused."""
    k_enc, k_mac = bac_keys(mrz_information)
    if len(cmd_data) != 40:
        return None
    e_ifd, m_ifd = cmd_data[:32], cmd_data[32:]
    if not hmac.compare_digest(ciphers.retail_mac(k_mac, ciphers.pad(e_ifd, 8)), m_ifd):
        return None
    s = ciphers.tdes_decrypt(k_enc, e_ifd)
    rnd_ifd, echoed, k_ifd = s[:8], s[8:16], s[16:]
    if echoed != rnd_ic:
        return None
    e_ic = ciphers.tdes_encrypt(k_enc, rnd_ic + rnd_ifd + k_ic)
    m_ic = ciphers.retail_mac(k_mac, ciphers.pad(e_ic, 8))
    ks_enc, ks_mac = session_keys(k_ifd, k_ic)
    return e_ic + m_ic, SecureMessaging(ks_enc, ks_mac, rnd_ic[4:] + rnd_ifd[4:], "3DES")
