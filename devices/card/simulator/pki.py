"""A test PKI for simulated cards: a CSCA, a document signer (DS) it certifies, and the SOD
signature. EC keys are derived from labels, so demo cards are the same on every run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from devices.card import asn1
from devices.card.ec import Curve
from devices.card.lds.sod import (
    HASH_OID_BY_NAME,
    ID_LDS_SECURITY_OBJECT,
    encode_lds_security_object,
    encode_signed_attributes,
    encode_sod,
)
from devices.card.public_keys import curve_oid
from devices.card.signatures import digest
from devices.card.tlv import encode_tlv

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KINDS = ("ecdsa", "rsa", "rsa-pss")

_NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
_CSCA_NOT_AFTER = datetime(2039, 1, 1, tzinfo=UTC)
_DS_NOT_AFTER = datetime(2035, 1, 1, tzinfo=UTC)
_SIGNING_TIME = "240701000000Z"


def ec_key_from_label(
    label: str, curve: ec.EllipticCurve | None = None
) -> ec.EllipticCurvePrivateKey:
    curve = curve or ec.BrainpoolP256R1()
    order_guess = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big")
    scalar = order_guess % (2**250) + 1  # below every supported curve's order
    return ec.derive_private_key(scalar, curve)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Một Cửa Kiosk TEST"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _serial(label: str) -> int:
    return int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big") | 1


@dataclass(frozen=True)
class TestPki:
    kind: str  # ecdsa | rsa | rsa-pss
    csca_key: PrivateKey
    csca_certificate: x509.Certificate
    ds_key: PrivateKey
    ds_certificate: x509.Certificate

    __test__ = False  # not a pytest class

    @property
    def csca_pem(self) -> bytes:
        return self.csca_certificate.public_bytes(serialization.Encoding.PEM)

    def sign_sod(self, data_groups: dict[int, bytes], hash_algorithm: str = "sha256") -> bytes:
        """EF.SOD over the given raw data groups, signed by this PKI's DS."""
        hashes_ = {n: digest(hash_algorithm, content) for n, content in data_groups.items()}
        content = encode_lds_security_object(hash_algorithm, hashes_)
        attributes = encode_signed_attributes(
            ID_LDS_SECURITY_OBJECT, digest(hash_algorithm, content), _SIGNING_TIME
        )
        signature, algorithm = self._sign(attributes, hash_algorithm)
        issuer_and_serial = asn1.der_seq(
            self.ds_certificate.issuer.public_bytes(),
            asn1.der_int(self.ds_certificate.serial_number),
        )
        return encode_sod(
            content=content,
            content_type=ID_LDS_SECURITY_OBJECT,
            digest_algorithm=hash_algorithm,
            signed_attributes=attributes,
            signature_algorithm=algorithm,
            signature=signature,
            certificate=self.ds_certificate.public_bytes(serialization.Encoding.DER),
            issuer_and_serial=issuer_and_serial,
        )

    def _sign(self, message: bytes, hash_algorithm: str) -> tuple[bytes, bytes]:
        from devices.card.signatures import hash_algorithm as hash_of

        key = self.ds_key
        chosen = hash_of(hash_algorithm)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            oid = {"sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3"}[hash_algorithm]
            return key.sign(message, ec.ECDSA(chosen)), asn1.der_seq(asn1.der_oid(oid))
        if self.kind == "rsa-pss":
            salt = chosen.digest_size
            signature = key.sign(message, padding.PSS(padding.MGF1(chosen), salt), chosen)
            hash_alg = asn1.der_seq(asn1.der_oid(HASH_OID_BY_NAME[hash_algorithm]))
            mgf = asn1.der_seq(asn1.der_oid("1.2.840.113549.1.1.8"), hash_alg)
            params = asn1.der_seq(
                encode_tlv(0xA0, hash_alg),
                encode_tlv(0xA1, mgf),
                encode_tlv(0xA2, asn1.der_int(salt)),
            )
            return signature, asn1.der_seq(asn1.der_oid("1.2.840.113549.1.1.10"), params)
        oid = {"sha256": "1.2.840.113549.1.1.11", "sha384": "1.2.840.113549.1.1.12"}[hash_algorithm]
        signature = key.sign(message, padding.PKCS1v15(), chosen)
        return signature, asn1.der_seq(asn1.der_oid(oid), asn1.der_null())


def make_pki(kind: str = "ecdsa", label: str = "demo") -> TestPki:
    """A CSCA → DS chain. `ecdsa` keys come from `label` (deterministic); RSA keys are fresh."""
    if kind not in KINDS:
        raise ValueError(f"unknown PKI kind {kind!r}")
    csca_key: PrivateKey
    ds_key: PrivateKey
    if kind == "ecdsa":
        csca_key = ec_key_from_label(f"{label}/csca")
        ds_key = ec_key_from_label(f"{label}/ds")
    else:
        csca_key = rsa.generate_private_key(65537, 2048)
        ds_key = rsa.generate_private_key(65537, 2048)
    pss = padding.PSS(padding.MGF1(hashes.SHA256()), 32) if kind == "rsa-pss" else None
    csca_name = _name(f"CSCA {label}")
    csca = (
        x509.CertificateBuilder()
        .subject_name(csca_name)
        .issuer_name(csca_name)
        .public_key(csca_key.public_key())
        .serial_number(_serial(f"{label}/csca"))
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_CSCA_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(csca_key, hashes.SHA256(), rsa_padding=pss)
    )
    ds = (
        x509.CertificateBuilder()
        .subject_name(_name(f"DS {label}"))
        .issuer_name(csca_name)
        .public_key(ds_key.public_key())
        .serial_number(_serial(f"{label}/ds"))
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_DS_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(csca_key, hashes.SHA256(), rsa_padding=pss)
    )
    return TestPki(kind, csca_key, csca, ds_key, ds)


# --- keys written as the world writes them --------------------------------------------------------


def ec_spki(
    curve: Curve, point: tuple[int, int], *, explicit: bool, compressed: bool = False
) -> bytes:
    """SubjectPublicKeyInfo of an EC point: the curve named by OID (RFC 5480) or spelled out as
    explicit prime-field parameters (RFC 3279 §2.3.5, version 1, cofactor 1, no seed)."""
    size = curve.byte_length
    if explicit:
        parameters = asn1_keys.ECDomainParameters(
            name="specified",
            value={
                "version": 1,
                "field_id": {"field_type": "prime_field", "parameters": curve.p},
                "curve": {"a": curve.a.to_bytes(size, "big"), "b": curve.b.to_bytes(size, "big")},
                "base": _encode_point(curve, curve.generator, compressed),
                "order": curve.n,
                "cofactor": 1,
            },
        )
    else:
        parameters = asn1_keys.ECDomainParameters(name="named", value=curve_oid(curve.name))
    return asn1_keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "ec", "parameters": parameters},
            "public_key": _encode_point(curve, point, compressed),
        }
    ).dump()


def _encode_point(curve: Curve, point: tuple[int, int], compressed: bool) -> bytes:
    size = curve.byte_length
    if compressed:
        return bytes([2 | (point[1] & 1)]) + point[0].to_bytes(size, "big")
    return b"\x04" + point[0].to_bytes(size, "big") + point[1].to_bytes(size, "big")
