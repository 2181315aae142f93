"""Secure messaging (ICAO 9303-11 §9.8): 3DES with the retail MAC, AES with CMAC.

Both sides live here: the reader's `protect` / `unprotect`, and the chip's `unprotect_command` /
`protect_response` (the simulator uses those). Each protected command and each protected response
increments the send sequence counter (SSC) before its MAC is computed.

Data of an even INS travel in DO'87' (padding indicator 01 + cryptogram); data of an odd INS (READ
BINARY B1, whose data are BER-TLV) travel in DO'85' (cryptogram only), ISO/IEC 7816-4 §10.2.

A status word answered *without* secure messaging (no DO'99' / DO'8E') is not an attack on the
session by itself: only 6987 / 6988 (SM data objects missing / incorrect) mean the chip has closed
the session (ICAO 9303-11 §9.8.6.3); other errors such as 6A82 or 6982 may come unprotected
(ISO/IEC 7816-4 §10.2) and the session, whose SSC neither side advanced for that answer, goes on.
"""

from __future__ import annotations

from devices.card import ciphers
from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.errors import ParseError, ProtocolError, ResponseMacInvalid, SecureMessagingError
from devices.card.tlv import encode_length, encode_tlv, iter_tlv

_CIPHERS = {"3DES": ciphers.TDES, "AES": ciphers.AES, "AES128": ciphers.AES}
_CIPHERS.update({"AES192": ciphers.AES, "AES256": ciphers.AES})
SESSION_CLOSING_SW = frozenset({0x6987, 0x6988})


def closes_session(sw: int) -> bool:
    """True if a bare status word means the chip ended the secure messaging session."""
    return sw in SESSION_CLOSING_SW


