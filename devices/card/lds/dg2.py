"""DG2, the encoded face (ICAO 9303-10 §4.7.2).

    75 { 7F61 biometric information group template { 02 count,
         7F60 biometric information template { A1 biometric header template,
                                               5F2E or 7F2E biometric data block } } }

The data block is an ISO/IEC 19794-5 facial record (`FAC\\0`, version `010\\0`) or, on newer
documents, an ISO/IEC 39794-5 DER structure. The image is returned as bytes with its format (sniffed
from magic bytes) and size (from the image's own header, else the record's).
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.card.errors import ParseError
from devices.card.lds import outer_template
from devices.card.lds.image import ImageInfo, find_image_start, image_info, sniff
from devices.card.tlv import TLV, encode_tlv, iter_tlv

_FAC = b"FAC\x00"


@dataclass(frozen=True)
class FaceImage:
    image: bytes
    image_format: str  # "jpeg" | "jpeg2000"
    width: int
    height: int
    container: str  # "ISO 19794-5" | "ISO 39794-5"


def parse_dg2(data: bytes) -> FaceImage:
    """The first face image in DG2."""
    outer = outer_template(data, "DG2")
    group = outer.find(0x7F61)
    if group is None:
        raise ParseError("DG2 has no biometric information group template (7F61)")
    for template in group.children():
        if template.tag != 0x7F60:
            continue
        block = template.find(0x5F2E) or template.find(0x7F2E)
        if block is None:
            raise ParseError("DG2 biometric template has no data block (5F2E / 7F2E)")
        return _parse_block(block)
    raise ParseError("DG2 holds no biometric information template (7F60)")


def _parse_block(block: TLV) -> FaceImage:
    value = block.value
    if value.startswith(_FAC):
        return _parse_19794_5(value)
    return _parse_39794_5(block)


def _parse_19794_5(record: bytes) -> FaceImage:
    # General header: FAC\0, version(4), record length(4), number of faces(2)  = 14 bytes
    if len(record) < 14 + 20 + 12:
        raise ParseError("ISO 19794-5 record is too short")
    faces = int.from_bytes(record[12:14], "big")
    if faces < 1:
        raise ParseError("ISO 19794-5 record holds no face")
    # Facial information (20 bytes): block length(4), feature points(2), gender, eyes, hair,
    # feature mask(3), expression(2), pose angles(3), pose uncertainty(3)
    info = 14
    block_length = int.from_bytes(record[info : info + 4], "big")
    points = int.from_bytes(record[info + 4 : info + 6], "big")
    image_info_at = info + 20 + 8 * points
    # Image information (12 bytes): type, data type, width(2), height(2), colour, source,
    # device(2), quality(2)
    if image_info_at + 12 > len(record):
        raise ParseError("ISO 19794-5 record ends inside its image information")
    header = record[image_info_at : image_info_at + 12]
    width_hdr = int.from_bytes(header[2:4], "big")
    height_hdr = int.from_bytes(header[4:6], "big")
    start = image_info_at + 12
    end = info + block_length if info + block_length <= len(record) else len(record)
    image = record[start:end] if end > start else record[start:]
    return _face(image, "ISO 19794-5", width_hdr, height_hdr)


def _parse_39794_5(block: TLV) -> FaceImage:
    """ISO 39794-5: walk the DER tree; the image is the leaf that starts with an image magic."""
    found = _find_image_leaf(block, depth=0)
    if found is None:
        start = find_image_start(block.value)
        if start is None:
            raise ParseError("DG2 data block holds no JPEG or JPEG 2000 image")
        found = block.value[start:]
    return _face(found, "ISO 39794-5", 0, 0)


def _find_image_leaf(element: TLV, depth: int) -> bytes | None:
    if sniff(element.value):
        return element.value
    if depth > 8 or not element.constructed:
        return None
    try:
        children = list(iter_tlv(element.value))
    except ParseError:
        return None
    for child in children:
        found = _find_image_leaf(child, depth + 1)
        if found is not None:
            return found
    return None


def _face(image: bytes, container: str, width: int, height: int) -> FaceImage:
    if sniff(image) is None:
        raise ParseError("DG2 image is neither JPEG nor JPEG 2000")
    try:
        info: ImageInfo = image_info(image)
        width, height = info.width, info.height
    except ParseError:
        if not (width and height):
            raise
    return FaceImage(image, sniff(image) or "", width, height, container)


def encode_dg2(image: bytes, width: int, height: int) -> bytes:
    """A DG2 with one ISO 19794-5 facial record (full frontal, no feature points)."""
    data_type = 0 if sniff(image) == "jpeg" else 1
    image_header = (
        bytes((1, data_type))
        + width.to_bytes(2, "big")
        + height.to_bytes(2, "big")
        + bytes((1, 2))  # 24-bit RGB, digital still camera
        + bytes(4)  # device type, quality unspecified
    )
    facial_info_length = 20 + len(image_header) + len(image)
    facial_info = (
        facial_info_length.to_bytes(4, "big")
        + (0).to_bytes(2, "big")  # feature points
        + bytes((0, 0, 0))  # gender, eye colour, hair colour unspecified
        + bytes(3)  # feature mask
        + bytes(2)  # expression
        + bytes(3)  # pose angles
        + bytes(3)  # pose uncertainty
    )
    record_length = 14 + len(facial_info) + len(image_header) + len(image)
    record = (
        _FAC + b"010\x00" + record_length.to_bytes(4, "big") + (1).to_bytes(2, "big")
        + facial_info + image_header + image
    )  # fmt: skip
    header_template = encode_tlv(0xA1, encode_tlv(0x80, b"\x01\x01") + encode_tlv(0x87, b"\x01\x01")
                                 + encode_tlv(0x88, b"\x00\x08"))  # fmt: skip
    template = encode_tlv(0x7F60, header_template + encode_tlv(0x5F2E, record))
    return encode_tlv(0x75, encode_tlv(0x7F61, encode_tlv(0x02, b"\x01") + template))
