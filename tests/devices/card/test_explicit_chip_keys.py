"""Chip and active authentication with DG14 / DG15 keys written with explicit EC parameters
(RFC 3279 §2.3.5), as the BSI and ETSI test documents and several states issue them: the keys
load through `devices.card.public_keys`, CA does ECDH on the named curve they equal (or on the
spelled-out curve itself), AA verifies through `VerifyingKey.verify`."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import ecdsa
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card.active_auth import SUCCEEDED, AuthResult, active_authentication
from devices.card.chip_auth import chip_authentication, chip_key, choose_chip_authentication
from devices.card.document import build_document
from devices.card.exchange import drive
from devices.card.kdf import ENC, MAC, derive_key
from devices.card.lds.dg14 import parse_dg14
from devices.card.lds.dg15 import parse_dg15
from devices.card.public_keys import load_public_key, standard_curve
from devices.card.reader import ChipRead
from devices.card.security_infos import ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo
from devices.card.simulator import CardProfile, build_profile
from devices.card.simulator.pki import ec_spki
from devices.card.simulator.profile import CA_ECDH, PK_ECDH
from devices.card.tlv import iter_tlv
from tests.devices.card.simulated_cards import CITIZEN, pki, trust
from tests.devices.card.world_cards import read

CHALLENGE = bytes.fromhex("1122334455667788")


@lru_cache(maxsize=8)
def _card(curve: str, pki_kind: str) -> CardProfile:
    return build_profile(
        CITIZEN, pki(pki_kind), chip_curve=curve, explicit_chip_keys=True,
        label=f"explicit-chip-keys/{curve}/{pki_kind}",
    )  # fmt: skip


@lru_cache(maxsize=8)
def _read(curve: str, pki_kind: str) -> ChipRead:
    return read(_card(curve, pki_kind))


CARDS = [
    ("brainpoolP256r1", "bp256-explicit"),
    ("brainpoolP384r1", "bp384-explicit"),
    ("brainpoolP512r1", "ecdsa"),
]


@pytest.mark.parametrize(("curve", "pki_kind"), CARDS)
def test_the_simulator_writes_dg14_and_dg15_keys_with_explicit_parameters(
    curve: str, pki_kind: str
) -> None:
    profile = _card(curve, pki_kind)
    ca = parse_dg14(profile.files[0x010E]).chip_authentication_keys[0]
    for key in (load_public_key(ca.subject_public_key_info), parse_dg15(profile.files[0x010F])):
        assert key.explicit and key.curve is not None and key.curve.name == curve


@pytest.mark.parametrize(("curve", "pki_kind"), CARDS)
def test_a_card_with_explicit_parameter_chip_keys_passes_ca_aa_and_pa(
    curve: str, pki_kind: str
) -> None:
    result = _read(curve, pki_kind)
    assert result.chip_authentication.status == SUCCEEDED, result.chip_authentication
    assert result.active_authentication.status == SUCCEEDED, result.active_authentication
    document = build_document(result.files, trust(pki_kind))
    assert document.passive.status.value == "VALID", document.passive.reason
    assert not document.problems  # DG15 with explicit parameters parses too


# --- chip authentication's key agreement, checked against an independent implementation ---------


READER_BYTE = b"\x42"  # the reader's ephemeral scalar is 4242…42 (below every curve order here)


def _fixed_random(n: int) -> bytes:
    return READER_BYTE * n


def _reader_side(
    info: ChipAuthenticationInfo, key: ChipAuthenticationPublicKeyInfo
) -> tuple[bytes, bytes, bytes]:
    """(reader's ephemeral point, ENC key, MAC key) of one CA run answered 9000 throughout."""
    commands: list[bytes] = []

    def answer(command: bytes) -> bytes:
        commands.append(command)
        return b"\x90\x00"

    session = drive(chip_authentication(info, key, _fixed_random), answer)
    objects = {e.tag: e.value for e in iter_tlv(commands[0][5:])}
    ephemeral = objects.get(0x91) or next(iter_tlv(next(iter_tlv(commands[1][5:])).value)).value
    return ephemeral, session.ks_enc, session.ks_mac


def _ecdh_x(curve: ecdsa.curves.Curve, scalar: int, point: tuple[int, int]) -> bytes:
    shared = ecdsa.ellipticcurve.Point(curve.curve, point[0], point[1], curve.order) * scalar
    return int(shared.x()).to_bytes(curve.baselen, "big")


def test_the_bsi_reference_documents_explicit_brainpool_p224r1_key_does_chip_authentication() -> (
    None
):
    """BSI TR-03105-5 reference data set (tests/devices/card/world/PROVENANCE.md): DG14 holds an
    explicit-parameter brainpoolP224r1 key and id-CA-ECDH-3DES (MSE:Set KAT)."""
    from tests.devices.card.world.test_world_documents import BSI, _file

    infos = parse_dg14(_file(f"{BSI}_dg14"))
    choice = choose_chip_authentication(infos)
    curve, point = chip_key(choice.key)
    assert curve == standard_curve("brainpoolP224r1") and choice.info.cipher == "3DES"
    ephemeral, ks_enc, ks_mac = _reader_side(choice.info, choice.key)
    reference = ecdsa.curves.BRAINPOOLP224r1
    size = reference.baselen
    x, y = (int.from_bytes(ephemeral[1 : 1 + size], "big"),
            int.from_bytes(ephemeral[1 + size :], "big"))  # fmt: skip
    k = int.from_bytes(READER_BYTE * size, "big")
    assert reference.generator * k == ecdsa.ellipticcurve.Point(reference.curve, x, y)
    secret = _ecdh_x(reference, k, point)  # x(k·PK_chip), which the chip gets as x(d·PK_reader)
    assert (ks_enc, ks_mac) == (derive_key(secret, ENC, "3DES"), derive_key(secret, MAC, "3DES"))


def test_a_key_on_a_non_standard_explicit_curve_does_chip_authentication_with_our_arithmetic() -> (
    None
):
    """brainpoolP256r1's field and order with another base point (G' = 7·G): a curve no library
    names, so `devices.card.ec` does the ECDH; the chip side is computed with `cryptography`."""
    base = standard_curve("brainpoolP256r1")
    chip_secret = 0xC0FFEE
    g7 = ec.derive_private_key(7, ec.BrainpoolP256R1()).public_key().public_numbers()
    public = ec.derive_private_key(7 * chip_secret % base.n, ec.BrainpoolP256R1()).public_key()
    numbers = public.public_numbers()
    custom = type(base)("custom", base.p, base.a, base.b, g7.x, g7.y, base.n)
    spki = ec_spki(custom, (numbers.x, numbers.y), explicit=True)
    key_info = ChipAuthenticationPublicKeyInfo(PK_ECDH, spki, None)
    curve, _ = chip_key(key_info)
    assert curve.name == "explicit" and curve.generator == (g7.x, g7.y)
    info = ChipAuthenticationInfo(CA_ECDH["AES128"], 1, None)
    ephemeral, ks_enc, _ = _reader_side(info, key_info)
    size = base.byte_length
    reader_point = ec.EllipticCurvePublicNumbers(
        int.from_bytes(ephemeral[1 : 1 + size], "big"),
        int.from_bytes(ephemeral[1 + size :], "big"),
        ec.BrainpoolP256R1(),
    ).public_key()
    chip = ec.derive_private_key(chip_secret, ec.BrainpoolP256R1())
    secret = chip.exchange(ec.ECDH(), reader_point)
    assert ks_enc == derive_key(secret, ENC, "AES128")


# --- active authentication with an explicit key that `cryptography` cannot hold ----------------


def test_an_explicit_brainpool_p224r1_dg15_key_verifies_active_authentication() -> None:
    reference = ecdsa.curves.BRAINPOOLP224r1
    signing = ecdsa.SigningKey.from_secret_exponent(0xBADC0DE, curve=reference)
    point = signing.verifying_key.pubkey.point
    key = load_public_key(
        ec_spki(standard_curve("brainpoolP224r1"), (point.x(), point.y()), explicit=True)
    )
    assert key.native is None and key.explicit
    signature = signing.sign_digest(
        hashlib.sha224(CHALLENGE).digest(), sigencode=ecdsa.util.sigencode_string
    )
    result: AuthResult = drive(
        active_authentication(key, "0.4.0.127.0.7.1.1.4.1.2", lambda n: CHALLENGE),
        lambda command: signature + b"\x90\x00",
    )
    assert result.status == SUCCEEDED, result
    wrong = drive(
        active_authentication(key, "0.4.0.127.0.7.1.1.4.1.2", lambda n: bytes(8)),
        lambda command: signature + b"\x90\x00",
    )
    assert wrong.status == "FAILED"
