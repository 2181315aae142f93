from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import Encoding

from devices.card import trust_store as card_trust_store
from devices.card.cms import chain_to
from devices.card.trust_store import load_trust_store
from kiosk.records.trust_store import (
    EXPIRED,
    EXPIRING,
    STAGING_PREFIX,
    VALID,
    TrustStoreError,
    TrustStoreFolder,
    fingerprint,
)
from tests.kiosk.trust_pki import NOW, Pki, certificate, der, name, world_csca


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


@pytest.fixture
def folder(tmp_path: Path) -> TrustStoreFolder:
    return TrustStoreFolder(tmp_path / "trust")


def _files(folder: TrustStoreFolder) -> list[str]:
    return sorted(p.name for p in folder.folder.iterdir()) if folder.folder.exists() else []


def test_imported_certificate_is_stored_as_der_the_card_reader_loads(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    report = folder.import_certificates(pki.csca.public_bytes(Encoding.PEM))
    assert report.added == (f"DE_{fingerprint(pki.csca)[:16]}.der",)
    assert load_trust_store(folder.folder).certificates == [pki.csca]


def test_importing_the_same_certificate_twice_adds_it_once(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    assert folder.import_certificates(der(pki.csca)).already_present == 1
    assert len(folder.certificates()) == 1


def test_a_non_ca_certificate_is_refused(folder: TrustStoreFolder, pki: Pki) -> None:
    with pytest.raises(TrustStoreError, match="not a CA"):
        folder.import_certificates(der(pki.signer))


def test_garbage_is_not_a_certificate(folder: TrustStoreFolder) -> None:
    with pytest.raises(TrustStoreError):
        folder.import_certificates(b"hello")


def test_a_master_list_given_as_certificates_is_refused_so_its_signature_is_not_skipped(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    with pytest.raises(TrustStoreError, match="import-masterlist"):
        folder.import_certificates(pki.master_list())
    assert _files(folder) == []


# --- master lists: the list's own signature -----------------------------------------------------


def test_master_list_signed_under_a_trusted_csca_imports_all_its_cscas(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list(), now=NOW)
    assert report.signature == "VALID"
    assert (len(report.added), report.already_present) == (1, 1)
    assert "Master List Signer" in report.signer
    assert {c.subject for _, c in folder.certificates()} == {pki.csca.subject, pki.other.subject}


def test_master_list_vouching_only_for_itself_needs_a_confirmed_fingerprint(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    report = folder.import_master_list(pki.master_list(), now=NOW)
    assert report.signature == "UNTRUSTED_SIGNER"
    assert report.fingerprint_to_confirm == fingerprint(pki.csca)
    assert folder.certificates() == []
    confirmed = folder.import_master_list(pki.master_list(), report.fingerprint_to_confirm, now=NOW)
    assert (confirmed.signature, len(confirmed.added)) == ("VALID", 2)


def test_master_list_changed_after_signing_is_invalid_and_writes_nothing(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list(tamper=True), now=NOW)
    assert report.signature == "INVALID" and "digest" in report.detail
    assert (report.added, len(folder.certificates())) == ((), 1)


def test_master_list_signed_with_another_key_is_invalid(folder: TrustStoreFolder, pki: Pki) -> None:
    folder.import_certificates(der(pki.csca))
    forged = pki.master_list(signer_key=ec.generate_private_key(ec.SECP256R1()))
    report = folder.import_master_list(forged, now=NOW)
    assert report.signature == "INVALID" and "signature" in report.detail
    assert report.added == ()


def test_master_list_whose_signer_no_known_csca_issued_is_untrusted(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    report = folder.import_master_list(pki.master_list([pki.other]), now=NOW)
    assert report.signature == "UNTRUSTED_SIGNER" and "no known CSCA" in report.detail
    assert _files(folder) == []


def test_master_list_with_an_expired_signer_is_invalid(folder: TrustStoreFolder, pki: Pki) -> None:
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list(), now=NOW + timedelta(days=400))
    assert report.signature == "INVALID" and "not valid now" in report.detail


def test_a_master_list_without_signer_certificate_is_not_checked(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    stranger = Pki()  # its signer certificate is not the one the signer info names
    report = folder.import_master_list(pki.master_list(carried=stranger.signer), now=NOW)
    assert report.signature == "NOT_CHECKED" and report.added == ()


def test_the_json_report_has_exactly_the_contract_keys(folder: TrustStoreFolder, pki: Pki) -> None:
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list([pki.csca, pki.signer]), now=NOW)
    assert report.as_json() == {
        "imported": 0,
        "already_present": 1,
        "skipped": [
            {
                "subject": "CN=Master List Signer,C=DE",
                "reason": "not a CA certificate (basicConstraints cA false)",
            }
        ],
        "signature": "VALID",
    }


def test_a_file_over_50_mb_is_refused_before_it_is_parsed(
    folder: TrustStoreFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(card_trust_store, "parse_signed_data", parse)
    with pytest.raises(TrustStoreError, match="larger than any master list"):
        folder.import_master_list(bytes(50 * 1024 * 1024 + 1), now=NOW)


# --- master lists: every certificate it can, the others reported --------------------------------


def test_a_malformed_certificate_in_a_list_is_reported_and_the_rest_imported(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    broken = bytes.fromhex("3003020101")  # a SEQUENCE holding only an INTEGER
    report = folder.import_master_list(pki.master_list([pki.csca, pki.other, broken]), now=NOW)
    assert report.signature == "VALID" and len(report.added) == 1
    [skipped] = report.skipped
    assert skipped.subject == "(unparseable certificate)" and skipped.reason.startswith(
        "unparseable"
    )


@pytest.mark.parametrize(
    "quirk",
    ["explicit", "null_parameters", "negative_serial", "loose_basic_constraints"],
)
def test_a_csca_that_cryptography_refuses_imports_and_is_usable(
    folder: TrustStoreFolder, pki: Pki, quirk: str
) -> None:
    """The problem certificates of real lists (e.g. "CSCA ePassport Vietnam": brainpoolP512r1 with
    explicit parameters, ecdsa-with-SHA512); every variant also has explicit parameters."""
    options = {} if quirk == "explicit" else {quirk: True}
    key = ec.generate_private_key(ec.BrainpoolP512R1())
    vietnam = world_csca("VN", "CSCA ePassport Vietnam", key, **options)
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list([pki.csca, vietnam]), now=NOW)
    assert (report.signature, len(report.added), report.skipped) == ("VALID", 1, ())
    [entry] = [e for e in folder.entries(NOW) if e.country == "VN"]
    assert (entry.key_algorithm, entry.curve, entry.explicit_parameters) == (
        "EC",
        "brainpoolP512r1",
        True,
    )
    assert (entry.usable, entry.reason) == (True, "")
    assert vietnam in load_trust_store(folder.folder).all_der()


def test_a_self_signed_csca_whose_signature_does_not_verify_is_skipped(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    key = ec.generate_private_key(ec.BrainpoolP512R1())
    forged = world_csca(
        "VN", "CSCA Forged", key, signer_key=ec.generate_private_key(ec.BrainpoolP512R1())
    )
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list([pki.csca, forged]), now=NOW)
    assert [(s.subject, s.reason) for s in report.skipped] == [
        ("CN=CSCA Forged,C=VN", "the self-signature does not verify")
    ]
    assert report.added == ()


def test_a_link_certificate_is_followed_to_the_csca_it_renews(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    """ICAO 9303-12 §7.1.1: the old CSCA signs the new key; the link is usable because its
    issuer is, and a link whose issuer is nowhere is skipped."""
    old_key, new_key = (
        ec.generate_private_key(ec.SECP384R1()),
        ec.generate_private_key(ec.SECP384R1()),
    )
    old = certificate(name("FR", "CSCA France 1"), old_key)
    link = certificate(name("FR", "CSCA France 2"), new_key, old.subject, old_key)
    orphan_issuer = ec.generate_private_key(ec.SECP384R1())
    orphan = certificate(
        name("FR", "CSCA France 3"), new_key, name("FR", "CSCA Gone"), orphan_issuer
    )
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list([pki.csca, link, old, orphan]), now=NOW)
    assert len(report.added) == 2
    assert {c.subject for _, c in folder.certificates()} >= {old.subject, link.subject}
    [skipped] = report.skipped
    assert (
        skipped.subject == "CN=CSCA France 3,C=FR" and "neither in the list nor" in skipped.reason
    )


def test_a_link_certificate_from_a_csca_already_trusted_is_followed(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    new_key = ec.generate_private_key(ec.SECP256R1())
    link = certificate(name("DE", "CSCA Test DE 2"), new_key, pki.csca.subject, pki.csca_key)
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list([link]), now=NOW)
    assert (len(report.added), report.skipped) == (1, ())


# --- all or none --------------------------------------------------------------------------------


def test_a_failure_while_writing_leaves_the_folder_as_it_was(
    folder: TrustStoreFolder, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.import_certificates(der(pki.csca))
    before = _files(folder)
    third = certificate(name("FR", "CSCA FR"), ec.generate_private_key(ec.SECP256R1()))
    renames = 0
    real_replace = os.replace

    def failing_replace(source: object, target: object) -> None:
        nonlocal renames
        renames += 1
        if renames == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        folder.import_master_list(pki.master_list([pki.csca, pki.other, third]), now=NOW)
    assert renames == 2 and _files(folder) == before


def test_a_staged_import_left_by_a_crash_is_never_read_and_is_cleared(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    staged = folder.folder / f"{STAGING_PREFIX}crashed"
    staged.mkdir()
    (staged / "VN_half.der").write_bytes(der(pki.other))
    assert len(load_trust_store(folder.folder).certificates) == 1
    folder.import_master_list(pki.master_list(), now=NOW)
    assert not staged.exists()


# --- listing ------------------------------------------------------------------------------------


def test_list_shows_expiry_and_warns_before_it(folder: TrustStoreFolder, pki: Pki) -> None:
    old_key = ec.generate_private_key(ec.SECP256R1())
    expired = certificate(name("FR", "CSCA Old"), old_key, days=20, start=NOW - timedelta(days=40))
    folder.add([pki.csca, pki.other, expired])
    rows = folder.entries(now=NOW, warn_days=60)
    assert [(r.country, r.status) for r in rows] == [
        ("FR", EXPIRED),
        ("VN", EXPIRING),
        ("DE", VALID),
    ]
    assert rows[1].days_left == 30


def test_list_says_which_certificates_are_unusable_and_why(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    expired = certificate(
        name("FR", "CSCA Old"), ec.generate_private_key(ec.SECP256R1()), days=20,
        start=NOW - timedelta(days=40),
    )  # fmt: skip
    edwards = ed25519.Ed25519PrivateKey.generate()
    unsupported = (
        x509.CertificateBuilder().subject_name(name("XX", "CSCA Edwards"))
        .issuer_name(name("XX", "CSCA Edwards")).public_key(edwards.public_key())
        .serial_number(1).not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=900))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(edwards, None)
    )  # fmt: skip
    folder.add([pki.csca, expired, unsupported])
    (folder.folder / "notes.der").write_bytes(b"not a certificate")
    rows = {r.subject: r for r in folder.entries(now=NOW)}
    assert (rows["CN=CSCA Test DE,C=DE"].usable, rows["CN=CSCA Test DE,C=DE"].curve) == (
        True,
        "secp256r1",
    )
    assert rows["CN=CSCA Old,C=FR"].reason.startswith("expired on")
    assert rows["CN=CSCA Edwards,C=XX"].reason.startswith("unsupported key")
    unparseable = rows["(unparseable certificate)"]
    assert (unparseable.file, unparseable.usable) == ("notes.der", False)
    assert unparseable.reason.startswith("unparseable")
    assert not any(r.usable for r in rows.values() if r.subject != "CN=CSCA Test DE,C=DE")


def test_the_card_readers_store_anchors_chains_on_a_csca_cryptography_cannot_load(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    """NULL ECDSA parameters inside the TBS (as Germany's and Austria's CSCAs have): the strict
    list leaves it out, `anchors()` — what passive authentication should search — has it."""
    key = ec.generate_private_key(ec.BrainpoolP512R1())
    csca = world_csca("DE", "csca-germany", key, null_parameters=True)
    dsc = certificate(
        name("DE", "Document Signer"),
        ec.generate_private_key(ec.SECP256R1()),
        name("DE", "csca-germany"),
        key,
        ca=False,
    )  # type: ignore[arg-type]
    folder.add([pki.csca, csca])
    store = load_trust_store(folder.folder)
    assert [c.der for c in store.anchors() if chain_to(dsc, [c])] == [csca]
    assert chain_to(dsc, store.certificates) is None


def test_passive_authentication_chains_to_an_imported_csca_cryptography_cannot_load(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    from devices.card.passive_auth import PaStatus, passive_authentication
    from devices.card.simulator.pki import TestPki

    key = ec.generate_private_key(ec.BrainpoolP512R1())
    csca = world_csca("DE", "csca-germany", key, null_parameters=True)
    ds_key = ec.generate_private_key(ec.SECP256R1())
    dsc = certificate(name("DE", "Document Signer"), ds_key, name("DE", "csca-germany"), key,
                      ca=False)  # type: ignore[arg-type]  # fmt: skip
    dg1 = bytes.fromhex("61035f1f00")
    sod = TestPki("ecdsa", key, dsc, ds_key, dsc).sign_sod({1: dg1})
    folder.import_certificates(der(pki.csca))
    folder.import_master_list(pki.master_list([pki.csca, csca]), now=NOW)
    result = passive_authentication(sod, {"DG1": dg1}, load_trust_store(folder.folder), NOW)
    assert (result.status, result.csca) == (PaStatus.VALID, "CN=csca-germany,C=DE")
