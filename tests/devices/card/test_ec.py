"""Elliptic-curve arithmetic (PACE generic mapping; `cryptography` has no point addition)."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec

from devices.card.ec import STANDARDIZED_CURVES
from devices.card.errors import ProtocolError
from tests.devices.card.icao_vectors import h, load

G1 = load("pace_vectors")["G1_ecdh_gm"]
BP256 = STANDARDIZED_CURVES[13]


@pytest.mark.parametrize("parameter_id", sorted(STANDARDIZED_CURVES))
def test_every_standardized_generator_has_the_curve_order(parameter_id: int) -> None:
    curve = STANDARDIZED_CURVES[parameter_id]
    assert curve.contains(curve.generator)
    assert curve.multiply(curve.n, curve.generator) is None


@pytest.mark.parametrize(
    ("private", "public"),
    [("sk_map_pcd", "pk_map_pcd"), ("sk_map_ic", "pk_map_ic"), ("sk_pcd (ephemeral)", None)],
)
def test_scalar_multiplication_matches_g1_public_keys(private: str, public: str | None) -> None:
    point = BP256.multiply(int(G1[private], 16), BP256.generator)
    if public is None:  # the ephemeral key lives on the mapped generator, not on G
        mapped = BP256.decode_point(h(G1["mapped_generator"]))
        point = BP256.multiply(int(G1[private], 16), mapped)
        public = "pk_pcd (ephemeral)"
    assert BP256.encode_point(point) == h(G1[public])


def test_shared_point_h_matches_g1_from_both_sides() -> None:
    from_pcd = BP256.multiply(int(G1["sk_map_pcd"], 16), BP256.decode_point(h(G1["pk_map_ic"])))
    from_ic = BP256.multiply(int(G1["sk_map_ic"], 16), BP256.decode_point(h(G1["pk_map_pcd"])))
    assert BP256.encode_point(from_pcd) == BP256.encode_point(from_ic) == h(G1["shared_secret_h"])


def test_point_addition_agrees_with_scalar_multiplication() -> None:
    g = BP256.generator
    assert BP256.add(BP256.multiply(5, g), BP256.multiply(7, g)) == BP256.multiply(12, g)
    assert BP256.add(g, BP256.negate(g)) is None
    assert BP256.add(g, g) == BP256.multiply(2, g)


@pytest.mark.parametrize(
    ("parameter_id", "curve"),
    [(12, crypto_ec.SECP256R1()), (13, crypto_ec.BrainpoolP256R1()), (15, crypto_ec.SECP384R1())],
)
def test_public_keys_agree_with_the_cryptography_package(parameter_id: int, curve: object) -> None:
    ours = STANDARDIZED_CURVES[parameter_id]
    scalar = 0x1234567890ABCDEF1234567890ABCDEF
    theirs = crypto_ec.derive_private_key(scalar, curve).public_key().public_numbers()  # type: ignore[arg-type]
    assert ours.multiply(scalar, ours.generator) == (theirs.x, theirs.y)


def test_decoding_a_point_off_the_curve_is_refused() -> None:
    bad = bytearray(h(G1["pk_map_ic"]))
    bad[-1] ^= 1
    with pytest.raises(ProtocolError):
        BP256.decode_point(bytes(bad))


@pytest.mark.parametrize("parameter_id", [12, 13, 15, 16])
def test_openssl_fast_paths_agree_with_our_arithmetic(parameter_id: int) -> None:
    curve = STANDARDIZED_CURVES[parameter_id]
    scalar, other = 0xC0FFEE1234567890ABCDEF, 0x1D2C3B4A59687F
    assert curve.multiply_generator(scalar) == curve.multiply(scalar, curve.generator)
    peer = curve.multiply(other, curve.generator)
    assert peer is not None
    ours = curve.multiply(scalar, peer)
    assert ours is not None
    assert curve.shared_x(scalar, peer) == ours[0].to_bytes(curve.byte_length, "big")
