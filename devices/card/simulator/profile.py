"""A card profile: what the simulated chip needs — its files, keys, capabilities and faults."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card import asn1
from devices.card.lds import BY_NAME, EF_CARD_ACCESS
from devices.card.lds.com import encode_com
from devices.card.lds.dg1 import encode_dg1
from devices.card.lds.dg2 import encode_dg2
from devices.card.lds.dg13 import encode_dg13
from devices.card.lds.dg14 import encode_dg14
from devices.card.lds.dg15 import encode_dg15
from devices.card.lds.sod import ID_LDS_SECURITY_OBJECT
from devices.card.mrz import parse_mrz
from devices.card.security_infos import ID_AA, ID_CA, ID_PACE, ID_PK, ID_TA
from devices.card.simulator.citizen import Citizen, chip_photo
from devices.card.simulator.pki import TestPki, ec_key_from_label, make_pki

PACE_ECDH_GM_AES128 = ID_PACE + ".2.2"
CA_ECDH_AES128 = ID_CA + ".2.2"
PK_ECDH = ID_PK + ".2"
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"


@dataclass(frozen=True)
class ChipFaults:
    """Chip-side fault injection."""

    wrong_key: bool = False  # the chip's keys differ from what the card prints (QR / MRZ)
    corrupt: tuple[str, ...] = ()  # data groups altered after the SOD was signed
    forged_sod: str = ""  # "" | "untrusted" (signed by an unknown CSCA) | "bad_signature"
    unsigned: tuple[str, ...] = ()  # data groups on the chip that the SOD does not list


@dataclass
class CardProfile:
    files: dict[int, bytes]  # FID → content
    mrz_information: str
    can: str | None
    pace: bool = True
    bac: bool = True
    extended_length: bool = True
    max_response_data: int = 0x7FFF  # the card's own buffer for READ BINARY data
    refuse_select_mf: bool = True  # the CCCD answers SELECT MF with 6D00 (DOMAIN.md §1)
    sfi_reads: bool = True
    aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    ca_key: ec.EllipticCurvePrivateKey | None = None
    protected_fids: frozenset[int] = frozenset({0x0103})  # DG3: EAC only → 6982
    label: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"CardProfile({self.label or 'card'}, files={len(self.files)})"


def card_access(*, pace: bool = True, ca: bool = True) -> bytes:
    infos = []
    if pace:
        infos.append(
            asn1.der_seq(asn1.der_oid(PACE_ECDH_GM_AES128), asn1.der_int(2), asn1.der_int(13))
        )
    if ca:
        infos.append(asn1.der_seq(asn1.der_oid(CA_ECDH_AES128), asn1.der_int(1)))
        infos.append(asn1.der_seq(asn1.der_oid(ID_TA), asn1.der_int(2)))
    return asn1.der_set(*infos)


def build_profile(
    citizen: Citizen,
    pki: TestPki | None = None,
    *,
    aa: str = "ecdsa",  # "ecdsa" | "rsa" | ""
    ca: bool = True,
    pace: bool = True,
    parents_nested: bool = False,
    faults: ChipFaults = ChipFaults(),
    label: str | None = None,
    sod_content_type: str = ID_LDS_SECURITY_OBJECT,
) -> CardProfile:
    """A CCCD-like card for `citizen`: COM, DG1, DG2, DG13, DG14, DG15, SOD, EF.CardAccess.
    The PKI may be any `make_pki` kind (explicit-parameter brainpool, RSA-PSS, an expired DS);
    `sod_content_type` may be id-data, as some states issue."""
    label = label or f"citizen/{citizen.id_number}"
    pki = pki or make_pki("ecdsa")
    photo, width, height = chip_photo(citizen.photo)
    groups: dict[str, bytes] = {
        "DG1": encode_dg1(citizen.mrz_text),
        "DG2": encode_dg2(photo, width, height),
        "DG13": encode_dg13(citizen.dg13_values(), parents_nested=parents_nested),
    }
    aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    security_infos: list[bytes] = []
    if aa == "ecdsa":
        aa_key = ec_key_from_label(f"{label}/aa")
        security_infos.append(
            asn1.der_seq(asn1.der_oid(ID_AA), asn1.der_int(1), asn1.der_oid(ECDSA_PLAIN_SHA256))
        )
    elif aa == "rsa":
        aa_key = rsa.generate_private_key(65537, 1024)
    ca_key = None
    if ca:
        from cryptography.hazmat.primitives import serialization

        ca_key = ec_key_from_label(f"{label}/ca")
        spki = ca_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        security_infos.append(asn1.der_seq(asn1.der_oid(PK_ECDH), spki))
        security_infos.append(asn1.der_seq(asn1.der_oid(CA_ECDH_AES128), asn1.der_int(1)))
    if security_infos:
        groups["DG14"] = encode_dg14(security_infos)
    if aa_key is not None:
        groups["DG15"] = encode_dg15(aa_key.public_key())
    tags = [BY_NAME[name].tag for name in groups]
    files = {BY_NAME["COM"].fid: encode_com(tags)}
    signed = {
        int(name[2:]): content for name, content in groups.items() if name not in faults.unsigned
    }
    files[BY_NAME["SOD"].fid] = _sod(pki, signed, faults, sod_content_type)
    for name, content in groups.items():
        if name in faults.corrupt:
            content = _corrupt(content)
        files[BY_NAME[name].fid] = content
    files[EF_CARD_ACCESS] = card_access(pace=pace, ca=ca)
    mrz_information = parse_mrz(citizen.mrz_text).mrz_information
    can: str | None = citizen.can
    if faults.wrong_key:  # the chip was personalised with other data than the card prints
        mrz_information = mrz_information[:10] + "010101" + "5" + mrz_information[17:]
        can = f"{(int(citizen.can) + 1) % 1_000_000:06d}"
    return CardProfile(
        files=files,
        mrz_information=mrz_information,
        can=can,
        pace=pace,
        aa_key=aa_key,
        ca_key=ca_key,
        label=label,
    )


def _sod(pki: TestPki, groups: dict[int, bytes], faults: ChipFaults, content_type: str) -> bytes:
    if faults.forged_sod == "untrusted":
        return make_pki("ecdsa", label="forger").sign_sod(groups, content_type=content_type)
    sod = pki.sign_sod(groups, content_type=content_type)
    if faults.forged_sod == "bad_signature":
        return _flip_signature(sod)
    return sod


def _flip_signature(sod: bytes) -> bytes:
    from devices.card.lds.sod import parse_sod

    signature = parse_sod(sod).signers[0].signature
    at = sod.rfind(signature)
    mutable = bytearray(sod)
    mutable[at + len(signature) // 2] ^= 0x01
    return bytes(mutable)


def _corrupt(content: bytes) -> bytes:
    """Change one byte near the end, keeping the TLV structure intact."""
    mutable = bytearray(content)
    mutable[-3] ^= 0x01
    return bytes(mutable)
