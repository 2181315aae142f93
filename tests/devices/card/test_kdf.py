"""Key derivation: ICAO 9303-11 Appendix D.1 (BAC), §9.7.3 (PACE password), docs/domain.md §2."""

import pytest

from devices.card import compute_key_seed, derive_key
from devices.card.errors import InvalidAccessKey
from devices.card.kdf import adjust_parity
from tests.devices.card.icao_vectors import h, load

BAC = load("bac_vectors")
KD = BAC["key_derivation"]
PACE = load("pace_vectors")


def test_key_seed_is_the_first_16_bytes_of_sha1_of_the_mrz_information_d1() -> None:
    assert compute_key_seed(BAC["inputs_text"]["mrz_information_ascii"]) == h(KD["k_seed"])


@pytest.mark.parametrize(
    ("counter", "expected"),
    [(1, KD["kenc"]), (2, KD["kmac"])],
    ids=["D.1 K_enc (counter 1)", "D.1 K_mac (counter 2)"],
)
def test_3des_keys_are_derived_with_parity_bits_adjusted(counter: int, expected: str) -> None:
    assert derive_key(h(KD["k_seed"]), counter) == h(expected)


def test_parity_adjustment_makes_every_byte_odd_d1() -> None:
    adjusted = adjust_parity(h(KD["kenc_no_parity"]))
    assert adjusted == h(KD["kenc"])
    assert all(bin(b).count("1") % 2 == 1 for b in adjusted)


def test_cccd_key_seed_matches_the_domain_example() -> None:
    assert compute_key_seed("095012345595031793503177") == h("5D41973A6EE8FDFAF051C6DE3BF511CE")


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        (PACE["G1_ecdh_gm"]["k_pi_seed (SHA1(MRZ information))"],
         PACE["G1_ecdh_gm"]["k_pi (KDF counter 3, AES-128)"]),
        (PACE["CAN_and_MRZ_password_key_derivation"]["can_password_key_k"],
         PACE["CAN_and_MRZ_password_key_derivation"]["k_pi_aes128 (KDF counter 3)"]),
    ],
    ids=["G.1 MRZ password", "CAN 123456"],
)  # fmt: skip
def test_pace_password_key_uses_counter_3_and_sha1_for_aes128(seed: str, expected: str) -> None:
    assert derive_key(h(seed), 3, "AES128") == h(expected)


def test_aes256_keys_are_32_bytes_from_sha256() -> None:
    import hashlib

    key = derive_key(b"secret", 1, "AES256")
    assert key == hashlib.sha256(b"secret\x00\x00\x00\x01").digest()


def test_unknown_cipher_is_a_typed_error() -> None:
    with pytest.raises(InvalidAccessKey):
        derive_key(b"x", 1, "RC4")
