"""Block ciphers and MACs of ICAO 9303-11 §9.8: 3DES-CBC with the ISO 9797-1 retail MAC, AES-CBC
with AES-CMAC (NIST SP 800-38B), and ISO/IEC 9797-1 padding method 2."""

from __future__ import annotations

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from devices.card.errors import ProtocolError

TDES = "3DES"
AES = "AES"


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to the block size."""
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % block)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end or end[-1] != 0x80:
        raise ProtocolError("bad ISO 9797-1 padding")
    return end[:-1]


def _tdes_key(key: bytes) -> bytes:
    if len(key) == 16:
        return key + key[:8]
    if len(key) == 24:
        return key
    raise ProtocolError(f"3DES keys are 16 or 24 bytes, not {len(key)}")


def tdes_encrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    encryptor = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def tdes_decrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    if len(data) % 8:
        raise ProtocolError("3DES ciphertext is not a whole number of blocks")
    decryptor = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES, over already padded data (8-byte result).

    Single-DES CBC with Ka over every block, then the last block once more through D(Kb), E(Ka):
    that last step equals 3DES-EDE(Ka, Kb, Ka) on (H[q-1] xor D[q]).
    """
    if len(key) != 16 or not data or len(data) % 8:
        raise ProtocolError("retail MAC needs a 16-byte key and padded data")
    ka, kb = key[:8], key[8:]
    chained = bytes(8)
    if len(data) > 8:
        single = Cipher(TripleDES(ka * 3), modes.CBC(bytes(8))).encryptor()
        chained = (single.update(data[:-8]) + single.finalize())[-8:]
    last = bytes(a ^ b for a, b in zip(chained, data[-8:], strict=True))
    final = Cipher(TripleDES(ka + kb + ka), modes.ECB()).encryptor()
    return final.update(last) + final.finalize()


def aes_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    if len(data) % 16:
        raise ProtocolError("AES ciphertext is not a whole number of blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def aes_ecb_encrypt(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """AES-CMAC (full 16 bytes; ICAO 9303 truncates to 8 where it says so)."""
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def block_size(cipher: str) -> int:
    return 8 if cipher == TDES else 16


def encrypt(cipher: str, key: bytes, data: bytes, iv: bytes | None = None) -> bytes:
    if cipher == TDES:
        return tdes_encrypt(key, data, iv or bytes(8))
    return aes_encrypt(key, data, iv or bytes(16))


def decrypt(cipher: str, key: bytes, data: bytes, iv: bytes | None = None) -> bytes:
    if cipher == TDES:
        return tdes_decrypt(key, data, iv or bytes(8))
    return aes_decrypt(key, data, iv or bytes(16))


def mac8(cipher: str, key: bytes, data: bytes) -> bytes:
    """The 8-byte MAC of ICAO 9303-11 §9.8: retail MAC over padded data, or truncated AES-CMAC."""
    if cipher == TDES:
        return retail_mac(key, pad(data, 8))
    return aes_cmac(key, data)[:8]
