"""LDS parsing (ICAO 9303-10): files recognised by their leading tag, DG1 (TD1/TD2/TD3, lenient),
DG2 (ISO 19794-5 and 39794-5 containers, JPEG / JPEG 2000), DG13 (docs/domain.md §1, tolerant
but not of what is no DG13), DG14, DG15, EF.COM; the 1 MiB cap on every LDS file."""

from collections.abc import Callable
from datetime import date

import pytest

from devices.card import asn1
from devices.card.document import build_document
from devices.card.errors import ParseError
from devices.card.lds import MAX_FILE_BYTES, FileTooLarge, check_file_size, identify
from devices.card.lds.com import encode_com, parse_com
from devices.card.lds.dg1 import encode_dg1, parse_dg1
from devices.card.lds.dg2 import encode_dg2, parse_dg2
from devices.card.lds.dg13 import DG13_OID, NotDg13, encode_dg13, parse_dg13
from devices.card.lds.dg14 import parse_dg14
from devices.card.lds.dg15 import parse_dg15
from devices.card.simulator import chip_photo
from devices.card.tlv import encode_tlv
from tests.devices.card.simulated_cards import CITIZEN, profile

JP2_HEADER = (
    b"\x00\x00\x00\x0cjP  \r\n\x87\n"
    + b"\x00\x00\x00\x14ftypjp2 \x00\x00\x00\x00jp2 "
    + b"\x00\x00\x00\x2djp2h\x00\x00\x00\x16ihdr"
    + (300).to_bytes(4, "big")  # height
    + (240).to_bytes(4, "big")  # width
    + b"\x00\x03\x07\x07\x00\x00"
)


def _entry(number: int, value: bytes) -> bytes:
    return asn1.der_seq(asn1.der_int(number), value)


def _dg13(*entries: bytes) -> bytes:
    body = asn1.der_int(1) + asn1.der_oid(DG13_OID) + encode_tlv(0x31, b"".join(entries))
    return encode_tlv(0x6D, asn1.der_seq(body))


@pytest.mark.parametrize(
    ("tag", "name"),
    [(0x60, "COM"), (0x61, "DG1"), (0x75, "DG2"), (0x6B, "DG11"), (0x6C, "DG12"), (0x6D, "DG13"),
     (0x6E, "DG14"), (0x6F, "DG15"), (0x70, "DG16"), (0x77, "SOD")],
)  # fmt: skip
def test_files_are_recognised_by_their_leading_tag(tag: int, name: str) -> None:
    assert identify(bytes((tag, 0))).name == name


def test_an_unknown_leading_tag_is_refused() -> None:
    with pytest.raises(ParseError, match="unknown leading tag 42"):
        identify(b"\x42\x00")


def test_com_lists_the_data_groups_present() -> None:
    com = parse_com(encode_com([0x61, 0x75, 0x6D]))
    assert (com.lds_version, com.data_groups) == ("0107", ("DG1", "DG2", "DG13"))


def test_dg1_holds_the_td1_mrz() -> None:
    mrz = parse_dg1(encode_dg1(CITIZEN.mrz_text))
    assert (mrz.document_number, mrz.full_id_number) == ("095012345", "001095012345")


def test_dg2_returns_the_jpeg_with_its_size() -> None:
    photo, width, height = chip_photo("obama.jpg")
    face = parse_dg2(encode_dg2(photo, width, height))
    assert (face.image, face.image_format, face.width, face.height) == (photo, "jpeg", 384, 480)
    assert face.container == "ISO 19794-5"


def test_dg2_sniffs_jpeg2000_and_reads_its_ihdr_size() -> None:
    face = parse_dg2(encode_dg2(JP2_HEADER + b"\x00" * 50, 1, 1))
    assert (face.image_format, face.width, face.height) == ("jpeg2000", 240, 300)


def test_dg2_finds_the_image_inside_an_iso_39794_5_structure() -> None:
    photo, _, _ = chip_photo("obama.jpg")
    block = encode_tlv(0xA1, encode_tlv(0xA0, encode_tlv(0x80, b"\x01")) + encode_tlv(0x81, photo))
    template = encode_tlv(0x7F60, encode_tlv(0xA1, b"") + encode_tlv(0x7F2E, block))
    data = encode_tlv(0x75, encode_tlv(0x7F61, encode_tlv(0x02, b"\x01") + template))
    face = parse_dg2(data)
    assert (face.image, face.container, face.width) == (photo, "ISO 39794-5", 384)


