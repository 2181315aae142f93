"""Public keys as certificates, DG14 and DG15 write them, turned into keys that verify signatures.

A SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) is parsed with asn1crypto, which accepts what
`cryptography`'s strict loader refuses. RSA keys (rsaEncryption or id-RSASSA-PSS) become
`cryptography` RSA keys. EC keys may name their curve (RFC 5480) or spell it out as explicit
prime-field parameters (RFC 3279 §2.3.5, as many CSCAs and DSCs do): parameters equal to a standard
curve are recognised by value and handed to `cryptography` as that named curve when it has it;
every other prime curve (brainpool t1 curves, brainpool r1 below 256 bits, any custom curve) is
verified by the maintained pure-Python `ecdsa` package.

Parsing is lenient, verification is strict: the point must lie on the curve, r and s must be in
[1, n-1], PSS uses exactly the stated salt length.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import ecdsa
from asn1crypto import core as asn1_core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from ecdsa import curves as ecdsa_curves
from ecdsa import ellipticcurve
from ecdsa.numbertheory import is_prime

from devices.card.ec import Curve, native_curve
from devices.card.errors import ParseError
from devices.card.lds.sod import AlgorithmIdentifier
from devices.card.signatures import Scheme, hash_algorithm, scheme

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSA_PSS = "1.2.840.113549.1.1.10"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
ID_PK_ECDH = "0.4.0.127.0.7.2.2.1.2"  # DG14 chip-authentication keys (BSI TR-03110-3 §A.1.1)
ID_PRIME_FIELD = "1.2.840.10045.1.1"


class KeyUnsupported(ParseError):
    """The public key is of a kind this kiosk cannot verify with (DSA, binary-field EC, …)."""


# --- standard curves, recognised by value -------------------------------------------------------

# (ecdsa's curve, our name, `cryptography` class name when it has the curve)
_STANDARD: tuple[tuple[ecdsa_curves.Curve, str], ...] = (
    (ecdsa_curves.NIST192p, "secp192r1"),
    (ecdsa_curves.NIST224p, "secp224r1"),
    (ecdsa_curves.NIST256p, "secp256r1"),
    (ecdsa_curves.NIST384p, "secp384r1"),
    (ecdsa_curves.NIST521p, "secp521r1"),
    (ecdsa_curves.SECP256k1, "secp256k1"),
    (ecdsa_curves.BRAINPOOLP160r1, "brainpoolP160r1"),
    (ecdsa_curves.BRAINPOOLP192r1, "brainpoolP192r1"),
    (ecdsa_curves.BRAINPOOLP224r1, "brainpoolP224r1"),
    (ecdsa_curves.BRAINPOOLP256r1, "brainpoolP256r1"),
    (ecdsa_curves.BRAINPOOLP320r1, "brainpoolP320r1"),
    (ecdsa_curves.BRAINPOOLP384r1, "brainpoolP384r1"),
    (ecdsa_curves.BRAINPOOLP512r1, "brainpoolP512r1"),
    (ecdsa_curves.BRAINPOOLP160t1, "brainpoolP160t1"),
    (ecdsa_curves.BRAINPOOLP192t1, "brainpoolP192t1"),
    (ecdsa_curves.BRAINPOOLP224t1, "brainpoolP224t1"),
    (ecdsa_curves.BRAINPOOLP256t1, "brainpoolP256t1"),
    (ecdsa_curves.BRAINPOOLP320t1, "brainpoolP320t1"),
    (ecdsa_curves.BRAINPOOLP384t1, "brainpoolP384t1"),
    (ecdsa_curves.BRAINPOOLP512t1, "brainpoolP512t1"),
)


def _domain_of(curve: ecdsa_curves.Curve, name: str) -> Curve:
    fp = curve.curve
    g = curve.generator
    return Curve(name, fp.p(), fp.a() % fp.p(), fp.b() % fp.p(), g.x(), g.y(), curve.order)


_BY_NAME = {name: curve for curve, name in _STANDARD}
_BY_OID = {".".join(map(str, curve.oid)): name for curve, name in _STANDARD}
_BY_PARAMETERS = {
    (d.p, d.a % d.p, d.b % d.p, d.gx, d.gy, d.n): name
    for curve, name in _STANDARD
    for d in [_domain_of(curve, name)]
}


_STANDARD_FIELDS = {key[:3] + key[5:] for key in _BY_PARAMETERS}


def standard_curve(name: str) -> Curve:
    """The domain parameters of a standard curve by name (secp256r1, brainpoolP512t1, …)."""
    if name not in _BY_NAME:
        raise KeyUnsupported(f"unknown curve {name!r}")
    return _domain_of(_BY_NAME[name], name)


def curve_names() -> tuple[str, ...]:
    return tuple(name for _, name in _STANDARD)


def curve_oid(name: str) -> str:
    """The dotted OID of a standard curve."""
    if name not in _BY_NAME:
        raise KeyUnsupported(f"unknown curve {name!r}")
    return ".".join(map(str, _BY_NAME[name].oid))


# --- the verifying key --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class VerifyingKey:
    """An RSA or prime-curve EC public key that checks signatures.

    `curve` is the EC domain (with `curve.name` a standard name, or "explicit" for a curve that is
    none of them); `point` the EC public point; `explicit` whether the key spelled its parameters
    out. `native` is the `cryptography` key when that library can use it (all RSA keys; EC keys on
    a curve OpenSSL knows)."""

    algorithm: str  # RSA | EC
    bits: int  # RSA modulus size or EC field size
    native: rsa.RSAPublicKey | ec.EllipticCurvePublicKey | None
    curve: Curve | None = None
    point: tuple[int, int] | None = None
    explicit: bool = False

    def describe(self) -> str:
        """For reports: "RSA 2048", "EC brainpoolP512r1 (explicit parameters)"."""
        if self.algorithm == "RSA":
            return f"RSA {self.bits}"
        name = self.curve.name if self.curve else "?"
        return f"EC {name}" + (" (explicit parameters)" if self.explicit else "")

    def verify(
        self,
        identifier: AlgorithmIdentifier,
        signature: bytes,
        message: bytes,
        default_hash: str = "sha256",
    ) -> bool:
        """True if `signature` over `message` verifies under the algorithm `identifier` names.
        An algorithm that does not fit the key (ECDSA with an RSA key …) is False; a malformed
        signature is False; unknown or malformed algorithm parameters raise `ParseError`."""
        chosen = scheme(identifier, default_hash)
        if chosen is None:
            return False
        if self.algorithm == "RSA":
            return chosen.family in ("RSA", "RSA-PSS") and self._verify_rsa(
                chosen, signature, message
            )
        if chosen.family != "ECDSA":
            return False
        try:
            r, s = _signature_integers(signature, chosen.plain)
        except ValueError:
            return False
        return self._verify_ecdsa(chosen.hash, r, s, message)

    def _verify_rsa(self, chosen: Scheme, signature: bytes, message: bytes) -> bool:
        assert isinstance(self.native, rsa.RSAPublicKey)
        try:
            pad: padding.AsymmetricPadding = (
                padding.PSS(padding.MGF1(hash_algorithm(chosen.mgf_hash)), chosen.salt)
                if chosen.family == "RSA-PSS"
                else padding.PKCS1v15()
            )
            self.native.verify(signature, message, pad, hash_algorithm(chosen.hash))
        except (InvalidSignature, ValueError):
            return False
        return True

    def _verify_ecdsa(self, hash_name: str, r: int, s: int, message: bytes) -> bool:
        assert self.curve is not None and self.point is not None
        n = self.curve.n
        if not (0 < r < n and 0 < s < n):
            return False
        if isinstance(self.native, ec.EllipticCurvePublicKey):
            try:
                self.native.verify(
                    encode_dss_signature(r, s), message, ec.ECDSA(hash_algorithm(hash_name))
                )
            except InvalidSignature:
                return False
            return True
        digest = hashlib.new(hash_name, message).digest()
        try:
            key = _ecdsa_key(self.curve, self.point)
            return bool(key.verify_digest((r, s), digest, sigdecode=_as_is, allow_truncate=True))
        except (ecdsa.BadSignatureError, ArithmeticError, ValueError):
            return False


def _as_is(signature: tuple[int, int], order: int) -> tuple[int, int]:
    return signature


def _signature_integers(signature: bytes, plain: bool) -> tuple[int, int]:
    """(r, s) from DER ECDSA-Sig-Value or plain r‖s. Some signers put r‖s under a DER OID, so a
    value that does not start as a SEQUENCE is read as plain too."""
    if not plain and signature[:1] == b"\x30":
        return decode_dss_signature(signature)
    if not signature or len(signature) % 2:
        raise ValueError("plain ECDSA signature has an odd length")
    half = len(signature) // 2
    return int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")


@cache
def _ecdsa_curve(curve: Curve) -> ecdsa_curves.Curve:
    if curve.name in _BY_NAME:
        return _BY_NAME[curve.name]
    fp = ellipticcurve.CurveFp(curve.p, curve.a, curve.b, 1)
    generator = ellipticcurve.PointJacobi(fp, curve.gx, curve.gy, 1, curve.n, generator=True)
    return ecdsa_curves.Curve("explicit", fp, generator, (1, 2, 840, 10045, 3, 0))


def _ecdsa_key(curve: Curve, point: tuple[int, int]) -> ecdsa.VerifyingKey:
    native = _ecdsa_curve(curve)
    public = ellipticcurve.Point(native.curve, point[0], point[1], curve.n)
    return ecdsa.VerifyingKey.from_public_point(public, native, validate_point=False)


# --- loading ------------------------------------------------------------------------------------


def from_native(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey) -> VerifyingKey:
    """A `cryptography` key as a verifying key."""
    if isinstance(key, rsa.RSAPublicKey):
        return VerifyingKey("RSA", key.key_size, key)
    numbers = key.public_numbers()
    name = _canonical_name(key.curve.name)
    curve = standard_curve(name)
    return VerifyingKey("EC", curve.p.bit_length(), key, curve, (numbers.x, numbers.y))


def _canonical_name(openssl_name: str) -> str:
    lowered = {"prime192v1": "secp192r1", "prime256v1": "secp256r1"}.get(
        openssl_name.lower(), openssl_name.lower()
    )
    for name in _BY_NAME:
        if name.lower() == lowered:
            return name
    raise KeyUnsupported(f"unknown curve {openssl_name!r}")


class _AnyAlgorithm(asn1_core.Sequence):  # type: ignore[misc]
    """AlgorithmIdentifier with untyped parameters: asn1crypto's own refuses OIDs it does not
    know, such as DG14's id-PK-ECDH."""

    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("algorithm", asn1_core.ObjectIdentifier),
        ("parameters", asn1_core.Any, {"optional": True}),
    ]


