"""Fuzz targets: every parser that reads bytes or text from outside the kiosk.

A target feeds one input to a parser. The parser may accept it or raise one of the target's
`expected` typed errors (the package's own error classes); anything else — IndexError,
UnicodeDecodeError, RecursionError, a hang — is a finding. `seeds()` gives valid inputs the
mutator starts from, so most inputs get deep into the parser instead of failing on byte one.

Used by `tests/fuzz/test_fuzz.py` (hypothesis, short) and `bench/fuzz.py` (≥ 100,000 inputs each).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes], object]
    expected: tuple[type[BaseException], ...]
    seeds: Callable[[], list[bytes]]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


# --- kiosk: configuration, catalogue, portal answers, VietQR, master lists, sealed values ---------


def _config() -> Target:
    from kiosk.config import ConfigError, KioskConfig, config_as_toml, parse_config

    return Target(
        "kiosk.toml",
        lambda data: parse_config(_text(data), "fuzz"),
        (ConfigError,),
        lambda: [
            config_as_toml(KioskConfig()).encode(),
            b'[devices]\ncard_reader = "pn532:/dev/ttyUSB0"\ncamera = 0\n'
            b"[ui]\nidle_timeout_s = 60\n",
        ],
    )


def _catalogue() -> Target:
    from kiosk.domain.catalogue import CatalogueInvalid, parse_catalogue

    source = Path(__file__).parents[2] / "kiosk" / "domain" / "data" / "procedures.json"
    return Target(
        "procedure catalogue",
        lambda data: parse_catalogue(data, "fuzz"),
        (CatalogueInvalid,),
        lambda: [source.read_bytes()],
    )


PORTAL_OPERATIONS = ["status", "list", "submit", "verify_otp", "fee", "request_otp"]
PORTAL_STATUS = [200, 200, 200, 200, 201, 202, 400, 401, 404, 409, 422, 429, 500, 503]


@cache
def _portal_client() -> Any:
    import httpx

    from kiosk.portal.client import PortalClient, RetryPolicy

    def answer(request: httpx.Request) -> httpx.Response:
        status, body = request.extensions["fuzz"] if "fuzz" in request.extensions else _PENDING[0]
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

    return PortalClient(
        "http://portal.fuzz",
        transport=httpx.MockTransport(answer),
        retry=RetryPolicy(attempts=1),
        sleep=lambda _: None,
    )


_PENDING: list[tuple[int, bytes]] = [(200, b"{}")]


def _portal_run(data: bytes) -> object:
    """First byte: operation and HTTP status; the rest: the answer's body."""
    if not data:
        data = b"\x00"
    client = _portal_client()
    operation = PORTAL_OPERATIONS[data[0] % len(PORTAL_OPERATIONS)]
    _PENDING[0] = (PORTAL_STATUS[(data[0] >> 3) % len(PORTAL_STATUS)], data[1:])
    if operation == "status":
        return client.dossier_status("000.00.12.H56-260302-0001")
    if operation == "list":
        return client.list_dossiers("acct-1")
    if operation == "submit":
        return client.submit_dossier({"kiosk_reference": "K-1"}, "key-1")
    if operation == "verify_otp":
        return client.verify_otp("acct-1", "123456")
    if operation == "fee":
        return client.fee_status("000.00.12.H56-260302-0001")
    return client.request_otp("acct-1")


def _portal_seeds() -> list[bytes]:
    status = {
        "portal_code": "000.00.12.H56-260302-0001",
        "kiosk_reference": "K-1",
        "procedure_code": "CT07",
        "status": "received",
        "status_text": "Đã tiếp nhận",
        "reason": None,
        "updated_at": "2026-03-02T09:00:00+07:00",
        "due_at": None,
    }
    bodies = [
        (0, status),
        (1, {"dossiers": [status, status]}),
        (2, {"portal_code": "P-1", "status": "received", "received_at": "2026-03-02T02:00:00Z"}),
        (
            3,
            {
                "account_id": "a",
                "username": "001******345",
                "status": "active",
                "activation_code": None,
                "activation_expires_at": None,
            },
        ),
        (
            4,
            {
                "portal_code": "P-1",
                "amount_vnd": 20000,
                "paid": True,
                "paid_at": "2026-03-02T02:00:00Z",
            },
        ),
        (5 + 8 * PORTAL_STATUS.index(202), {"expires_in": 300, "sent_to": "09******78"}),
        (0 + 8 * PORTAL_STATUS.index(422), {"code": "form_invalid", "message": "Thiếu tờ khai"}),
    ]
    return [bytes([op]) + json.dumps(body, ensure_ascii=False).encode() for op, body in bodies]


