from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from devices.card.trust_store import load_trust_store
from kiosk.records.trust_store import (
    EXPIRED,
    EXPIRING,
    VALID,
    MasterListInvalid,
    TrustStoreError,
    TrustStoreFolder,
    UnconfirmedIssuer,
    fingerprint,
)
from tests.kiosk.trust_pki import NOW, Pki, certificate, der, name


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


@pytest.fixture
def folder(tmp_path: Path) -> TrustStoreFolder:
    return TrustStoreFolder(tmp_path / "trust")


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


def test_master_list_signed_under_a_trusted_csca_imports_all_its_cscas(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    folder.import_certificates(der(pki.csca))
    report = folder.import_master_list(pki.master_list(), now=NOW)
    assert (len(report.added), report.already_present) == (1, 1)
    assert "Master List Signer" in report.signer
    assert {c.subject for _, c in folder.certificates()} == {pki.csca.subject, pki.other.subject}


def test_master_list_vouching_only_for_itself_needs_a_confirmed_fingerprint(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    with pytest.raises(UnconfirmedIssuer) as error:
        folder.import_master_list(pki.master_list(), now=NOW)
    assert error.value.fingerprint == fingerprint(pki.csca)
    assert folder.certificates() == []
    report = folder.import_master_list(pki.master_list(), error.value.fingerprint, now=NOW)
    assert len(report.added) == 2


def test_master_list_changed_after_signing_is_refused(folder: TrustStoreFolder, pki: Pki) -> None:
    folder.import_certificates(der(pki.csca))
    with pytest.raises(MasterListInvalid, match="digest"):
        folder.import_master_list(pki.master_list(tamper=True), now=NOW)


def test_master_list_signed_with_another_key_is_refused(folder: TrustStoreFolder, pki: Pki) -> None:
    folder.import_certificates(der(pki.csca))
    forged = pki.master_list(signer_key=ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(MasterListInvalid, match="signature"):
        folder.import_master_list(forged, now=NOW)


def test_master_list_whose_signer_no_known_csca_issued_is_refused(
    folder: TrustStoreFolder, pki: Pki
) -> None:
    with pytest.raises(MasterListInvalid, match="no known CSCA"):
        folder.import_master_list(pki.master_list([pki.other]), now=NOW)


def test_master_list_with_an_expired_signer_is_refused(folder: TrustStoreFolder, pki: Pki) -> None:
    folder.import_certificates(der(pki.csca))
    with pytest.raises(MasterListInvalid, match="not valid now"):
        folder.import_master_list(pki.master_list(), now=NOW + timedelta(days=400))


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