class _SubjectPublicKeyInfo(asn1_core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("algorithm", _AnyAlgorithm),
        ("public_key", asn1_core.OctetBitString),
    ]


def load_public_key(spki: bytes) -> VerifyingKey:
    """A SubjectPublicKeyInfo (DER) as a verifying key: RSA (rsaEncryption, RSASSA-PSS) or EC
    (id-ecPublicKey, or id-PK-ECDH as DG14 writes it) on a named or explicit prime curve.
    Raise `KeyUnsupported` for other key kinds, `ParseError` for malformed DER."""
    try:
        info = _SubjectPublicKeyInfo.load(spki)
        oid = info["algorithm"]["algorithm"].dotted
        parameters = info["algorithm"]["parameters"]
        key_bits = _bit_string(info["public_key"])
        if oid in (RSA_ENCRYPTION, RSA_PSS):
            return _rsa_key(key_bits)
        if oid in (EC_PUBLIC_KEY, ID_PK_ECDH):
            return _ec_key(parameters, key_bits)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ParseError(f"malformed public key: {exc}") from exc
    raise KeyUnsupported(f"unsupported public key algorithm {oid}")


def certificate_public_key(certificate: bytes) -> VerifyingKey:
    """The subject public key of an X.509 certificate (DER), parsed leniently."""
    try:
        parsed = asn1_x509.Certificate.load(certificate)
        spki = parsed["tbs_certificate"]["subject_public_key_info"].dump()
    except (ValueError, TypeError, KeyError) as exc:
        raise ParseError(f"malformed certificate: {exc}") from exc
    return load_public_key(spki)