def _portal() -> Target:
    from kiosk.portal.errors import PortalError

    return Target("portal responses", _portal_run, (PortalError,), _portal_seeds)


def _vietqr() -> Target:
    from kiosk.domain.vietqr import VietQrError, parse

    example = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406"
        "1200005802VN62170813ung ho lu lut6304C15C"
    )
    return Target(
        "VietQR", lambda data: parse(_text(data)), (VietQrError,), lambda: [example.encode()]
    )


@cache
def _demo_pki() -> Any:
    from tests.kiosk.trust_pki import Pki

    return Pki()


def _master_list() -> Target:
    """The whole master-list import short of writing: the CMS and CscaMasterList structures, each
    listed certificate (lenient), the list's signature and the vetting of every CSCA."""
    from devices.card.errors import CardError
    from devices.card.trust_store import master_list_certificates, parse_listed
    from kiosk.records.trust_store import check_master_list_signature, vet_master_list
    from tests.kiosk.trust_pki import der

    def run(data: bytes) -> object:
        listed = master_list_certificates(data)
        trusted = [parse_listed(der(_demo_pki().csca))]
        check = check_master_list_signature(data, trusted, listed, now=_pki_now())
        return check, vet_master_list(listed, trusted)

    return Target("CSCA master list", run, (CardError,), lambda: [_demo_pki().master_list()])


def _pki_now() -> Any:
    from tests.kiosk.trust_pki import NOW

    return NOW


@cache
def _sealer() -> Any:
    import tempfile

    from kiosk.crypto.keyring import open_keyring
    from kiosk.crypto.sealer import Sealer

    folder = Path(tempfile.mkdtemp(prefix="kiosk-fuzz-"))
    return Sealer(open_keyring("file", folder / "m.key", folder / "ring.json"))


def _sealed() -> Target:
    from kiosk.crypto import SealError

    return Target(
        "sealed values",
        lambda data: _sealer().open(data, b"dossier:K-1"),
        (SealError,),
        lambda: [_sealer().seal(b'{"values": {"full_name": "x"}}', b"dossier:K-1")],
    )


# --- devices: card (APDU, TLV, LDS, MRZ, QR, CardAccess, SM, PN532) and printer status ----------


def _card_errors() -> tuple[type[BaseException], ...]:
    from devices.card.errors import CardError

    return (CardError,)


@cache
def _demo_files() -> dict[int, bytes]:
    from devices.card.simulator import _demo_profile

    return dict(_demo_profile(0).files)


def _apdu() -> Target:
    from devices.card.apdu import ResponseAPDU

    return Target(
        "APDU responses",
        lambda data: ResponseAPDU.decode(data).check(),
        _card_errors(),
        lambda: [b"\x90\x00", b"\x01\x02\x03\x90\x00", b"\x6a\x82", b"\x63\xc2", b"\x61\x10"],
    )


def _tlv() -> Target:
    from devices.card.tlv import parse_one

    return Target(
        "BER-TLV", parse_one, _card_errors(), lambda: [_demo_files()[0x011E], _demo_files()[0x010D]]
    )


LDS_FIDS = {
    0x011E: "COM",
    0x0101: "DG1",
    0x0102: "DG2",
    0x010D: "DG13",
    0x010E: "DG14",
    0x010F: "DG15",
    0x011D: "SOD",
}


def _lds_parsers() -> dict[int, Callable[[bytes], object]]:
    from devices.card.lds.com import parse_com
    from devices.card.lds.dg1 import parse_dg1
    from devices.card.lds.dg2 import parse_dg2
    from devices.card.lds.dg13 import parse_dg13
    from devices.card.lds.dg14 import parse_dg14
    from devices.card.lds.dg15 import parse_dg15
    from devices.card.lds.sod import parse_sod

    return {
        0x011E: parse_com,
        0x0101: parse_dg1,
        0x0102: parse_dg2,
        0x010D: parse_dg13,
        0x010E: parse_dg14,
        0x010F: parse_dg15,
        0x011D: parse_sod,
    }


