"""Passive authentication across the signature algorithms, curves and encodings the world uses:
for each row a CSCA → DS → EF.SOD chain is built with this project's own code (explicit curve
parameters included) and checked by `devices.card.passive_auth`; then the same SOD with a data
group changed, and with the signature changed.

`python -m bench pa_table [--master-list FILE]` — with a CSCA master list (ICAO or a state's), it
also prints a census of the list: how many certificates load, their key kinds, how many verify
against a certificate in the list, and whether the list's own signature verifies.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ecdsa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from devices.card import asn1
from devices.card.lds.sod import (
    HASH_OID_BY_NAME,
    ID_DATA,
    ID_LDS_SECURITY_OBJECT,
    encode_lds_security_object,
    encode_signed_attributes,
    encode_sod,
)
from devices.card.passive_auth import passive_authentication
from devices.card.public_keys import _BY_NAME, standard_curve
from devices.card.signatures import digest
from devices.card.simulator.pki import build_certificate, ec_spki
from devices.card.tlv import encode_tlv
from devices.card.trust_store import TrustStore

_ECDSA_WITH = {"sha1": "1.2.840.10045.4.1", "sha256": "1.2.840.10045.4.3.2",
               "sha384": "1.2.840.10045.4.3.3", "sha512": "1.2.840.10045.4.3.4"}  # fmt: skip
_ECDSA_PLAIN = {"sha256": "0.4.0.127.0.7.1.1.4.1.3", "sha512": "0.4.0.127.0.7.1.1.4.1.5"}
_RSA_WITH = {"sha1": "1.2.840.113549.1.1.5", "sha256": "1.2.840.113549.1.1.11",
             "sha384": "1.2.840.113549.1.1.12", "sha512": "1.2.840.113549.1.1.13"}  # fmt: skip
_HASHES = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(),
           "sha512": hashes.SHA512()}  # fmt: skip
_GROUPS = {1: b"\x61\x05DG1..", 2: b"\x75\x05DG2..", 13: b"\x6d\x06DG13.."}


@dataclass(frozen=True)
class Signer:
    spki: bytes
    sign: Callable[[bytes], bytes]  # DER signature over a message
    algorithm: bytes  # DER AlgorithmIdentifier


def _ec_signer(curve_name: str, explicit: bool, hash_name: str, label: str, plain: bool) -> Signer:
    curve = standard_curve(curve_name)
    secret = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (curve.n - 1) + 1
    native = ecdsa.SigningKey.from_secret_exponent(secret, _BY_NAME[curve_name])
    point = native.get_verifying_key().pubkey.point
    spki = ec_spki(curve, (point.x(), point.y()), explicit=explicit)
    size = curve.order_byte_length

    def sign(message: bytes) -> bytes:
        der = native.sign(message, hashfunc=getattr(hashlib, hash_name),
                          sigencode=ecdsa.util.sigencode_der)  # fmt: skip
        if not plain:
            return bytes(der)
        r, s = decode_dss_signature(der)
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    oid = _ECDSA_PLAIN[hash_name] if plain else _ECDSA_WITH[hash_name]
    return Signer(spki, sign, asn1.der_seq(asn1.der_oid(oid)))


def _rsa_signer(bits: int, hash_name: str, pss_salt: int | None) -> Signer:
    key = rsa.generate_private_key(65537, bits)
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    chosen = _HASHES[hash_name]
    if pss_salt is None:
        oid = _RSA_WITH[hash_name]
        return Signer(
            spki,
            lambda m: key.sign(m, padding.PKCS1v15(), chosen),
            asn1.der_seq(asn1.der_oid(oid), asn1.der_null()),
        )
    hash_alg = asn1.der_seq(asn1.der_oid(HASH_OID_BY_NAME[hash_name]))
    mgf = asn1.der_seq(asn1.der_oid("1.2.840.113549.1.1.8"), hash_alg)
    params = asn1.der_seq(
        encode_tlv(0xA0, hash_alg), encode_tlv(0xA1, mgf), encode_tlv(0xA2, asn1.der_int(pss_salt))
    )
    salt = pss_salt
    return Signer(
        spki,
        lambda m: key.sign(m, padding.PSS(padding.MGF1(chosen), salt), chosen),
        asn1.der_seq(asn1.der_oid("1.2.840.113549.1.1.10"), params),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])  # fmt: skip


def _chain(
    csca: Signer, ds: Signer, hash_name: str, content_type: str, ds_not_after: datetime
) -> tuple[bytes, x509.Certificate]:
    """(EF.SOD, CSCA certificate) for one row."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    csca_name, ds_name = _name("CSCA table"), _name("DS table")
    csca_der = build_certificate(
        subject=csca_name, issuer=csca_name, serial=1, not_before=start,
        not_after=datetime(2039, 1, 1, tzinfo=UTC), spki=csca.spki, signer=csca.sign,
        hash_name=hash_name, ca=True, algorithm=csca.algorithm,
    )  # fmt: skip
    ds_der = build_certificate(
        subject=ds_name, issuer=csca_name, serial=2, not_before=start, not_after=ds_not_after,
        spki=ds.spki, signer=csca.sign, hash_name=hash_name, ca=False, algorithm=csca.algorithm,
    )  # fmt: skip
    hashes_ = {n: digest(hash_name, content) for n, content in _GROUPS.items()}
    content = encode_lds_security_object(hash_name, hashes_)
    attributes = encode_signed_attributes(content_type, digest(hash_name, content), "240701000000Z")
    sod = encode_sod(
        content=content, content_type=content_type, digest_algorithm=hash_name,
        signed_attributes=attributes, signature_algorithm=ds.algorithm,
        signature=ds.sign(attributes), certificate=ds_der,
        issuer_and_serial=asn1.der_seq(csca_name.public_bytes(), asn1.der_int(2)),
    )  # fmt: skip
    return sod, x509.load_der_x509_certificate(csca_der)