def _bit_string(value: asn1_core.Asn1Value) -> bytes:
    contents = value.contents or b""
    if not contents or contents[0] != 0:
        raise ValueError("the public key BIT STRING is empty or not byte-aligned")
    return bytes(contents[1:])


def _rsa_key(key_bits: bytes) -> VerifyingKey:
    numbers = asn1_keys.RSAPublicKey.load(key_bits)
    n, e = int(numbers["modulus"].native), int(numbers["public_exponent"].native)
    if n <= 0 or e <= 1 or not n & 1:
        raise ValueError("the RSA modulus or exponent is out of range")
    native = rsa.RSAPublicNumbers(e, n).public_key()
    return VerifyingKey("RSA", native.key_size, native)


def _ec_key(parameters: asn1_core.Asn1Value, key_bits: bytes) -> VerifyingKey:
    if isinstance(parameters, asn1_core.Void):
        raise KeyUnsupported("the EC key has no domain parameters")
    domain = asn1_keys.ECDomainParameters.load(parameters.dump())
    if domain.name == "named":
        oid = domain.chosen.dotted
        if oid not in _BY_OID:
            raise KeyUnsupported(f"unknown named curve {oid}")
        curve, explicit = standard_curve(_BY_OID[oid]), False
    elif domain.name == "specified":
        curve, explicit = _explicit_curve(domain.chosen), True
    else:
        raise KeyUnsupported("the EC key has no domain parameters (implicitlyCA)")
    point = _decode_point(curve, key_bits)
    named = native_curve(curve.name) if curve.name in _BY_NAME else None
    native = (
        ec.EllipticCurvePublicNumbers(point[0], point[1], named).public_key()
        if named is not None
        else None
    )
    return VerifyingKey("EC", curve.p.bit_length(), native, curve, point, explicit)