def _lds_file(fid: int) -> Target:
    parser = _lds_parsers()[fid]
    return Target(f"LDS {LDS_FIDS[fid]}", parser, _card_errors(), lambda: [_demo_files()[fid]])


_REAL_WORLD = Path(__file__).parents[1] / "devices" / "card" / "vectors" / "real_world"


@cache
def _world_pkis() -> list[Any]:
    from devices.card.simulator.pki import make_pki

    return [make_pki(kind, label="fuzz") for kind in ("ecdsa", "rsa-pss", "bp512-explicit")]


def _der(certificate: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(certificate.public_bytes(serialization.Encoding.DER))


def _public_key() -> Target:
    from devices.card.cms import load_certificate
    from devices.card.public_keys import load_public_key

    def seeds() -> list[bytes]:
        pkis = _world_pkis()
        return [load_certificate(_der(p.ds_certificate)).subject_public_key_info for p in pkis]

    return Target("SubjectPublicKeyInfo", load_public_key, _card_errors(), seeds)


def _certificate() -> Target:
    from devices.card.cms import issued_by, load_certificate

    def run(data: bytes) -> object:
        certificate = load_certificate(data)
        _ = certificate.country, certificate.self_signed
        return issued_by(certificate, certificate)  # parses the key and verifies

    return Target(
        "X.509 certificate (lenient)",
        run,
        _card_errors(),
        lambda: [_der(p.csca_certificate) for p in _world_pkis()],
    )


def _signed_data() -> Target:
    from devices.card.cms import check_signers, parse_signed_data

    def run(data: bytes) -> object:
        return check_signers(parse_signed_data(data))

    def seeds() -> list[bytes]:
        return [p.sign_sod({1: b"\x61\x03abc"})[4:] for p in _world_pkis()]  # ContentInfo

    return Target("CMS SignedData", run, _card_errors(), seeds)


def _passive_authentication() -> Target:
    from devices.card.lds.sod import ID_DATA
    from devices.card.passive_auth import passive_authentication
    from devices.card.trust_store import TrustStore

    groups = {1: b"\x61\x03abc", 13: b"\x6d\x03xyz"}

    def run(data: bytes) -> object:  # must always answer with a status, never raise
        store = TrustStore([p.csca_certificate for p in _world_pkis()])
        named = {f"DG{n}": content for n, content in groups.items()}
        return passive_authentication(data, named, store).as_json()

    def seeds() -> list[bytes]:
        pkis = _world_pkis()
        return [p.sign_sod(groups) for p in pkis] + [pkis[2].sign_sod(groups, content_type=ID_DATA)]

    return Target("passive authentication", run, (), seeds)


def _mrz_seeds() -> list[bytes]:
    td1 = (
        "IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\n"
        "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
    )
    specimens = json.loads((_REAL_WORLD / "mrz_specimens.json").read_text())
    return [td1.encode()] + ["\n".join(s["lines"]).encode() for s in specimens.values()]


def _mrz() -> Target:
    from devices.card.mrz import parse_mrz

    return Target("MRZ", lambda data: parse_mrz(_text(data)), _card_errors(), _mrz_seeds)


def _mrz_lenient() -> Target:
    from devices.card.mrz import parse_mrz

    return Target(
        "MRZ (chip DG1, lenient)",
        lambda data: parse_mrz(_text(data), strict=False),
        _card_errors(),
        _mrz_seeds,
    )


def _lds_details(name: str) -> Target:
    from devices.card.lds.dg11 import parse_dg11
    from devices.card.lds.dg12 import parse_dg12
    from devices.card.lds.dg16 import parse_dg16

    parser = {"DG11": parse_dg11, "DG12": parse_dg12, "DG16": parse_dg16}[name]

    def seeds() -> list[bytes]:
        samples = json.loads((_REAL_WORLD / "lds_samples.json").read_text())
        return [bytes.fromhex(v["hex"]) for k, v in samples.items() if k.startswith(name.lower())]

    return Target(f"LDS {name}", lambda data: parser(data).as_json(), _card_errors(), seeds)


def _qr() -> Target:
    from devices.card.qr import parse_qr

    text = (
        "001095012345|123456789|Nguyễn Văn An|17031995|Nam|Thôn 1, Xã A, Huyện B, Tỉnh C|20052021"
    )
    return Target(
        "ID card QR",
        lambda data: parse_qr(_text(data)),
        _card_errors(),
        lambda: [text.encode(), text.replace("|17031995|", "|17/03/1995|").encode()],
    )


def _card_access() -> Target:
    from devices.card.security_infos import parse_security_infos
    from devices.card.simulator.profile import card_access

    return Target("EF.CardAccess", parse_security_infos, _card_errors(), lambda: [card_access()])


def _card_security() -> Target:
    from devices.card.security_infos import parse_card_security
    from devices.card.simulator import build_profile, demo_citizens, make_pki

    def seeds() -> list[bytes]:
        card = build_profile(
            demo_citizens()[0], make_pki("ecdsa", label="fuzz"), pace_mapping="ECDH-CAM"
        )
        return [card.card_security or b""]

    return Target("EF.CardSecurity", parse_card_security, _card_errors(), seeds)


def _card_security_check() -> Target:
    """EF.CardSecurity's signature and chain: `check_card_security` returns a verdict for any
    input (no exception at all), trusting the CSCA that signed the seed."""
    from devices.card.document import check_card_security
    from devices.card.simulator import build_profile, demo_citizens, make_pki
    from devices.card.trust_store import TrustStore

    pki = make_pki("ecdsa", label="fuzz")
    store = TrustStore([pki.csca_certificate])

    def seeds() -> list[bytes]:
        card = build_profile(demo_citizens()[0], pki, pace_mapping="ECDH-CAM")
        return [card.card_security or b""]

    return Target(
        "EF.CardSecurity verification", lambda data: check_card_security(data, store), (), seeds
    )


def _secure_messaging() -> Target:
    from devices.card.secure_messaging import SecureMessaging

    keys = bytes(range(16)), bytes(range(16, 32))

    def run(data: bytes) -> object:
        return SecureMessaging(*keys, ssc=0, cipher="AES").unprotect(data)

    def seeds() -> list[bytes]:
        chip = SecureMessaging(*keys, ssc=0, cipher="AES")
        reader = SecureMessaging(*keys, ssc=0, cipher="AES")
        command = reader.protect(bytes.fromhex("00B0000004"))
        chip.unprotect_command(command)
        return [chip.protect_response(b"\x01\x02\x03\x04", 0x9000), b"\x90\x00", b"\x69\x88"]

    return Target("secure messaging responses", run, _card_errors(), seeds)


def _read_binary_odd() -> Target:
    from devices.card.apdu import read_binary, read_binary_data

    command = read_binary(0x8000, 0xDC)

    def seeds() -> list[bytes]:
        return [bytes.fromhex("5381DC") + bytes(0xDC), bytes.fromhex("530401020304"), b""]

    return Target(
        "READ BINARY B1 answers",
        lambda data: read_binary_data(command, data),
        _card_errors(),
        seeds,
    )


@cache
def _aa_rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(65537, 1024)


def _iso9796_2() -> Target:
    from devices.card.active_auth import recover_iso9796_2, sign_iso9796_2

    challenge = bytes(range(8))

    def run(data: bytes) -> object:
        recovered = recover_iso9796_2(_aa_rsa_key().public_key(), data)
        return recovered if isinstance(recovered, str) else recovered.verifies(challenge)

    def seeds() -> list[bytes]:
        key = _aa_rsa_key()
        return [
            sign_iso9796_2(key, challenge, bytes(128)),
            sign_iso9796_2(key, challenge, bytes(5), total=True),
            sign_iso9796_2(key, challenge, bytes(128), hash_name="sha512", explicit_trailer=True),
        ]

    return Target("ISO 9796-2 signatures (active authentication)", run, _card_errors(), seeds)


def _chip_auth_choice() -> Target:
    from devices.card.chip_auth import choose_chip_authentication
    from devices.card.lds.dg14 import parse_dg14

    return Target(
        "DG14 chip authentication choice",
        lambda data: choose_chip_authentication(parse_dg14(data)),
        _card_errors(),
        lambda: [_demo_files()[0x010E]],
    )


def _pn532() -> Target:
    from devices.card.transports import pn532_frames as frames

    def run(data: bytes) -> object:
        decoder = frames.FrameDecoder()
        decoder.feed(data)
        found = []
        for _ in range(64):
            frame = decoder.next_frame()
            if frame is None:
                break
            found.append(frame)
            if not isinstance(frame, frames.InformationFrame) or not frame.data:
                continue
            command = frame.code - 1
            if command == frames.Command.GET_FIRMWARE_VERSION:
                frames.parse_firmware_version(frames.expect_response(frame, command))
            elif command == frames.Command.IN_LIST_PASSIVE_TARGET:
                params = frames.expect_response(frame, command)
                frames.parse_in_list_passive_target(params, frames.Modulation.ISO14443A_106)
            elif command == frames.Command.IN_DATA_EXCHANGE:
                frames.parse_in_data_exchange(frames.expect_response(frame, command))
        return found

    def seeds() -> list[bytes]:
        return [
            frames.ACK_FRAME
            + frames.encode_response(
                frames.Command.GET_FIRMWARE_VERSION, bytes.fromhex("32010607")
            ),
            frames.encode_response(frames.Command.IN_DATA_EXCHANGE, b"\x00\x90\x00"),
            frames.encode_response(
                frames.Command.IN_LIST_PASSIVE_TARGET, bytes.fromhex("0101000408044411223344")
            ),
            frames.encode_response(
                frames.Command.IN_DATA_EXCHANGE, b"\x00" + bytes(250), extended=True
            ),
        ]

    return Target("PN532 frames", run, _card_errors(), seeds)


def _escpos_status() -> Target:
    from devices.printer import status

    def run(data: bytes) -> object:
        answers = {n: b for n, b in zip(status.QUERIES, data, strict=False)}
        if not all(status.is_status_byte(b) for b in answers.values()):
            return None  # the transport refuses these before parsing (PrinterOffline)
        return status.parse(answers)

    return Target("ESC/POS status bytes", run, (), lambda: [bytes([0x16, 0x12, 0x12, 0x12])])


FACTORIES: list[Callable[[], Target]] = [
    _config,
    _catalogue,
    _portal,
    _vietqr,
    _master_list,
    _sealed,
    _apdu,
    _tlv,
    *(lambda fid=fid: _lds_file(fid) for fid in LDS_FIDS),  # type: ignore[misc]
    _mrz,
    _mrz_lenient,
    *(lambda name=name: _lds_details(name) for name in ("DG11", "DG12", "DG16")),  # type: ignore[misc]
    _qr,
    _card_access,
    _card_security,
    _card_security_check,
    _secure_messaging,
    _read_binary_odd,
    _iso9796_2,
    _chip_auth_choice,
    _pn532,
    _escpos_status,
    _public_key,
    _certificate,
    _signed_data,
    _passive_authentication,
]


def all_targets() -> tuple[list[Target], list[str]]:
    """The targets whose parsers exist in this checkout, and why any others are missing."""
    targets, missing = [], []
    for factory in FACTORIES:
        try:
            targets.append(factory())
        except (ImportError, AttributeError) as exc:
            missing.append(f"{factory.__name__}: {exc}")
    return targets, missing


# --- the mutator ---------------------------------------------------------------------------------

INTERESTING = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF, 0x30, 0x31, 0xA0, 0x04, 0x7C]


def mutate(seed: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """1–4 random edits of `seed`: bit flips, interesting bytes (ASN.1 lengths and tags),
    insertions, deletions, duplications, truncation, splicing with another seed."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(8)
        position = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data[min(position, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif choice == 1 and data:
            data[min(position, len(data) - 1)] = rng.choice(INTERESTING)
        elif choice == 2:
            data[position:position] = rng.randbytes(rng.randint(1, 8))
        elif choice == 3 and data:
            del data[position : position + rng.randint(1, 16)]
        elif choice == 4 and data:
            start = rng.randrange(len(data))
            chunk = data[start : start + rng.randint(1, 32)]
            data[position:position] = chunk
        elif choice == 5:
            del data[position:]
        elif choice == 6 and others:
            other = rng.choice(others)
            cut = rng.randrange(len(other) + 1)
            data[position:] = other[cut:]
        elif data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
    return bytes(data)


def fuzz_input(seeds: list[bytes], rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.05 or not seeds:
        return rng.randbytes(rng.randint(0, 64))
    if roll < 0.08:
        return rng.choice(seeds)
    return mutate(rng.choice(seeds), rng, seeds)