def _rows() -> list[tuple[str, Callable[[], tuple[Signer, Signer]], str, str, bool]]:
    """(label, signers, hash, content type, expired DS)."""
    rows: list[tuple[str, Callable[[], tuple[Signer, Signer]], str, str, bool]] = []
    lds = ID_LDS_SECURITY_OBJECT
    for curve, hash_name in (
        ("secp256r1", "sha256"), ("secp384r1", "sha384"), ("secp521r1", "sha512"),
        ("brainpoolP256r1", "sha256"), ("brainpoolP384r1", "sha384"),
        ("brainpoolP512r1", "sha512"), ("brainpoolP224r1", "sha256"),
        ("brainpoolP256t1", "sha256"), ("brainpoolP512t1", "sha512"),
    ):  # fmt: skip
        for explicit in (False, True):
            encoding = "explicit" if explicit else "named"

            def signers(
                c: str = curve, h: str = hash_name, e: bool = explicit
            ) -> tuple[Signer, Signer]:
                return (
                    _ec_signer(c, e, h, f"{c}/csca", False),
                    _ec_signer(c, e, h, f"{c}/ds", False),
                )

            rows.append((f"ECDSA {curve} {encoding}, {hash_name}", signers, hash_name, lds, False))
    rows.append((
        "ECDSA brainpoolP256r1 explicit, plain r||s SOD",
        lambda: (_ec_signer("brainpoolP256r1", True, "sha256", "p/csca", False),
                 _ec_signer("brainpoolP256r1", True, "sha256", "p/ds", True)),
        "sha256", lds, False,
    ))  # fmt: skip
    rows.append((
        "ECDSA secp256r1 explicit, sha1",
        lambda: (_ec_signer("secp256r1", True, "sha1", "s1/csca", False),
                 _ec_signer("secp256r1", True, "sha1", "s1/ds", False)),
        "sha1", lds, False,
    ))  # fmt: skip
    for label, hash_name, salt in (
        ("RSA-2048 PKCS#1 v1.5, sha256", "sha256", None),
        ("RSA-2048 PSS sha256 salt 32", "sha256", 32),
        ("RSA-2048 PSS sha512 salt 64", "sha512", 64),
        ("RSA-2048 PSS sha256 salt 0", "sha256", 0),
    ):
        rows.append((label, lambda h=hash_name, s=salt: (_rsa_signer(2048, h, s),
                                                         _rsa_signer(2048, h, s)),
                     hash_name, lds, False))  # fmt: skip
    bp512 = lambda: (_ec_signer("brainpoolP512r1", True, "sha512", "d/csca", False),  # noqa: E731
                     _ec_signer("brainpoolP512r1", True, "sha512", "d/ds", False))  # fmt: skip
    rows.append(("ECDSA brainpoolP512r1 explicit, id-data SOD", bp512, "sha512", ID_DATA, False))
    rows.append(("ECDSA brainpoolP512r1 explicit, expired DS", bp512, "sha512", lds, True))
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pa_table")
    parser.add_argument("--master-list", type=Path, help="a CSCA master list to take a census of")
    args = parser.parse_args(argv)
    named = {f"DG{n}": content for n, content in _GROUPS.items()}
    print(f"| {'signature / curve / encoding':<50} | {'genuine':<8} | {'DG changed':<13} "
          f"| {'signature changed':<17} | ms | notes |")  # fmt: skip
    print(f"|{'-' * 52}|{'-' * 10}|{'-' * 15}|{'-' * 19}|----|-------|")
    for label, signers, hash_name, content_type, expired in _rows():
        csca, ds = signers()
        ds_not_after = datetime(2025 if expired else 2035, 1, 1, tzinfo=UTC)
        sod, csca_certificate = _chain(csca, ds, hash_name, content_type, ds_not_after)
        store = TrustStore([csca_certificate])
        start = time.perf_counter()
        genuine = passive_authentication(sod, named, store)
        elapsed = (time.perf_counter() - start) * 1000
        changed = passive_authentication(sod, {**named, "DG1": b"\x61\x05DG1.!"}, store)
        forged = bytearray(sod)
        forged[-3] ^= 0x01
        broken = passive_authentication(bytes(forged), named, store)
        notes = "; ".join(genuine.notes)
        print(f"| {label:<50} | {genuine.status.value:<8} | {changed.status.value:<13} "
              f"| {broken.status.value:<17} | {elapsed:>4.0f} | {notes} |")  # fmt: skip
    if args.master_list:
        census(args.master_list.read_bytes())
    return 0


