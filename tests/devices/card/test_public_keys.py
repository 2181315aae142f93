"""Public keys as the world writes them: named or explicit EC parameters (RFC 3279 §2.3.5),
RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 4055), lenient parsing and strict verification."""

import hashlib

import ecdsa
import pytest
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from devices.card import asn1
from devices.card.ec import Curve
from devices.card.errors import ParseError
from devices.card.lds.sod import HASH_OID_BY_NAME, AlgorithmIdentifier
from devices.card.public_keys import (
    KeyUnsupported,
    VerifyingKey,
    certificate_public_key,
    curve_names,
    load_public_key,
    standard_curve,
)
from devices.card.simulator.pki import ec_spki, make_pki
from devices.card.tlv import encode_tlv, parse_one

MESSAGE = b"signed attributes of an EF.SOD"
ECDSA_SHA256 = AlgorithmIdentifier("1.2.840.10045.4.3.2", b"")
ECDSA_PLAIN_SHA256 = AlgorithmIdentifier("0.4.0.127.0.7.1.1.4.1.3", b"")
OPENSSL_CURVES = {
    "secp192r1", "secp224r1", "secp256r1", "secp384r1", "secp521r1", "secp256k1",
    "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1",
}  # fmt: skip


def _signed_with_ecdsa(curve: Curve, *, explicit: bool) -> tuple[VerifyingKey, bytes]:
    """A key on `curve` (signed by the `ecdsa` package, which knows every curve) and its
    DER signature over MESSAGE."""
    fp = ecdsa.ellipticcurve.CurveFp(curve.p, curve.a, curve.b, 1)
    generator = ecdsa.ellipticcurve.PointJacobi(fp, curve.gx, curve.gy, 1, curve.n)
    native = ecdsa.curves.Curve("test", fp, generator, (1, 2, 3, 4))
    signer = ecdsa.SigningKey.from_secret_exponent(12345678901234567, native, hashlib.sha256)
    point = signer.get_verifying_key().pubkey.point
    key = load_public_key(ec_spki(curve, (point.x(), point.y()), explicit=explicit))
    return key, signer.sign(MESSAGE, sigencode=ecdsa.util.sigencode_der)


@pytest.mark.parametrize("name", curve_names())
def test_explicit_parameters_equal_to_a_standard_curve_are_recognised_and_verify(name: str) -> None:
    key, signature = _signed_with_ecdsa(standard_curve(name), explicit=True)
    assert key.curve is not None and key.curve.name == name and key.explicit
    assert key.verify(ECDSA_SHA256, signature, MESSAGE)
    assert not key.verify(ECDSA_SHA256, signature, MESSAGE + b"!")


@pytest.mark.parametrize("name", curve_names())
def test_a_curve_openssl_has_goes_to_openssl_and_the_others_to_the_fallback(name: str) -> None:
    key, _ = _signed_with_ecdsa(standard_curve(name), explicit=True)
    assert (key.native is not None) == (name in OPENSSL_CURVES)


def test_a_brainpool_p512r1_explicit_key_like_vietnams_csca_verifies() -> None:
    private = ec.generate_private_key(ec.BrainpoolP512R1())
    numbers = private.public_key().public_numbers()
    spki = ec_spki(standard_curve("brainpoolP512r1"), (numbers.x, numbers.y), explicit=True)
    with pytest.raises(UnsupportedAlgorithm):  # what `cryptography` alone does with it
        serialization.load_der_public_key(spki)
    key = load_public_key(spki)
    signature = private.sign(MESSAGE, ec.ECDSA(hashes.SHA512()))
    assert key.describe() == "EC brainpoolP512r1 (explicit parameters)"
    assert key.verify(AlgorithmIdentifier("1.2.840.10045.4.3.4", b""), signature, MESSAGE)


def test_an_explicit_curve_that_is_no_standard_one_verifies_through_the_fallback() -> None:
    bp256 = standard_curve("brainpoolP256r1")
    g2 = bp256.multiply(2, bp256.generator)
    assert g2 is not None
    other = Curve("test", bp256.p, bp256.a, bp256.b, g2[0], g2[1], bp256.n)
    key, signature = _signed_with_ecdsa(other, explicit=True)
    assert key.curve is not None and key.curve.name == "explicit" and key.native is None
    assert key.verify(ECDSA_SHA256, signature, MESSAGE)
    assert not key.verify(ECDSA_SHA256, signature, MESSAGE + b"!")


def test_a_compressed_public_point_is_decompressed() -> None:
    private = ec.generate_private_key(ec.SECP224R1())  # p ≡ 1 mod 4: the general square root
    numbers = private.public_key().public_numbers()
    spki = ec_spki(
        standard_curve("secp224r1"), (numbers.x, numbers.y), explicit=True, compressed=True
    )
    assert load_public_key(spki).point == (numbers.x, numbers.y)


def test_a_public_point_off_the_curve_is_refused() -> None:
    curve = standard_curve("brainpoolP256r1")
    with pytest.raises(ParseError, match="not on the curve"):
        load_public_key(ec_spki(curve, (curve.gx, curve.gy + 1), explicit=True))


def test_a_dsa_key_is_unsupported() -> None:
    dsa_spki = asn1.der_seq(
        asn1.der_seq(asn1.der_oid("1.2.840.10040.4.1")), encode_tlv(0x03, b"\x00\x02\x01\x05")
    )
    with pytest.raises(KeyUnsupported):
        load_public_key(dsa_spki)