def test_dg2_without_an_image_is_a_parse_error() -> None:
    template = encode_tlv(0x7F60, encode_tlv(0x5F2E, b"FAC\x00010\x00" + bytes(60)))
    with pytest.raises(ParseError):
        parse_dg2(encode_tlv(0x75, encode_tlv(0x7F61, encode_tlv(0x02, b"\x01") + template)))


def test_dg13_reads_every_field_of_the_domain_layout() -> None:
    dg13 = parse_dg13(encode_dg13(CITIZEN.dg13_values()))
    assert (dg13.id_number, dg13.full_name, dg13.sex) == ("001095012345", "Nguyễn Văn An", "Nam")
    assert (dg13.date_of_birth, dg13.date_of_issue) == (date(1995, 3, 17), date(2021, 5, 20))
    assert dg13.date_of_expiry == date(2035, 3, 17)
    assert (dg13.father_name, dg13.mother_name, dg13.spouse_name) == (
        "Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Thị Dung",
    )  # fmt: skip
    assert dg13.old_id_number == "123456789"


@pytest.mark.parametrize("nested", [False, True], ids=["flat parents", "nested parents"])
def test_dg13_parents_are_read_in_either_nesting(nested: bool) -> None:
    dg13 = parse_dg13(encode_dg13(CITIZEN.dg13_values(), parents_nested=nested))
    assert (dg13.father_name, dg13.mother_name) == ("Nguyễn Văn Bình", "Trần Thị Cúc")


def test_dg13_tolerates_missing_reordered_and_extra_entries() -> None:
    dg13 = parse_dg13(
        _dg13(
            _entry(4, asn1.der_utf8("Nữ")),
            _entry(99, asn1.der_utf8("future field")),
            _entry(2, asn1.der_utf8("Trần Thị Hoà")),
            _entry(14, b""),  # the empty spouse entry 30 03 02 01 0E
        )
    )
    assert (dg13.full_name, dg13.sex, dg13.spouse_name, dg13.id_number) == (
        "Trần Thị Hoà", "Nữ", "", "",
    )  # fmt: skip
    assert dg13.unknown_entries == [99]


def test_dg13_keeps_a_non_date_expiry_as_text() -> None:
    dg13 = parse_dg13(_dg13(_entry(12, asn1.der_utf8("Không thời hạn"))))
    assert (dg13.date_of_expiry, dg13.date_of_expiry_text) == (None, "Không thời hạn")


def test_dg13_leaves_an_undecodable_field_empty_and_says_so() -> None:
    dg13 = parse_dg13(_dg13(_entry(9, encode_tlv(0x0C, b"\xff\xfe encrypted")),
                            _entry(2, asn1.der_utf8("Lê Hoàng Đạt"))))  # fmt: skip
    assert (dg13.place_of_residence, dg13.full_name) == ("", "Lê Hoàng Đạt")
    assert dg13.unreadable == ["place_of_residence"]


def test_dg14_advertises_chip_and_active_authentication() -> None:
    infos = parse_dg14(profile().files[0x010E])
    assert infos.chip_authentication[0].cipher == "AES128"
    assert infos.chip_authentication_keys and infos.active_authentication


def test_dg15_holds_the_active_authentication_public_key() -> None:
    key = parse_dg15(profile().files[0x010F])
    assert key.native is not None  # parse_dg15 gives a VerifyingKey; the numbers are the same
    assert key.native.public_numbers() == profile().aa_key.public_key().public_numbers()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("parse", "message"),
    [
        (parse_com, "EF.COM must start with tag 60, found 61"),
        (parse_dg13, "DG13 must start with tag 6D, found 61"),
        (parse_dg15, "DG15 must start with tag 6F, found 61"),
    ],
)
def test_a_file_with_another_files_tag_is_refused_naming_both_tags(
    parse: Callable[[bytes], object], message: str
) -> None:
    with pytest.raises(ParseError, match=message):
        parse(encode_tlv(0x61, b""))


# --- DG1: TD1, TD2, TD3, read leniently -----------------------------------------------------------


@pytest.mark.parametrize(
    ("mrz_text", "layout"),
    [("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6", "TD2"),
     ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
      "TD3")],
    ids=["TD2 (9303-6 specimen)", "TD3 (9303-4 specimen)"],
)  # fmt: skip
def test_dg1_holds_a_td2_or_td3_mrz(mrz_text: str, layout: str) -> None:
    mrz = parse_dg1(encode_dg1(mrz_text))
    assert (mrz.layout, mrz.surname, mrz.date_of_birth) == (layout, "ERIKSSON", "740812")


