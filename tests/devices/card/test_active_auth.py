"""Active authentication (ICAO 9303-11 §6.1): ISO/IEC 9796-2 scheme 1 message recovery on the
standard's published examples, every trailer, partial and total recovery, ECDSA plain and DER,
and the statuses a refusal or a bad signature gives."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.active_auth import (
    FAILED,
    NOT_SUPPORTED,
    SUCCEEDED,
    TRAILER_HASHES,
    AuthResult,
    active_authentication,
    recover_iso9796_2,
    sign_ecdsa_plain,
    sign_iso9796_2,
    verify_iso9796_2,
)
from devices.card.exchange import drive

VECTORS = json.loads((Path(__file__).parent / "vectors" / "iso9796_2_vectors.json").read_text())
CHALLENGE = bytes.fromhex("0102030405060708")
NONCE = bytes(range(200))


@cache
def rsa_key(bits: int = 1024) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, bits)


def _public(vector: dict[str, str]) -> rsa.RSAPublicKey:
    return rsa.RSAPublicNumbers(int(vector["e"], 16), int(vector["n"], 16)).public_key()


# --- the ISO/IEC 9796-2 (edition 1) examples ----------------------------------------------------


def test_iso9796_2_example_total_recovery_gives_back_the_whole_message() -> None:
    vector = VECTORS["total_recovery_ripemd128"]
    recovered = recover_iso9796_2(_public(vector), bytes.fromhex(vector["signature"]))
    assert not isinstance(recovered, str), recovered
    assert (recovered.partial, recovered.hash_name) == (False, "ripemd128")
    assert recovered.m1 == bytes.fromhex(vector["message"])


def test_iso9796_2_example_partial_recovery_hashes_m1_and_m2_together() -> None:
    vector = VECTORS["partial_recovery_ripemd160_implicit"]
    message = bytes.fromhex(vector["message"])
    recovered = recover_iso9796_2(_public(vector), bytes.fromhex(vector["signature"]))
    assert not isinstance(recovered, str), recovered
    assert recovered.partial and message.startswith(recovered.m1)
    assert len(recovered.m1) < len(message)
    # trailer BC: the hash is implied (RIPEMD-160 in this ISO example, SHA-1 under ICAO 9303)
    assert recovered.hash_value == hashlib.new("ripemd160", message).digest()


def test_a_changed_bit_in_the_example_signature_does_not_open() -> None:
    vector = VECTORS["partial_recovery_ripemd160_implicit"]
    signature = bytearray.fromhex(vector["signature"])
    signature[10] ^= 0x01
    assert isinstance(recover_iso9796_2(_public(vector), bytes(signature)), str)


# --- the trailer table (ISO/IEC 9796-2 §8.1, ISO/IEC 10118-3 hash identifiers) -------------------


@pytest.mark.parametrize(
    ("identifier", "hash_name"),
    [
        (0x33, "sha1"),
        (0x34, "sha256"),
        (0x35, "sha512"),
        (0x36, "sha384"),
        (0x38, "sha224"),
        (0x31, "ripemd160"),
    ],
)
def test_explicit_trailers_name_their_hash(identifier: int, hash_name: str) -> None:
    assert TRAILER_HASHES[identifier] == hash_name


@pytest.mark.parametrize("hash_name", ["sha1", "sha224", "sha256", "sha384", "sha512"])
@pytest.mark.parametrize("total", [False, True])
def test_a_signature_with_an_explicit_trailer_verifies(hash_name: str, total: bool) -> None:
    key = rsa_key()
    signature = sign_iso9796_2(
        key, CHALLENGE, NONCE, hash_name=hash_name, explicit_trailer=True, total=total
    )
    recovered = recover_iso9796_2(key.public_key(), signature)
    assert not isinstance(recovered, str)
    assert (recovered.hash_name, recovered.partial) == (hash_name, not total)
    assert verify_iso9796_2(key.public_key(), signature, CHALLENGE)[0]


@pytest.mark.parametrize("total", [False, True])
def test_the_implicit_trailer_bc_means_sha1(total: bool) -> None:
    key = rsa_key()
    signature = sign_iso9796_2(key, CHALLENGE, NONCE, total=total)
    recovered = recover_iso9796_2(key.public_key(), signature)
    assert not isinstance(recovered, str) and recovered.hash_name == "sha1"
    assert verify_iso9796_2(key.public_key(), signature, CHALLENGE)[0]


def test_total_recovery_with_padding_verifies() -> None:
    key = rsa_key()
    signature = sign_iso9796_2(key, CHALLENGE, b"\x11" * 5, total=True)
    recovered = recover_iso9796_2(key.public_key(), signature)
    assert not isinstance(recovered, str) and recovered.m1 == b"\x11" * 5 + CHALLENGE
    assert verify_iso9796_2(key.public_key(), signature, CHALLENGE)[0]


@pytest.mark.parametrize("total", [False, True])
def test_a_signature_over_another_challenge_does_not_verify(total: bool) -> None:
    key = rsa_key()
    signature = sign_iso9796_2(key, CHALLENGE, NONCE, hash_name="sha256", total=total,
                               explicit_trailer=True)  # fmt: skip
    assert not verify_iso9796_2(key.public_key(), signature, bytes(8))[0]


def test_a_signature_by_another_key_does_not_verify() -> None:
    signature = sign_iso9796_2(rsa.generate_private_key(65537, 1024), CHALLENGE, NONCE)
    assert not verify_iso9796_2(rsa_key().public_key(), signature, CHALLENGE)[0]


# --- the exchange and its statuses --------------------------------------------------------------


def _run(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey, answer: bytes,
         algorithm: str | None = None) -> AuthResult:  # fmt: skip
    return drive(active_authentication(key, algorithm, lambda n: CHALLENGE), lambda c: answer)


def test_an_rsa_chip_signature_succeeds() -> None:
    key = rsa_key()
    answer = sign_iso9796_2(key, CHALLENGE, NONCE, hash_name="sha384", explicit_trailer=True)
    assert _run(key.public_key(), answer + b"\x90\x00").status == SUCCEEDED


def test_a_refused_internal_authenticate_is_not_supported_not_failed() -> None:
    result = _run(rsa_key().public_key(), b"\x6d\x00")
    assert result.status == NOT_SUPPORTED and "6D00" in result.reason


def test_a_wrong_rsa_signature_fails() -> None:
    assert _run(rsa_key().public_key(), bytes(128) + b"\x90\x00").status == FAILED


@pytest.mark.parametrize(
    ("curve", "hash_name", "oid"),
    [
        (ec.BrainpoolP256R1(), "sha256", "0.4.0.127.0.7.1.1.4.1.3"),
        (ec.SECP384R1(), "sha384", "0.4.0.127.0.7.1.1.4.1.4"),
        (ec.BrainpoolP512R1(), "sha512", "0.4.0.127.0.7.1.1.4.1.5"),
        (ec.SECP256R1(), "sha1", "0.4.0.127.0.7.1.1.4.1.1"),
        (ec.SECP256R1(), "sha224", "0.4.0.127.0.7.1.1.4.1.2"),
    ],
)
def test_ecdsa_plain_signatures_verify_with_the_dg14_hash(
    curve: ec.EllipticCurve, hash_name: str, oid: str
) -> None:
    key = ec.generate_private_key(curve)
    answer = sign_ecdsa_plain(key, CHALLENGE, hash_name) + b"\x90\x00"
    assert _run(key.public_key(), answer, oid).status == SUCCEEDED


def test_an_ecdsa_signature_in_der_form_is_accepted() -> None:
    from cryptography.hazmat.primitives import hashes

    key = ec.generate_private_key(ec.SECP256R1())
    der = key.sign(CHALLENGE, ec.ECDSA(hashes.SHA256()))
    assert _run(key.public_key(), der + b"\x90\x00").status == SUCCEEDED


def test_without_active_authentication_info_the_hash_of_the_key_size_is_tried() -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    answer = sign_ecdsa_plain(key, CHALLENGE, "sha384") + b"\x90\x00"
    assert _run(key.public_key(), answer, None).status == SUCCEEDED


def test_an_ecdsa_signature_by_another_key_fails() -> None:
    other = ec.generate_private_key(ec.BrainpoolP256R1())
    key = ec.generate_private_key(ec.BrainpoolP256R1())
    answer = sign_ecdsa_plain(other, CHALLENGE) + b"\x90\x00"
    assert _run(key.public_key(), answer, "0.4.0.127.0.7.1.1.4.1.3").status == FAILED


def test_an_unknown_aa_algorithm_is_not_supported() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    answer = sign_ecdsa_plain(key, CHALLENGE) + b"\x90\x00"
    assert _run(key.public_key(), answer, "1.2.3.4").status == NOT_SUPPORTED