def _explicit_curve(specified: asn1_keys.SpecifiedECDomain) -> Curve:
    field = specified["field_id"]
    if field["field_type"].dotted != ID_PRIME_FIELD:
        raise KeyUnsupported("only prime-field EC curves are supported")
    p = int(field["parameters"].native)
    a = int.from_bytes(specified["curve"]["a"].native, "big")
    b = int.from_bytes(specified["curve"]["b"].native, "big")
    n = int(specified["order"].native)
    cofactor = specified["cofactor"].native
    if p < 3 or not p & 1 or n < 3 or not (cofactor is None or cofactor == 1):
        raise KeyUnsupported("the explicit EC parameters are not a prime-order prime curve")
    a, b = a % p, b % p
    if (p, a, b, n) not in _STANDARD_FIELDS:  # checked before any arithmetic on the field
        _check_custom_curve(p, a, b, n)
    provisional = Curve("explicit", p, a, b, 0, 0, n)
    gx, gy = _decode_point(provisional, bytes(specified["base"].native), generator=True)
    name = _BY_PARAMETERS.get((p, a, b, gx, gy, n), "explicit")
    if name != "explicit":
        return standard_curve(name)
    _check_custom_curve(p, a, b, n)  # a standard curve with another base point
    return Curve(name, p, a, b, gx, gy, n)


def _check_custom_curve(p: int, a: int, b: int, n: int) -> None:
    """Refuse explicit parameters that cannot be a sound prime-order curve: non-prime field or
    order, a singular curve, an order outside the Hasse bound for cofactor 1, or a field too
    large to be an ICAO curve."""
    if p.bit_length() > 1024:
        raise KeyUnsupported("the explicit EC field is over 1024 bits")
    if (4 * a**3 + 27 * b**2) % p == 0:
        raise KeyUnsupported("the explicit EC curve is singular")
    if (n - (p + 1)) ** 2 > 4 * p:
        raise KeyUnsupported("the explicit EC order is not that of a cofactor-1 curve on the field")
    if not (is_prime(p) and is_prime(n)):
        raise KeyUnsupported("the explicit EC field or order is not prime")


def _decode_point(curve: Curve, data: bytes, generator: bool = False) -> tuple[int, int]:
    """SEC 1 §2.3.4: an uncompressed or compressed point, which must lie on the curve."""
    size = curve.byte_length
    what = "base point" if generator else "public point"
    if len(data) == 1 + 2 * size and data[0] == 0x04:
        point = (int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big"))
    elif len(data) == 1 + size and data[0] in (0x02, 0x03):
        point = _decompress(curve, int.from_bytes(data[1:], "big"), data[0] & 1)
    else:
        raise ValueError(f"the EC {what} is not a point encoding ({len(data)} bytes)")
    if not curve.contains(point):
        raise ValueError(f"the EC {what} is not on the curve")
    return point


def _decompress(curve: Curve, x: int, odd: int) -> tuple[int, int]:
    p = curve.p
    if x >= p:
        raise ValueError("compressed x is out of range")
    alpha = (x * x * x + curve.a * x + curve.b) % p
    try:
        beta = ecdsa.numbertheory.square_root_mod_prime(alpha, p)
    except (ecdsa.numbertheory.Error, ValueError, AssertionError) as exc:
        raise ValueError("compressed point has no square root") from exc
    y = beta if beta & 1 == odd else p - beta
    return x, y