def test_a_chip_dg1_with_a_wrong_document_number_digit_is_returned_with_a_warning() -> None:
    text = CITIZEN.mrz_text.replace("0950123455", "0950123454", 1)
    mrz = parse_dg1(encode_dg1(text))
    assert mrz.check_digits["document_number"] is False
    assert mrz.check_digits["composite"] is False  # line 1 is inside the composite
    assert mrz.mrz_information.startswith("0950123454")  # the printed digit, as the chip's key
    assert len(mrz.warnings) == 2


def test_a_chip_dg1_that_is_not_an_mrz_is_still_refused() -> None:
    with pytest.raises(ParseError, match="only A-Z"):
        parse_dg1(encode_dg1(CITIZEN.mrz_text.replace("<", "#")))


# --- DG13 that is not a DG13 ----------------------------------------------------------------------


def test_a_dg13_with_another_object_identifier_is_not_a_dg13() -> None:
    body = (
        asn1.der_int(1) + asn1.der_oid("1.2.3.4") + encode_tlv(0x31, _entry(2, asn1.der_utf8("A")))
    )
    with pytest.raises(NotDg13, match=r"1\.2\.3\.4"):
        parse_dg13(encode_tlv(0x6D, asn1.der_seq(body)))


@pytest.mark.parametrize(
    "data",
    [_dg13(), _dg13(_entry(99, asn1.der_utf8("x"))),
     encode_tlv(0x6D, asn1.der_seq(asn1.der_int(1))),
     encode_tlv(0x6D, encode_tlv(0x04, b"garbage"))],
    ids=["empty SET", "only unknown entries", "no SET", "primitive garbage"],
)  # fmt: skip
def test_a_dg13_without_a_known_entry_is_not_a_dg13(data: bytes) -> None:
    with pytest.raises(NotDg13, match="no entry"):
        parse_dg13(data)


def test_a_dg13_without_an_object_identifier_is_still_read() -> None:
    data = encode_tlv(0x6D, asn1.der_seq(encode_tlv(0x31, _entry(2, asn1.der_utf8("Lê Văn B")))))
    assert parse_dg13(data).full_name == "Lê Văn B"


def test_garbage_under_the_dg13_tag_is_a_typed_error() -> None:
    with pytest.raises(ParseError):
        parse_dg13(bytes.fromhex("6D04FFFFFFFF"))


# --- size cap ------------------------------------------------------------------------------------


def test_a_file_over_the_cap_is_refused_before_its_tlv_is_read() -> None:
    data = b"\x61" + b"\xff" * MAX_FILE_BYTES  # malformed from byte 2: the cap must speak first
    with pytest.raises(FileTooLarge, match="1,048,577 bytes"):
        parse_dg1(data)


def test_a_file_at_the_cap_is_parsed() -> None:
    dg1 = encode_dg1(CITIZEN.mrz_text)
    assert parse_dg1(dg1 + bytes(MAX_FILE_BYTES - len(dg1))).document_number == "095012345"


def test_check_file_size_is_what_the_reader_calls_with_the_announced_length() -> None:
    check_file_size(MAX_FILE_BYTES, "DG2")
    with pytest.raises(FileTooLarge, match="DG2"):
        check_file_size(MAX_FILE_BYTES + 1, "DG2")


def test_build_document_reports_an_oversized_file_and_never_hashes_it() -> None:
    padded = encode_dg1(CITIZEN.mrz_text) + bytes(MAX_FILE_BYTES)
    document = build_document({"DG1": padded, "DG13": encode_dg13(CITIZEN.dg13_values())}, None)
    assert document.mrz is None and "DG1" not in document.files
    assert "1,048,576" in document.problems["DG1"] and document.dg13 is not None


# --- LDSSecurityObject (ICAO 9303-10 §4.6.2.2): read strictly ---------------------------------


def _security_object(*entries: tuple[int, bytes], version: int = 0) -> bytes:
    sha256 = asn1.der_seq(asn1.der_oid("2.16.840.1.101.3.4.2.1"))
    hashes = asn1.der_seq(*(asn1.der_seq(asn1.der_int(n), asn1.der_octets(h)) for n, h in entries))
    return asn1.der_seq(asn1.der_int(version), sha256, hashes)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (_security_object((1, b"\x00" * 32), (1, b"\x01" * 32)), "listed twice"),
        (_security_object((1, b"\x00" * 20)), "not a sha256 digest"),
        (_security_object((17, b"\x00" * 32)), "out of range"),
        (_security_object((1, b"\x00" * 32), version=2), "version 2"),
    ],
    ids=["duplicate-group", "short-hash", "group-17", "version-2"],
)
def test_a_malformed_lds_security_object_is_refused(content: bytes, why: str) -> None:
    from devices.card.lds.sod import parse_lds_security_object

    with pytest.raises(ParseError, match=why):
        parse_lds_security_object(content)
