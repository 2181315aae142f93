"""A card profile: what the simulated chip needs — its files, keys, capabilities and faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

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
from devices.card.public_keys import standard_curve
from devices.card.security_infos import CIPHERS, ID_AA, ID_CA, ID_PACE, ID_PK, ID_TA
from devices.card.simulator.citizen import FACES, Citizen, chip_photo
from devices.card.simulator.pki import TestPki, ec_key_from_label, ec_spki, make_pki

PACE_ECDH_GM_AES128 = ID_PACE + ".2.2"
PACE_PROTOCOLS = {  # mapping → (protocol OID with AES-128, standardized parameter ID)
    "ECDH-GM": (ID_PACE + ".2.2", 13),
    "ECDH-IM": (ID_PACE + ".4.2", 13),
    "ECDH-CAM": (ID_PACE + ".6.2", 13),
    "DH-GM": (ID_PACE + ".1.2", 0),
    "DH-IM": (ID_PACE + ".3.2", 0),
}
CA_ECDH_AES128 = ID_CA + ".2.2"
PK_ECDH = ID_PK + ".2"
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"
ECDSA_PLAIN = {h: f"0.4.0.127.0.7.1.1.4.1.{i}" for i, h in
               enumerate(("sha1", "sha224", "sha256", "sha384", "sha512"), start=1)}  # fmt: skip
CA_ECDH = {name: f"{ID_CA}.2.{arc}" for arc, name in CIPHERS.items()}  # id-CA-ECDH-<cipher>
CHIP_CURVES: dict[str, ec.EllipticCurve] = {  # curves for the chip's CA and ECDSA AA keys
    "brainpoolP256r1": ec.BrainpoolP256R1(),
    "brainpoolP384r1": ec.BrainpoolP384R1(),
    "brainpoolP512r1": ec.BrainpoolP512R1(),
    "secp256r1": ec.SECP256R1(),
    "secp384r1": ec.SECP384R1(),
}
CARD_SECURITY_FAULTS = ("", "other_ds", "wrong_signature", "unsigned")


@dataclass(frozen=True)
class AaScheme:
    """How the chip signs INTERNAL AUTHENTICATE (ICAO 9303-11 §6.1)."""

    hash_name: str = "sha1"
    explicit_trailer: bool = False  # RSA: trailer `<hash id> CC` instead of BC (SHA-1 only)
    total_recovery: bool = False  # RSA: the whole message (nonce ‖ challenge) is recoverable
    der: bool = False  # ECDSA: answer a DER signature instead of plain r‖s


@dataclass(frozen=True)
class ChipFaults:
    """Chip-side fault injection."""

    wrong_key: bool = False  # the chip's keys differ from what the card prints (QR / MRZ)
    corrupt: tuple[str, ...] = ()  # data groups altered after the SOD was signed
    forged_sod: str = ""  # "" | "untrusted" (signed by an unknown CSCA) | "bad_signature"
    # a clone with the genuine card's data: "hide_dg15" (DG15 and AA withheld, still in COM/SOD),
    # "aa_key" (signs AA with another key), "ca_key" (holds another CA key than DG14's)
    clone: str = ""
    ca_error_sw: int = 0  # answer MSE for chip authentication with this status word, e.g. 6A80
    bare_sw: tuple[tuple[str, int], ...] = ()  # (file, SW): SELECT answered without SM
    unsigned: tuple[str, ...] = ()  # data groups on the chip that the SOD does not list
    # EF.CardSecurity (PACE-CAM) forged: "other_ds" (signed by another PKI's DS, whose certificate
    # it carries), "wrong_signature" (names the genuine DS but another key signed it), "unsigned"
    card_security: str = ""


@dataclass
class CardProfile:
    files: dict[int, bytes]  # FID → content
    mrz_information: str
    can: str | None
    pace: bool = True
    bac: bool = True
    extended_length: bool = True
    max_response_data: int = 0x7FFF  # the card's own buffer for READ BINARY data
    refuse_select_mf: bool = True  # the CCCD answers SELECT MF with 6D00 (docs/domain.md §1)
    sfi_reads: bool = True
    aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    aa_scheme: AaScheme = AaScheme()
    ca_key: ec.EllipticCurvePrivateKey | None = None
    card_security: bytes | None = None  # EF.CardSecurity in the MF (needed for PACE-CAM)
    pace_needs_parameter_id: bool = False  # MSE:Set AT without `84` answers 6A80
    pace_refused: bool = False  # every MSE:Set AT for PACE answers 6A80 (readers fall back to BAC)
    ca_key_id: int | None = None  # the key ID DG14 gives `ca_key` (None: a single key, no ID)
    ca_other_keys: dict[int, ec.EllipticCurvePrivateKey] = field(default_factory=dict)
    ca_error_sw: int = 0
    odd_read_binary: bool = True  # READ BINARY B1 with DO'54' offsets
    bare_sw: dict[int, int] = field(default_factory=dict)  # FID → SW answered without SM
    protected_fids: frozenset[int] = frozenset({0x0103})  # DG3: EAC only → 6982
    label: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"CardProfile({self.label or 'card'}, files={len(self.files)})"


def pace_info(mapping: str = "ECDH-GM") -> bytes:
    protocol, parameter_id = PACE_PROTOCOLS[mapping]
    return asn1.der_seq(asn1.der_oid(protocol), asn1.der_int(2), asn1.der_int(parameter_id))


def card_access(*, pace: bool = True, ca: bool = True, pace_mapping: str = "ECDH-GM") -> bytes:
    infos = []
    if pace:
        infos.append(pace_info(pace_mapping))
    if ca:
        infos.append(asn1.der_seq(asn1.der_oid(CA_ECDH_AES128), asn1.der_int(1)))
        infos.append(asn1.der_seq(asn1.der_oid(ID_TA), asn1.der_int(2)))
    return asn1.der_set(*infos)


def build_profile(
    citizen: Citizen,
    pki: TestPki | None = None,
    *,
    aa: str = "ecdsa",  # "ecdsa" | "rsa" | ""
    aa_scheme: AaScheme | None = None,  # default: RSA SHA-1 with trailer BC, ECDSA SHA-256
    aa_info: bool = True,  # ECDSA: DG14 names the AA algorithm (ActiveAuthenticationInfo)
    ca: bool = True,
    ca_cipher: str = "AES128",  # "3DES" uses MSE:Set KAT
    ca_keys: int = 1,  # more than one: DG14 holds several keys with key IDs
    pace: bool = True,
    parents_nested: bool = False,
    dg2_bytes: int | None = None,  # a DG2 photo of at least this many bytes (B1 reads past 32 KB)
    faults: ChipFaults = ChipFaults(),
    label: str | None = None,
    pace_mapping: str = "ECDH-GM",
    pace_needs_parameter_id: bool = False,
    pace_refused: bool = False,
    sod_content_type: str = ID_LDS_SECURITY_OBJECT,
    chip_curve: str = "brainpoolP256r1",
    explicit_chip_keys: bool = False,
) -> CardProfile:
    """A CCCD-like card for `citizen`: COM, DG1, DG2, DG13, DG14, DG15, SOD, EF.CardAccess.
    The PKI may be any `make_pki` kind (explicit-parameter brainpool, RSA-PSS, an expired DS);
    `sod_content_type` may be id-data, as some states issue. The chip's CA keys and ECDSA AA key
    are on `chip_curve`; `explicit_chip_keys` writes them into DG14 and DG15 with explicit curve
    parameters (as the BSI and ETSI test documents and several states do)."""
    label = label or f"citizen/{citizen.id_number}"
    pki = pki or make_pki("ecdsa")
    if dg2_bytes:
        photo, width, height = large_photo(citizen.photo, dg2_bytes)
    else:
        photo, width, height = chip_photo(citizen.photo)
    scheme = aa_scheme or AaScheme("sha256" if aa == "ecdsa" else "sha1")
    groups: dict[str, bytes] = {
        "DG1": encode_dg1(citizen.mrz_text),
        "DG2": encode_dg2(photo, width, height),
        "DG13": encode_dg13(citizen.dg13_values(), parents_nested=parents_nested),
    }
    aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    security_infos: list[bytes] = []
    curve = CHIP_CURVES[chip_curve]
    if aa == "ecdsa":
        aa_key = ec_key_from_label(f"{label}/aa", curve)
        if aa_info:
            oid = ECDSA_PLAIN[scheme.hash_name]
            security_infos.append(
                asn1.der_seq(asn1.der_oid(ID_AA), asn1.der_int(1), asn1.der_oid(oid))
            )
    elif aa == "rsa":
        aa_key = rsa.generate_private_key(65537, 1024)
    ca_key, ca_key_id, ca_others = None, None, {}
    if ca:
        keys = {
            i: ec_key_from_label(f"{label}/ca" + (f"/{i}" if i > 1 else ""), curve)
            for i in range(1, ca_keys + 1)
        }
        if ca_keys == 1:
            ca_key = keys[1]
        else:  # several keys: the protocol names the last one, so order alone would pick wrong
            ca_key_id = ca_keys
            ca_key = keys.pop(ca_key_id)
            ca_others = keys
        for key_id, key in sorted({**ca_others, (ca_key_id or 0): ca_key}.items()):
            spki = _chip_spki(key.public_key(), explicit_chip_keys)
            ids = [asn1.der_int(key_id)] if ca_key_id is not None else []
            security_infos.append(asn1.der_seq(asn1.der_oid(PK_ECDH), spki, *ids))
        ids = [asn1.der_int(ca_key_id)] if ca_key_id is not None else []
        security_infos.append(asn1.der_seq(asn1.der_oid(CA_ECDH[ca_cipher]), asn1.der_int(1), *ids))
    if security_infos:
        groups["DG14"] = encode_dg14(security_infos)
    if isinstance(aa_key, ec.EllipticCurvePrivateKey):
        groups["DG15"] = encode_dg15(_chip_spki(aa_key.public_key(), explicit_chip_keys))
    elif aa_key is not None:
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
    aa_key, ca_key = _clone(faults.clone, files, aa_key, ca_key, label)
    files[EF_CARD_ACCESS] = card_access(pace=pace, ca=ca, pace_mapping=pace_mapping)
    card_security = None
    if pace and pace_mapping == "ECDH-CAM":
        ca_key = ca_key or ec_key_from_label(f"{label}/ca")
        card_security = _card_security(pki, pace_mapping, ca_key, faults.card_security)
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
        aa_scheme=scheme,
        ca_key=ca_key,
        card_security=card_security,
        pace_needs_parameter_id=pace_needs_parameter_id,
        pace_refused=pace_refused,
        ca_key_id=ca_key_id,
        ca_other_keys=ca_others,
        ca_error_sw=faults.ca_error_sw,
        bare_sw={BY_NAME[name].fid: sw for name, sw in faults.bare_sw},
        label=label,
    )


def _chip_spki(key: ec.EllipticCurvePublicKey, explicit: bool) -> bytes:
    if not explicit:
        return _spki(key)
    numbers = key.public_numbers()
    return ec_spki(standard_curve(_curve_name(key.curve)), (numbers.x, numbers.y), explicit=True)


def _curve_name(curve: ec.EllipticCurve) -> str:
    return next(name for name, known in CHIP_CURVES.items() if known.name == curve.name)


def _spki(key: ec.EllipticCurvePublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


AaKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _clone(
    kind: str,
    files: dict[int, bytes],
    aa_key: AaKey | None,
    ca_key: ec.EllipticCurvePrivateKey | None,
    label: str,
) -> tuple[AaKey | None, ec.EllipticCurvePrivateKey | None]:
    """A clone copies the files but cannot copy the chip's private keys."""
    if kind == "hide_dg15":
        files.pop(BY_NAME["DG15"].fid, None)
        return None, ca_key
    if kind == "aa_key" and aa_key is not None:
        if isinstance(aa_key, rsa.RSAPrivateKey):
            return rsa.generate_private_key(65537, aa_key.key_size), ca_key
        return ec_key_from_label(f"{label}/clone/aa", aa_key.curve), ca_key
    if kind == "ca_key" and ca_key is not None:
        return aa_key, ec_key_from_label(f"{label}/clone/ca", ca_key.curve)
    if kind:
        raise ValueError(f"unknown clone kind {kind!r}")
    return aa_key, ca_key


