"""A stand-in chip for transport tests: READ BINARY answers Le bytes of a counting pattern; any
other command is echoed back; both with 9000. Transports only carry bytes, so this is enough to see
every byte arrive; reading a real card profile is the simulator's end-to-end test."""

from __future__ import annotations

SW_OK = b"\x90\x00"


class EchoChip:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.power_ons = 0

    def power_on(self) -> None:
        self.power_ons += 1

    def process(self, apdu: bytes) -> bytes:
        self.received.append(apdu)
        if apdu[1:2] == b"\xb0":
            le = apdu[-1] or 256
            return bytes(i & 0xFF for i in range(le)) + SW_OK
        return apdu + SW_OK
