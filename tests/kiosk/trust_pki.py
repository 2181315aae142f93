"""A test PKI: CSCAs, a master list signer, CMS master lists as in ICAO 9303-12 §9."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from devices.card import asn1
from devices.card.lds.sod import encode_signed_attributes, encode_sod
from devices.card.tlv import encode_tlv
from devices.card.trust_store import ID_CSCA_MASTER_LIST

NOW = datetime(2026, 3, 2, tzinfo=UTC)
ECDSA_SHA256 = asn1.der_seq(asn1.der_oid("1.2.840.10045.4.3.2"))


def name(country: str, cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def certificate(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name | None = None,
    issuer_key: ec.EllipticCurvePrivateKey | None = None,
    days: int = 3650,
    ca: bool = True,
    start: datetime = NOW - timedelta(days=30),
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def der(cert: x509.Certificate | bytes) -> bytes:
    return cert if isinstance(cert, bytes) else cert.public_bytes(Encoding.DER)


class Pki:
    def __init__(self, now: datetime = NOW) -> None:
        self.csca_key = ec.generate_private_key(ec.SECP256R1())
        self.csca = certificate(
            name("DE", "CSCA Test DE"), self.csca_key, start=now - timedelta(days=30)
        )
        self.other_key = ec.generate_private_key(ec.SECP256R1())
        self.other = certificate(
            name("VN", "CSCA Test VN"), self.other_key, days=40, start=now - timedelta(days=10)
        )
        self.signer_key = ec.generate_private_key(ec.SECP256R1())
        self.signer = certificate(
            name("DE", "Master List Signer"),
            self.signer_key,
            self.csca.subject,
            self.csca_key,
            days=365,
            ca=False,
            start=now - timedelta(days=30),
        )

    def master_list(
        self,
        certificates: list[x509.Certificate | bytes] | None = None,
        signer_key: ec.EllipticCurvePrivateKey | None = None,
        tamper: bool = False,
        carried: x509.Certificate | None = None,
    ) -> bytes:
        certs = certificates if certificates is not None else [self.csca, self.other]
        content = asn1.der_seq(asn1.der_int(0), asn1.der_set(*sorted(der(c) for c in certs)))
        attributes = encode_signed_attributes(
            ID_CSCA_MASTER_LIST, hashlib.sha256(content).digest(), "260301000000Z"
        )
        signature = (signer_key or self.signer_key).sign(attributes, ec.ECDSA(hashes.SHA256()))
        if tamper:  # change the list after signing: the digest attribute no longer matches
            content = asn1.der_seq(asn1.der_int(0), asn1.der_set(der(self.other)))
        issuer_and_serial = asn1.der_seq(
            self.signer.issuer.public_bytes(), asn1.der_int(self.signer.serial_number)
        )
        return encode_sod(
            content=content,
            content_type=ID_CSCA_MASTER_LIST,
            digest_algorithm="sha256",
            signed_attributes=attributes,
            signature_algorithm=ECDSA_SHA256,
            signature=signature,
            certificate=der(carried or self.signer),
            issuer_and_serial=issuer_and_serial,
            wrap_tag=None,
        )


def world_csca(
    country: str,
    cn: str,
    key: ec.EllipticCurvePrivateKey,
    *,
    curve: str = "brainpoolP512r1",
    explicit: bool = True,
    null_parameters: bool = False,
    negative_serial: bool = False,
    loose_basic_constraints: bool = False,
    signer_key: ec.EllipticCurvePrivateKey | None = None,
    days: int = 3650,
) -> bytes:
    """A self-signed CSCA written the way real ones are and `cryptography` refuses: explicit EC
    parameters (like "CSCA ePassport Vietnam", brainpoolP512r1 with ecdsa-with-SHA512), NULL
    ECDSA parameters, a negative serial, BasicConstraints cA encoded as 01 instead of FF (BER,
    not DER). `signer_key` signs instead of `key` (a self-signature that does not verify)."""
    from asn1crypto import core
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as ax

    from devices.card.public_keys import standard_curve
    from devices.card.simulator.pki import ec_spki

    numbers = key.public_key().public_numbers()
    spki = ec_spki(standard_curve(curve), (numbers.x, numbers.y), explicit=explicit)
    algorithm = ax.SignedDigestAlgorithm({"algorithm": "sha512_ecdsa"})
    if null_parameters:
        algorithm = ax.SignedDigestAlgorithm(
            {"algorithm": "sha512_ecdsa", "parameters": core.Null()}
        )
    name_ = ax.Name.build({"country_name": country, "common_name": cn})
    start = NOW - timedelta(days=30)
    tbs = ax.TbsCertificate(
        {
            "version": "v3",
            "serial_number": -0x1234567 if negative_serial else 0x1234567,
            "signature": algorithm,
            "issuer": name_,
            "validity": {
                "not_before": ax.Time({"utc_time": start}),
                "not_after": ax.Time({"utc_time": start + timedelta(days=days)}),
            },
            "subject": name_,
            "subject_public_key_info": asn1_keys.PublicKeyInfo.load(spki),
            "extensions": [
                {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": True}},
                {"extn_id": "key_usage", "critical": True,
                 "extn_value": {"key_cert_sign", "crl_sign"}},
            ],
        }
    ).dump()  # fmt: skip
    if loose_basic_constraints:
        tbs = tbs.replace(bytes.fromhex("30030101ff"), bytes.fromhex("3003010101"), 1)
    signature = (signer_key or key).sign(tbs, ec.ECDSA(hashes.SHA512()))
    return asn1.der_seq(tbs, algorithm.dump(), encode_tlv(0x03, b"\x00" + signature))
