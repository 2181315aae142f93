"""The Logical Data Structure (ICAO 9303-10): elementary files, their tags and file identifiers,
and parsers for the ones the kiosk reads.

Files are recognised by their leading tag, never by their name. No file over
`MAX_FILE_BYTES` is parsed: every parser starts with `outer_template`, which checks the size first.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.card.errors import ParseError
from devices.card.tlv import TLV, parse_prefix


@dataclass(frozen=True)
class LdsFile:
    name: str  # "COM", "DG1", …, "SOD"
    tag: int
    fid: int
    sfi: int

    @property
    def label(self) -> str:
        """How messages name it: `DG13`, `EF.COM`, `EF.SOD`."""
        return self.name if self.name.startswith("DG") else f"EF.{self.name}"


FILES = (
    LdsFile("COM", 0x60, 0x011E, 0x1E),
    LdsFile("DG1", 0x61, 0x0101, 0x01),
    LdsFile("DG2", 0x75, 0x0102, 0x02),
    LdsFile("DG3", 0x63, 0x0103, 0x03),
    LdsFile("DG11", 0x6B, 0x010B, 0x0B),
    LdsFile("DG12", 0x6C, 0x010C, 0x0C),
    LdsFile("DG13", 0x6D, 0x010D, 0x0D),
    LdsFile("DG14", 0x6E, 0x010E, 0x0E),
    LdsFile("DG15", 0x6F, 0x010F, 0x0F),
    LdsFile("DG16", 0x70, 0x0110, 0x10),
    LdsFile("SOD", 0x77, 0x011D, 0x1D),
)
BY_NAME = {f.name: f for f in FILES}
BY_TAG = {f.tag: f for f in FILES}

EF_CARD_ACCESS = 0x011C
EF_ATR_INFO = 0x2F01
LDS1_AID = bytes.fromhex("A0000002471001")

# The largest LDS file parsed (1 MiB). A face image is 15–70 KB and fingerprints a few hundred;
# beyond this it is garbage or an attack, refused before any byte of it is walked or allocated.
MAX_FILE_BYTES = 1 << 20


class FileTooLarge(ParseError):
    """An LDS file is larger than any real one; it was refused without being parsed."""

    code = "card_file_too_large"


def check_file_size(size: int, label: str = "the file") -> None:
    """Refuse a file of `size` bytes over `MAX_FILE_BYTES` (call it as soon as the size is known:
    from the first bytes of the file on a chip, from the file system for a file on disk)."""
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(f"{label} is {size:,} bytes; no LDS file may exceed {MAX_FILE_BYTES:,}")


def data_group_number(name: str) -> int:
    if not name.startswith("DG"):
        raise ParseError(f"{name} is not a data group")
    return int(name[2:])


def identify(data: bytes) -> LdsFile:
    """Which LDS file this is, by its leading tag (60 COM, 61 DG1, 75 DG2, …, 77 SOD)."""
    if not data:
        raise ParseError("empty file")
    known = BY_TAG.get(data[0])
    if known is None:
        raise ParseError(f"unknown leading tag {data[0]:02X} (not an LDS file)")
    return known


def outer_template(data: bytes, name: str) -> TLV:
    """The file's outer template, refused unless it carries the tag of the file named."""
    expected = BY_NAME[name]
    check_file_size(len(data), expected.label)
    outer = parse_prefix(data)
    if outer.tag != expected.tag:
        raise ParseError(
            f"{expected.label} must start with tag {expected.tag:X}, found {outer.tag:X}"
        )
    return outer
