"""Real master lists that no one here wrote (ICAO and German; tests/kiosk/records/world/
PROVENANCE.md): their signatures check out, every usable CSCA imports — among them the Vietnamese
CSCA with explicit brainpoolP512r1 parameters — and each skipped one says why."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devices.card.trust_store import load_trust_store
from kiosk.records.trust_store import ImportReport, TrustStoreFolder

WORLD = Path(__file__).parent / "world"
ICAO_LIST = WORLD / "icao_master_list_2025-08.ml"
SIGNER_VALID = datetime(2025, 12, 1, tzinfo=UTC)
UN_CSCA = "920693cd1283824ffdf48a3579fc35528122f3de46bab2ecdaef402db6d92e4e"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[TrustStoreFolder, ImportReport]:
    folder = TrustStoreFolder(tmp_path_factory.mktemp("icao") / "trust")
    return folder, folder.import_master_list(ICAO_LIST.read_bytes(), UN_CSCA, now=SIGNER_VALID)


def test_the_icao_list_vouches_only_for_itself_until_the_un_csca_is_confirmed(
    tmp_path: Path,
) -> None:
    folder = TrustStoreFolder(tmp_path / "trust")
    report = folder.import_master_list(ICAO_LIST.read_bytes(), now=SIGNER_VALID)
    assert (report.signature, report.fingerprint_to_confirm) == ("UNTRUSTED_SIGNER", UN_CSCA)
    assert "United Nations CSCA" in report.detail and not folder.folder.exists()


def test_the_icao_list_signature_is_valid_and_519_of_520_cscas_import(
    imported: tuple[TrustStoreFolder, ImportReport],
) -> None:
    _, report = imported
    assert report.signature == "VALID"
    assert "ICAO Master List Signer" in report.signer
    assert (len(report.added), report.already_present) == (519, 0)


def test_the_one_skipped_csca_is_turkeys_whose_basic_constraints_say_it_is_no_ca(
    imported: tuple[TrustStoreFolder, ImportReport],
) -> None:
    _, report = imported
    assert [(s.subject.split(",")[0], s.reason) for s in report.skipped] == [
        ("CN=Passport CSCA Turkey", "not a CA certificate (basicConstraints cA false)")
    ]


def test_the_vietnamese_csca_with_explicit_brainpool_p512r1_parameters_is_usable(
    imported: tuple[TrustStoreFolder, ImportReport],
) -> None:
    folder, _ = imported
    [vietnam] = [e for e in folder.entries(SIGNER_VALID) if "CSCA ePassport Vietnam" in e.subject]
    assert (vietnam.country, vietnam.key_algorithm, vietnam.curve) == (
        "VN",
        "EC",
        "brainpoolP512r1",
    )
    assert vietnam.explicit_parameters and vietnam.usable


def test_every_imported_csca_is_read_back_for_passive_authentication(
    imported: tuple[TrustStoreFolder, ImportReport],
) -> None:
    folder, _ = imported
    store = load_trust_store(folder.folder)
    assert len(store.all_der()) == 519 and store.skipped == []


def test_importing_the_list_again_finds_every_csca_already_present(
    imported: tuple[TrustStoreFolder, ImportReport],
) -> None:
    folder, _ = imported
    again = folder.import_master_list(ICAO_LIST.read_bytes(), UN_CSCA, now=SIGNER_VALID)
    assert (len(again.added), again.already_present) == (0, 519)


def test_after_its_signer_expired_the_icao_list_is_invalid(tmp_path: Path) -> None:
    folder = TrustStoreFolder(tmp_path / "trust")
    late = datetime(2026, 10, 1, tzinfo=UTC)
    report = folder.import_master_list(ICAO_LIST.read_bytes(), UN_CSCA, now=late)
    assert report.signature == "INVALID" and "not valid now" in report.detail


DE_LIST = WORLD / "DE_ML_2025-08-14-07-41-09.ml"


def test_the_german_list_imports_549_of_571_and_says_why_for_each_other(tmp_path: Path) -> None:
    folder = TrustStoreFolder(tmp_path / "trust")
    german_csca = "2084aed7a991b3158e63ad750d3dc38bc6c9dcf5958f28d1162f49884e91ada8"
    report = folder.import_master_list(DE_LIST.read_bytes(), german_csca, now=SIGNER_VALID)
    assert (report.signature, len(report.added), len(report.skipped)) == ("VALID", 549, 22)
    reasons = [s.reason for s in report.skipped]
    assert sum(r == "not a CA certificate (basicConstraints cA false)" for r in reasons) == 7
    links = [r for r in reasons if r.startswith("link certificate")]
    assert len(links) == 15
    assert all(r.endswith("its key is trusted through another certificate") for r in links)


def test_after_the_icao_list_the_german_list_chains_to_the_csca_icao_vouches_for(
    imported: tuple[TrustStoreFolder, ImportReport], tmp_path: Path
) -> None:
    folder = TrustStoreFolder(tmp_path / "trust")
    shutil.copytree(imported[0].folder, folder.folder)
    report = folder.import_master_list(DE_LIST.read_bytes(), now=SIGNER_VALID)
    assert report.signature == "VALID"  # no fingerprint given: csca-germany is already trusted
    assert (len(report.added), report.already_present, len(report.skipped)) == (193, 364, 14)