@lru_cache(maxsize=8)
def large_photo(name: str, at_least: int) -> tuple[bytes, int, int]:
    """(JPEG, width, height) of the sample face, scaled up until the JPEG has `at_least` bytes
    (issuers with high-resolution portraits have DG2s of 30–100 KB)."""
    import cv2

    image = cv2.imread(str(FACES / name))
    if image is None:
        raise FileNotFoundError(FACES / name)

    def encode(height: int, quality: int) -> tuple[bytes, int]:
        width = round(image.shape[1] * height / image.shape[0])
        scaled = cv2.resize(image, (width, height), interpolation=cv2.INTER_CUBIC)
        ok, encoded = cv2.imencode(".jpg", scaled, [cv2.IMWRITE_JPEG_QUALITY, quality])
        return (encoded.tobytes() if ok else b""), width

    best: tuple[bytes, int, int] | None = None
    for height in range(480, 4001, 40):
        if len(encode(height, 95)[0]) < at_least:
            continue
        low, high = 10, 95  # the lowest quality that still reaches the size: close to it
        while low < high:
            middle = (low + high) // 2
            if len(encode(height, middle)[0]) >= at_least:
                high = middle
            else:
                low = middle + 1
        jpeg, width = encode(height, low)
        if best is None or len(jpeg) < len(best[0]):
            best = jpeg, width, height
        if len(best[0]) <= at_least * 1.03:
            break
    if best is not None:
        return best
    raise ValueError(f"{name} does not reach {at_least} bytes")


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