def census(data: bytes) -> None:
    """Key kinds and chain checks over every certificate of a CSCA master list."""
    from devices.card.cms import check_signers, issued_by, load_certificate, parse_signed_data
    from devices.card.errors import ParseError
    from devices.card.tlv import parse_one

    start = time.perf_counter()
    signed = parse_signed_data(data)
    listed = parse_one(signed.encapsulated_content).children()[1].children()
    certificates, unreadable = [], 0
    for element in listed:
        try:
            certificates.append(load_certificate(element.raw))
        except ParseError:
            unreadable += 1
    strict = 0
    for element in listed:
        try:
            x509.load_der_x509_certificate(element.raw).public_key()
            strict += 1
        except Exception:
            continue
    kinds: collections.Counter[str] = collections.Counter()
    by_subject: dict[str, list[object]] = collections.defaultdict(list)
    for certificate in certificates:
        by_subject[certificate.subject].append(certificate)
        try:
            kinds[certificate.public_key().describe()] += 1
        except ParseError as exc:
            kinds[f"unusable: {exc}"] += 1
    verified = sum(
        any(issued_by(c, parent) for parent in by_subject.get(c.issuer, []))  # type: ignore[arg-type]
        for c in certificates
    )
    signature = ["VALID" if c.ok else c.error for c in check_signers(signed)]
    print(f"\nmaster list: {len(listed)} certificates, {len(certificates)} read leniently "
          f"({unreadable} unreadable), {strict} usable by `cryptography` alone; "
          f"{verified} verify against a certificate in the list; list signature: {signature}; "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
    for kind, count in kinds.most_common():
        print(f"  {count:>4}  {kind}")
