"""A test PKI for simulated cards: a CSCA, a document signer (DS) it certifies, and the SOD
signature. EC keys are derived from labels, so demo cards are the same on every run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
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
from devices.card.public_keys import curve_oid, standard_curve
from devices.card.signatures import digest
from devices.card.tlv import encode_tlv

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
# ecdsa: brainpoolP256r1 named; bpNNN-explicit: brainpoolPNNNr1 keys written with explicit
# parameters in CSCA and DS certificates (as Vietnam's, Germany's and Austria's are), signed with
# the hash of matching size; rsa: PKCS#1 v1.5; rsa-pss: RSASSA-PSS certificates and SOD.
KINDS = ("ecdsa", "rsa", "rsa-pss", "bp256-explicit", "bp384-explicit", "bp512-explicit")
_EXPLICIT = {
    "bp256-explicit": (ec.BrainpoolP256R1(), "brainpoolP256r1", "sha256"),
    "bp384-explicit": (ec.BrainpoolP384R1(), "brainpoolP384r1", "sha384"),
    "bp512-explicit": (ec.BrainpoolP512R1(), "brainpoolP512r1", "sha512"),
}
_ECDSA_WITH = {
    "sha1": "1.2.840.10045.4.1",
    "sha224": "1.2.840.10045.4.3.1",
    "sha256": "1.2.840.10045.4.3.2",
    "sha384": "1.2.840.10045.4.3.3",
    "sha512": "1.2.840.10045.4.3.4",
}
_RSA_WITH = {
    "sha1": "1.2.840.113549.1.1.5",
    "sha224": "1.2.840.113549.1.1.14",
    "sha256": "1.2.840.113549.1.1.11",
    "sha384": "1.2.840.113549.1.1.12",
    "sha512": "1.2.840.113549.1.1.13",
}

_NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
_CSCA_NOT_AFTER = datetime(2039, 1, 1, tzinfo=UTC)
_DS_NOT_AFTER = datetime(2035, 1, 1, tzinfo=UTC)
_EXPIRED_DS_NOT_AFTER = datetime(2025, 1, 1, tzinfo=UTC)  # after the SOD's signing time
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

    @property
    def hash_algorithm(self) -> str:
        """The hash this PKI signs with (matched to the curve size for explicit kinds)."""
        return _EXPLICIT[self.kind][2] if self.kind in _EXPLICIT else "sha256"

    def sign_sod(
        self,
        data_groups: dict[int, bytes],
        hash_algorithm: str = "",
        *,
        content_type: str = ID_LDS_SECURITY_OBJECT,
        signer_identifier: str = "issuer_serial",  # | "ski"
    ) -> bytes:
        """EF.SOD over the given raw data groups, signed by this PKI's DS. `content_type` may be
        id-data (1.2.840.113549.1.7.1), as some states issue; the signer may be named by issuer
        and serial number or by subject key identifier."""
        hash_algorithm = hash_algorithm or self.hash_algorithm
        hashes_ = {n: digest(hash_algorithm, content) for n, content in data_groups.items()}
        content = encode_lds_security_object(hash_algorithm, hashes_)
        attributes = encode_signed_attributes(
            content_type, digest(hash_algorithm, content), _SIGNING_TIME
        )
        signature, algorithm = self._sign(attributes, hash_algorithm)
        if signer_identifier == "ski":
            ski = self.ds_certificate.extensions.get_extension_for_class(
                x509.SubjectKeyIdentifier
            ).value.digest
            sid = encode_tlv(0x80, ski)
        else:
            sid = asn1.der_seq(
                self.ds_certificate.issuer.public_bytes(),
                asn1.der_int(self.ds_certificate.serial_number),
            )
        return encode_sod(
            content=content,
            content_type=content_type,
            digest_algorithm=hash_algorithm,
            signed_attributes=attributes,
            signature_algorithm=algorithm,
            signature=signature,
            certificate=self.ds_certificate.public_bytes(serialization.Encoding.DER),
            issuer_and_serial=sid,
        )

    def _sign(self, message: bytes, hash_algorithm: str) -> tuple[bytes, bytes]:
        from devices.card.signatures import hash_algorithm as hash_of

        key = self.ds_key
        chosen = hash_of(hash_algorithm)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            oid = _ECDSA_WITH[hash_algorithm]
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
        oid = _RSA_WITH[hash_algorithm]
        signature = key.sign(message, padding.PKCS1v15(), chosen)
        return signature, asn1.der_seq(asn1.der_oid(oid), asn1.der_null())


def make_pki(kind: str = "ecdsa", label: str = "demo", *, expired_ds: bool = False) -> TestPki:
    """A CSCA → DS chain. EC keys come from `label` (deterministic); RSA keys are fresh.
    `expired_ds`: the DS certificate expired in 2025 (after it signed the SOD)."""
    if kind not in KINDS:
        raise ValueError(f"unknown PKI kind {kind!r}")
    ds_not_after = _EXPIRED_DS_NOT_AFTER if expired_ds else _DS_NOT_AFTER
    if kind in _EXPLICIT:
        return _explicit_pki(kind, label, ds_not_after)
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
        .add_extension(_key_usage(certificate_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(csca_key.public_key()), False)
        .sign(csca_key, hashes.SHA256(), rsa_padding=pss)
    )
    ds = (
        x509.CertificateBuilder()
        .subject_name(_name(f"DS {label}"))
        .issuer_name(csca_name)
        .public_key(ds_key.public_key())
        .serial_number(_serial(f"{label}/ds"))
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(ds_not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(certificate_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ds_key.public_key()), False)
        .sign(csca_key, hashes.SHA256(), rsa_padding=pss)
    )
    return TestPki(kind, csca_key, csca, ds_key, ds)


def _key_usage(*, certificate_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not certificate_sign, content_commitment=False,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=certificate_sign, crl_sign=certificate_sign,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _explicit_pki(kind: str, label: str, ds_not_after: datetime) -> TestPki:
    """CSCA and DS certificates whose brainpool keys carry explicit curve parameters, which
    `cryptography` cannot write: the certificates are built here with asn1crypto."""
    native, curve_name, hash_name = _EXPLICIT[kind]
    curve = standard_curve(curve_name)
    csca_key = ec_key_from_label(f"{label}/csca", native)
    ds_key = ec_key_from_label(f"{label}/ds", native)
    csca_name = _name(f"CSCA {label}")
    csca_der = build_certificate(
        subject=csca_name, issuer=csca_name, serial=_serial(f"{label}/csca"),
        not_before=_NOT_BEFORE, not_after=_CSCA_NOT_AFTER,
        spki=_explicit_spki(curve, csca_key), signer=csca_key, hash_name=hash_name, ca=True,
    )  # fmt: skip
    ds_der = build_certificate(
        subject=_name(f"DS {label}"), issuer=csca_name, serial=_serial(f"{label}/ds"),
        not_before=_NOT_BEFORE, not_after=ds_not_after,
        spki=_explicit_spki(curve, ds_key), signer=csca_key, hash_name=hash_name, ca=False,
    )  # fmt: skip
    return TestPki(
        kind,
        csca_key,
        x509.load_der_x509_certificate(csca_der),
        ds_key,
        x509.load_der_x509_certificate(ds_der),
    )


def _explicit_spki(curve: Curve, key: ec.EllipticCurvePrivateKey) -> bytes:
    numbers = key.public_key().public_numbers()
    return ec_spki(curve, (numbers.x, numbers.y), explicit=True)


def build_certificate(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    serial: int,
    not_before: datetime,
    not_after: datetime,
    spki: bytes,
    signer: ec.EllipticCurvePrivateKey | Callable[[bytes], bytes],
    hash_name: str,
    ca: bool,
    key_usage: tuple[str, ...] | None = None,
    algorithm: bytes = b"",
) -> bytes:
    """An X.509 v3 certificate (DER) for any SubjectPublicKeyInfo, signed by `signer` (an EC key,
    ECDSA with `hash_name`; or any function of the TBS bytes, with `algorithm` the DER
    AlgorithmIdentifier it signs under): BasicConstraints, KeyUsage (keyCertSign+cRLSign for a
    CA, digitalSignature otherwise, unless `key_usage` names others) and the subject key
    identifier (SHA-1 of the key bits)."""
    from asn1crypto import algos as asn1_algos
    from asn1crypto import x509 as asn1_x509

    usage = key_usage if key_usage is not None else (
        ("key_cert_sign", "crl_sign") if ca else ("digital_signature",)
    )  # fmt: skip
    key_bits = asn1_keys.PublicKeyInfo.load(spki)["public_key"].contents[1:]
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca}},
        {"extn_id": "key_usage", "critical": True, "extn_value": set(usage)},
        {"extn_id": "key_identifier", "critical": False,
         "extn_value": hashlib.sha1(key_bits).digest()},
    ]  # fmt: skip
    signature_algorithm = (
        asn1_algos.SignedDigestAlgorithm.load(algorithm)
        if algorithm
        else asn1_algos.SignedDigestAlgorithm({"algorithm": _ECDSA_WITH[hash_name]})
    )
    tbs = asn1_x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial,
            "signature": signature_algorithm,
            "issuer": asn1_x509.Name.load(issuer.public_bytes()),
            "validity": {
                "not_before": asn1_x509.Time(name="utc_time", value=not_before),
                "not_after": asn1_x509.Time(name="utc_time", value=not_after),
            },
            "subject": asn1_x509.Name.load(subject.public_bytes()),
            "subject_public_key_info": asn1_keys.PublicKeyInfo.load(spki),
            "extensions": extensions,
        }
    )
    from devices.card.signatures import hash_algorithm as hash_of

    if isinstance(signer, ec.EllipticCurvePrivateKey):
        signature = signer.sign(tbs.dump(), ec.ECDSA(hash_of(hash_name)))
    else:
        signature = signer(tbs.dump())
    return asn1_x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": signature_algorithm,
            "signature_value": signature,
        }
    ).dump()


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