def _card_security(
    pki: TestPki, pace_mapping: str, chip_key: ec.EllipticCurvePrivateKey, fault: str = ""
) -> bytes:
    """EF.CardSecurity: SecurityInfos with the chip's static key, signed like a SOD (§9.2.11);
    `fault` forges it (`ChipFaults.card_security`)."""
    from cryptography.hazmat.primitives import serialization

    from devices.card.lds.sod import ID_SIGNED_DATA, encode_signed_attributes, encode_sod
    from devices.card.security_infos import ID_SECURITY_OBJECT
    from devices.card.signatures import digest
    from devices.card.tlv import encode_tlv

    if fault not in CARD_SECURITY_FAULTS:
        raise ValueError(f"unknown EF.CardSecurity fault {fault!r}")
    spki = chip_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    content = asn1.der_set(
        pace_info(pace_mapping),
        asn1.der_seq(asn1.der_oid(PK_ECDH), spki, asn1.der_int(13)),
    )
    if fault == "unsigned":  # SignedData with no certificate and no SignerInfo
        encapsulated = asn1.der_seq(
            asn1.der_oid(ID_SECURITY_OBJECT), encode_tlv(0xA0, asn1.der_octets(content))
        )
        digests = asn1.der_set(asn1.der_seq(asn1.der_oid("2.16.840.1.101.3.4.2.1")))
        signed_data = asn1.der_seq(asn1.der_int(3), digests, encapsulated, asn1.der_set())
        return asn1.der_seq(asn1.der_oid(ID_SIGNED_DATA), encode_tlv(0xA0, signed_data))
    signer = make_pki("ecdsa", label="forger") if fault in ("other_ds", "wrong_signature") else pki
    attributes = encode_signed_attributes(
        ID_SECURITY_OBJECT, digest("sha256", content), "240701000000Z"
    )
    signature, algorithm = signer._sign(attributes, "sha256")
    named = pki if fault == "wrong_signature" else signer  # the DS the file names and carries
    issuer_and_serial = asn1.der_seq(
        named.ds_certificate.issuer.public_bytes(),
        asn1.der_int(named.ds_certificate.serial_number),
    )
    return encode_sod(
        content=content,
        content_type=ID_SECURITY_OBJECT,
        digest_algorithm="sha256",
        signed_attributes=attributes,
        signature_algorithm=algorithm,
        signature=signature,
        certificate=named.ds_certificate.public_bytes(serialization.Encoding.DER),
        issuer_and_serial=issuer_and_serial,
        wrap_tag=None,
    )
