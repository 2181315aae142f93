"""ESC/POS real-time status (DLE EOT n): the queries and what their answers mean.

Each answer is one byte with bit 1 and bit 4 set and bit 0 and bit 7 clear (`0b0xx1xx10`); a byte
that is not shaped so is not a status answer. Bits (Epson ESC/POS, DLE EOT):
  n=1 printer status:  bit 3 offline
  n=2 offline cause:   bit 2 cover open, bit 5 printing stopped by paper end, bit 6 error
  n=3 error cause:     bit 3 autocutter error, bit 5 unrecoverable error, bit 6 auto-recoverable
  n=4 roll paper:      bits 2+3 paper near end, bits 5+6 paper end
Pure functions: no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, ROLL_PAPER = 1, 2, 3, 4
QUERIES = (PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, ROLL_PAPER)
_FIXED_MASK, _FIXED_VALUE = 0b1001_0011, 0b0001_0010


def query(n: int) -> bytes:
    return DLE_EOT + bytes([n])


def is_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_VALUE


@dataclass(frozen=True)
class PrinterStatus:
    online: bool = True
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    error: bool = False  # cutter error, unrecoverable or auto-recoverable error

    @property
    def ready(self) -> bool:
        return self.online and not (self.cover_open or self.paper_out or self.error)


def parse(answers: dict[int, int]) -> PrinterStatus:
    """The status from the answers to DLE EOT 1..4 (missing answers count as "nothing wrong")."""
    for n, value in answers.items():
        if not is_status_byte(value):
            raise ValueError(f"DLE EOT {n} answer {value:#04x} is not a status byte")
    printer = answers.get(PRINTER, _FIXED_VALUE)
    offline = answers.get(OFFLINE_CAUSE, _FIXED_VALUE)
    errors = answers.get(ERROR_CAUSE, _FIXED_VALUE)
    paper = answers.get(ROLL_PAPER, _FIXED_VALUE)
    return PrinterStatus(
        online=not printer & 0b0000_1000,
        cover_open=bool(offline & 0b0000_0100),
        paper_out=bool(paper & 0b0110_0000) or bool(offline & 0b0010_0000),
        paper_near_end=bool(paper & 0b0000_1100),
        error=bool(offline & 0b0100_0000) or bool(errors & 0b0110_1000),
    )
