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


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


class Pki:
    def __init__(self) -> None:
        self.csca_key = ec.generate_private_key(ec.SECP256R1())
        self.csca = certificate(name("DE", "CSCA Test DE"), self.csca_key)
        self.other_key = ec.generate_private_key(ec.SECP256R1())
        self.other = certificate(
            name("VN", "CSCA Test VN"), self.other_key, days=40, start=NOW - timedelta(days=10)
        )
        self.signer_key = ec.generate_private_key(ec.SECP256R1())
        self.signer = certificate(
            name("DE", "Master List Signer"),
            self.signer_key,
            self.csca.subject,
            self.csca_key,
            days=365,
            ca=False,
        )

    def master_list(
        self,
        certificates: list[x509.Certificate] | None = None,
        signer_key: ec.EllipticCurvePrivateKey | None = None,
        tamper: bool = False,
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
            certificate=der(self.signer),
            issuer_and_serial=issuer_and_serial,
            wrap_tag=None,
        )