def test_a_dg14_chip_authentication_key_id_pk_ecdh_loads() -> None:
    curve = standard_curve("brainpoolP256r1")
    spki = parse_one(ec_spki(curve, curve.generator, explicit=True)).children()
    algorithm = spki[0].children()
    dg14_style = asn1.der_seq(
        asn1.der_seq(asn1.der_oid("0.4.0.127.0.7.2.2.1.2"), algorithm[1].raw), spki[1].raw
    )
    assert load_public_key(dg14_style).point == curve.generator


@pytest.mark.parametrize("kind", ["DER", "plain"])
def test_ecdsa_signatures_in_der_or_plain_form_verify(kind: str) -> None:
    private = ec.generate_private_key(ec.BrainpoolP256R1())
    key = load_public_key(private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))  # fmt: skip
    der = private.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    plain = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    if kind == "DER":
        assert key.verify(ECDSA_SHA256, der, MESSAGE)
    else:
        assert key.verify(ECDSA_PLAIN_SHA256, plain, MESSAGE)


@pytest.mark.parametrize("explicit", [False, True])
def test_s_equal_to_the_order_is_refused_on_every_path(explicit: bool) -> None:
    curve = standard_curve("brainpoolP256t1" if explicit else "brainpoolP256r1")
    key, _ = _signed_with_ecdsa(curve, explicit=True)
    r_and_n = (1).to_bytes(32, "big") + curve.n.to_bytes(32, "big")
    assert not key.verify(ECDSA_PLAIN_SHA256, r_and_n, MESSAGE)


def _pss_identifier(hash_name: str, salt: int) -> AlgorithmIdentifier:
    hash_alg = asn1.der_seq(asn1.der_oid(HASH_OID_BY_NAME[hash_name]))
    mgf = asn1.der_seq(asn1.der_oid("1.2.840.113549.1.1.8"), hash_alg)
    params = asn1.der_seq(
        encode_tlv(0xA0, hash_alg), encode_tlv(0xA1, mgf), encode_tlv(0xA2, asn1.der_int(salt))
    )
    return AlgorithmIdentifier("1.2.840.113549.1.1.10", params)


RSA_KEY = rsa.generate_private_key(65537, 2048)
RSA_SPKI = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)


@pytest.mark.parametrize(
    ("hash_name", "salt"),
    [("sha1", 20), ("sha224", 28), ("sha256", 32), ("sha256", 0), ("sha384", 17), ("sha512", 64)],
)
def test_rsa_pss_verifies_with_any_hash_and_salt_length(hash_name: str, salt: int) -> None:
    chosen = {"sha1": hashes.SHA1(), "sha224": hashes.SHA224(), "sha256": hashes.SHA256(),
              "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[hash_name]  # fmt: skip
    signature = RSA_KEY.sign(MESSAGE, padding.PSS(padding.MGF1(chosen), salt), chosen)
    key = load_public_key(RSA_SPKI)
    assert key.verify(_pss_identifier(hash_name, salt), signature, MESSAGE)
    assert not key.verify(_pss_identifier(hash_name, salt + 1), signature, MESSAGE)


def test_an_rsa_pss_subject_public_key_info_loads() -> None:
    children = parse_one(RSA_SPKI).children()
    pss_spki = asn1.der_seq(asn1.der_seq(asn1.der_oid("1.2.840.113549.1.1.10")), children[1].raw)
    assert load_public_key(pss_spki).describe() == "RSA 2048"


def test_an_ecdsa_signature_against_an_rsa_key_is_false_not_an_error() -> None:
    assert not load_public_key(RSA_SPKI).verify(ECDSA_SHA256, b"\x30\x00", MESSAGE)


def test_a_certificate_with_null_ecdsa_parameters_still_yields_its_key() -> None:
    pki = make_pki("ecdsa", label="null-params")
    der = pki.ds_certificate.public_bytes(serialization.Encoding.DER)
    tbs, _algorithm, signature = parse_one(der).children()
    with_null = asn1.der_seq(asn1.der_oid("1.2.840.10045.4.3.2"), asn1.der_null())
    lenient = asn1.der_seq(tbs.raw, with_null, signature.raw)
    with pytest.raises(ValueError):
        x509.load_der_x509_certificate(lenient).signature_algorithm_parameters  # noqa: B018
    numbers = pki.ds_key.public_key().public_numbers()
    assert isinstance(numbers, ec.EllipticCurvePublicNumbers)
    assert certificate_public_key(lenient).point == (numbers.x, numbers.y)


def test_explicit_parameters_with_a_composite_order_are_refused() -> None:
    bp256 = standard_curve("brainpoolP256r1")
    composite = Curve("test", bp256.p, bp256.a, bp256.b, bp256.gx, bp256.gy, bp256.n + 2)
    with pytest.raises(KeyUnsupported, match=r"order|not prime"):
        load_public_key(ec_spki(composite, bp256.generator, explicit=True))


def test_a_negative_pss_salt_length_is_a_parse_error_not_a_crash() -> None:
    # Found by the fuzzer: `cryptography` raises ValueError for a negative salt.
    with pytest.raises(ParseError, match="salt length"):
        load_public_key(RSA_SPKI).verify(_pss_identifier("sha256", -1), b"\x00" * 256, MESSAGE)