class SecureMessaging:
    """A secure messaging session: session keys, cipher and the send sequence counter."""

    def __init__(
        self, ks_enc: bytes, ks_mac: bytes, ssc: bytes | int, cipher: str = "3DES"
    ) -> None:
        if cipher not in _CIPHERS:
            raise ProtocolError(f"unknown secure messaging cipher {cipher!r}")
        self.cipher = _CIPHERS[cipher]
        self.block = ciphers.block_size(self.cipher)
        self.ks_enc = ks_enc
        self.ks_mac = ks_mac
        if isinstance(ssc, bytes):
            if len(ssc) != self.block:
                raise ProtocolError(f"SSC must be {self.block} bytes for {cipher}")
            self._ssc = int.from_bytes(ssc, "big")
        else:
            self._ssc = ssc

    @property
    def ssc(self) -> bytes:
        return (self._ssc % (1 << (8 * self.block))).to_bytes(self.block, "big")

    # --- reader side ----------------------------------------------------------------------------

    def protect(self, command: bytes) -> bytes:
        """Wrap a plain command APDU (§9.8.4): DO'87' cryptogram, DO'97' Le, DO'8E' MAC."""
        apdu = CommandAPDU.decode(command)
        if apdu.cla & 0x0C:
            raise ProtocolError("command is already protected")
        header = bytes((apdu.cla | 0x0C, apdu.ins, apdu.p1, apdu.p2))
        do87 = self._data_object(apdu.data, odd=bool(apdu.ins & 1)) if apdu.data else b""
        do97 = b""
        if apdu.le is not None:  # 256 (short) and 65536 (extended) encode as zeros
            size = 2 if apdu.extended else 1
            do97 = encode_tlv(0x97, (apdu.le % (1 << (8 * size))).to_bytes(size, "big"))
        self._ssc += 1
        mac = self._mac(ciphers.pad(header, self.block) + do87 + do97)
        body = do87 + do97 + encode_tlv(0x8E, mac)
        extended = apdu.extended or len(body) > 255
        wrapped = CommandAPDU(
            header[0],
            apdu.ins,
            apdu.p1,
            apdu.p2,
            body,
            le=65536 if extended else 256,
            extended=extended,
        )
        return wrapped.encode()

    def unprotect(self, response: bytes) -> bytes:
        """Verify and unwrap a protected response; returns plain data + SW1 SW2.

        A bare status word without secure messaging objects is returned unchanged (and the SSC
        is not advanced) for the caller's status check; `closes_session` says whether the
        session survives it.
        """
        reply = ResponseAPDU.decode(response)
        if not reply.data:
            if reply.sw == 0x9000:
                raise SecureMessagingError(reply.sw, "success without secure messaging objects")
            return response
        objects = _split_objects(reply.data)
        do_data = objects.get(0x87) or objects.get(0x85)
        do99 = objects.get(0x99)
        do8e = objects.get(0x8E)
        if do8e is None:
            raise ResponseMacInvalid("response has no MAC (DO'8E')")
        self._ssc += 1
        signed = b"".join(raw for tag, raw in objects.raw if tag != 0x8E)
        if self._mac(signed) != do8e[1]:
            raise ResponseMacInvalid()
        sw = do99[1] if do99 is not None else response[-2:]
        if len(sw) != 2:
            raise ProtocolError("DO'99' must hold two bytes")
        data = b""
        if do_data is not None:
            value = do_data[1]
            if do_data[0] == 0x87:
                if not value or value[0] != 0x01:
                    raise ProtocolError("DO'87' without padding-content indicator 01")
                value = value[1:]
            data = ciphers.unpad(self._decrypt(value))
        return data + sw

    # --- chip side ------------------------------------------------------------------------------

    def unprotect_command(self, command: bytes) -> CommandAPDU:
        """The chip's view: verify a protected command and return the plain command."""
        apdu = CommandAPDU.decode(command)
        if apdu.cla & 0x0C != 0x0C:
            raise SecureMessagingError(0x6987, "command is not protected")
        objects = _split_objects(apdu.data)
        do8e = objects.get(0x8E)
        if do8e is None:
            raise SecureMessagingError(0x6987, "command has no MAC")
        self._ssc += 1
        signed = b"".join(raw for tag, raw in objects.raw if tag != 0x8E)
        if self._mac(ciphers.pad(apdu.header, self.block) + signed) != do8e[1]:
            raise SecureMessagingError(0x6988, "command MAC is wrong")
        data = b""
        do87 = objects.get(0x87)
        do85 = objects.get(0x85)
        if do87 is not None or do85 is not None:
            if do87 is not None and (not do87[1] or do87[1][0] != 0x01):
                raise SecureMessagingError(0x6988, "DO'87' without padding indicator")
            cryptogram = do87[1][1:] if do87 is not None else do85[1]  # type: ignore[index]
            try:
                data = ciphers.unpad(self._decrypt(cryptogram))
            except ProtocolError as exc:
                raise SecureMessagingError(0x6988, str(exc)) from exc
        le: int | None = None
        do97 = objects.get(0x97)
        if do97 is not None:
            le = int.from_bytes(do97[1], "big") or (65536 if len(do97[1]) == 2 else 256)
        plain_cla = apdu.cla & ~0x0C & 0xFF
        return CommandAPDU(
            plain_cla, apdu.ins, apdu.p1, apdu.p2, data, le=le, extended=apdu.extended
        )

    def protect_response(self, data: bytes, sw: int, *, odd: bool = False) -> bytes:
        """The chip's view: wrap response data and status word (DO'85' for an odd INS)."""
        do87 = self._data_object(data, odd=odd) if data else b""
        do99 = encode_tlv(0x99, sw.to_bytes(2, "big"))
        self._ssc += 1
        mac = self._mac(do87 + do99)
        return do87 + do99 + encode_tlv(0x8E, mac) + sw.to_bytes(2, "big")

    def response_length(self, data_length: int) -> int:
        """Bytes of a protected response carrying `data_length` plain bytes (SW included)."""
        if not data_length:
            return 4 + 10 + 2
        value = 1 + data_length + self.block - data_length % self.block
        return 1 + len(encode_length(value)) + value + 4 + 10 + 2

    # --- internals ------------------------------------------------------------------------------

    def _iv(self) -> bytes:
        if self.cipher == ciphers.TDES:
            return bytes(8)
        return ciphers.aes_ecb_encrypt(self.ks_enc, self.ssc)  # §9.8.6.1: IV = E(KSenc, SSC)

    def _data_object(self, data: bytes, *, odd: bool) -> bytes:
        encrypted = ciphers.encrypt(
            self.cipher, self.ks_enc, ciphers.pad(data, self.block), self._iv_for_next()
        )
        if odd:
            return b"\x85" + encode_length(len(encrypted)) + encrypted
        value = b"\x01" + encrypted
        return b"\x87" + encode_length(len(value)) + value

    def _iv_for_next(self) -> bytes:
        # the IV uses the SSC value the MAC will use, i.e. after this message's increment
        if self.cipher == ciphers.TDES:
            return bytes(8)
        nxt = ((self._ssc + 1) % (1 << (8 * self.block))).to_bytes(self.block, "big")
        return ciphers.aes_ecb_encrypt(self.ks_enc, nxt)

    def _decrypt(self, value: bytes) -> bytes:
        return ciphers.decrypt(self.cipher, self.ks_enc, value, self._iv())

    def _mac(self, message: bytes) -> bytes:
        padded = ciphers.pad(self.ssc + message, self.block)
        if self.cipher == ciphers.TDES:
            return ciphers.retail_mac(self.ks_mac, padded)
        return ciphers.aes_cmac(self.ks_mac, padded)[:8]


class _Objects(dict[int, tuple[int, bytes]]):
    raw: list[tuple[int, bytes]]


def _split_objects(data: bytes) -> _Objects:
    """The SM data objects of a message, by tag, keeping their encodings for the MAC input."""
    objects = _Objects()
    objects.raw = []
    try:
        for element in iter_tlv(data):
            objects[element.tag] = (element.tag, element.value)
            objects.raw.append((element.tag, element.raw))
    except ParseError as exc:
        raise ProtocolError(f"malformed secure messaging objects: {exc}") from exc
    return objects
