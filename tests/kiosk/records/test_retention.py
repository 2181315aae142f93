from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.sealer import Sealer
from kiosk.records.audit import AuditLog
from kiosk.records.retention import Retention, RetentionError
from kiosk.store import Store, open_store
from kiosk.store.models import Attachment, AuditEvent, Dossier, DraftRow, OutboxEntry

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
AN, BINH = "001095012345", "079188000123"


@pytest.fixture
def sealer(tmp_path: Path) -> Sealer:
    return Sealer(open_keyring("file", tmp_path / "k" / "m.key", tmp_path / "k" / "ring.json"))


@pytest.fixture
def store(store_url: str) -> Store:
    return open_store(store_url)


@pytest.fixture
def retention(store: Store, tmp_path: Path) -> Retention:
    return Retention(store, AuditLog(store), tmp_path / "attachments", timedelta(days=90))


def _dossier(
    store: Store,
    sealer: Sealer,
    ref: str,
    id_number: str,
    state: str,
    synced: datetime,
    folder: Path | None = None,
) -> bytes:
    blob = sealer.seal(f"{id_number} Nguyễn Văn An {ref}".encode(), f"dossier:{ref}".encode())
    with store.session() as session:
        dossier = Dossier(
            kiosk_reference=ref,
            procedure_code="P",
            payload_sealed=blob,
            id_lookup=sealer.lookup_hash(id_number),
            masked_id="x",
        )
        if folder is not None:
            sealer.seal_file(folder / f"{ref}.bin", b"scan", b"a")
            dossier.attachments.append(
                Attachment(
                    name="scan",
                    content_type="image/jpeg",
                    size=4,
                    sha256="0" * 64,
                    path=f"{ref}.bin",
                )
            )
        session.add(dossier)
        session.flush()
        session.add(
            OutboxEntry(dossier_id=dossier.id, idempotency_key=ref, state=state, updated_at=synced)
        )
    return blob


def _refs(store: Store) -> set[str]:
    with store.session() as session:
        return {d.kiosk_reference for d in session.query(Dossier)}


def test_purge_deletes_only_dossiers_accepted_longer_ago_than_the_retention(
    store: Store, sealer: Sealer, retention: Retention, tmp_path: Path
) -> None:
    folder = tmp_path / "attachments"
    _dossier(store, sealer, "OLD", AN, "accepted", NOW - timedelta(days=91), folder)
    _dossier(store, sealer, "NEW", AN, "accepted", NOW - timedelta(days=89))
    _dossier(store, sealer, "UNSENT", AN, "pending", NOW - timedelta(days=200))
    report = retention.purge(NOW)
    assert (report.dossiers, report.files) == (1, 1)
    assert _refs(store) == {"NEW", "UNSENT"}
    assert not (folder / "OLD.bin").exists()


def test_purge_dry_run_changes_nothing(store: Store, sealer: Sealer, retention: Retention) -> None:
    _dossier(store, sealer, "OLD", AN, "accepted", NOW - timedelta(days=91))
    assert retention.purge(NOW, dry_run=True).dossiers == 1
    assert _refs(store) == {"OLD"}


def test_purge_deletes_expired_drafts(store: Store, retention: Retention) -> None:
    with store.session() as session:
        session.add(DraftRow(id_lookup="a", procedure_code="P", sealed=b"x", expires_at=NOW))
        session.add(
            DraftRow(id_lookup="b", procedure_code="P", sealed=b"x", expires_at=NOW + timedelta(1))
        )
    assert retention.purge(NOW).drafts == 1
    with store.session() as session:
        assert [d.id_lookup for d in session.query(DraftRow)] == ["b"]


def test_forget_deletes_the_citizens_sent_dossiers_and_drafts_only(
    store: Store, sealer: Sealer, retention: Retention
) -> None:
    _dossier(store, sealer, "AN-1", AN, "accepted", NOW)
    _dossier(store, sealer, "AN-2", AN, "pending", NOW)
    _dossier(store, sealer, "BINH-1", BINH, "accepted", NOW)
    with store.session() as session:
        session.add(
            DraftRow(
                id_lookup=sealer.lookup_hash(AN), procedure_code="P", sealed=b"x", expires_at=NOW
            )
        )
    report = retention.forget_citizen(sealer, AN, "binh", "citizen asked (Điều 16)")
    assert (report.dossiers, report.drafts, report.kept_unsent) == (1, 1, 1)
    assert _refs(store) == {"AN-2", "BINH-1"}


def test_forget_with_withdrawal_also_deletes_unsent_dossiers(
    store: Store, sealer: Sealer, retention: Retention
) -> None:
    _dossier(store, sealer, "AN-2", AN, "pending", NOW)
    report = retention.forget_citizen(sealer, AN, "binh", "withdrawn", include_unsent=True)
    assert report.dossiers == 1 and _refs(store) == set()


def test_forget_needs_a_reason(sealer: Sealer, retention: Retention) -> None:
    with pytest.raises(RetentionError):
        retention.forget_citizen(sealer, AN, "binh", "  ")


def test_forget_is_audited_with_the_masked_id_and_reason(
    store: Store, sealer: Sealer, retention: Retention
) -> None:
    retention.forget_citizen(sealer, AN, "binh", "citizen asked")
    with store.session() as session:
        event = session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
        assert event is not None
        assert (event.actor, event.action) == ("staff:binh", "citizen_forgotten")
        assert "001******345" in event.detail and AN not in event.detail
        assert "citizen asked" in event.detail


def test_forgotten_ciphertext_is_gone_from_the_database_files(
    store: Store, sealer: Sealer, retention: Retention, store_bytes: Callable[[], bytes]
) -> None:
    blob = _dossier(store, sealer, "AN-1", AN, "accepted", NOW)
    _dossier(store, sealer, "BINH-1", BINH, "accepted", NOW)  # shares the page, keeps it alive
    retention.forget_citizen(sealer, AN, "binh", "citizen asked")
    assert blob[-40:] not in store_bytes()


def _print_retention(store: Store, sealer: Sealer, tmp_path: Path) -> tuple[Retention, Any]:
    from devices.printer.queue import PrintQueue

    queue = PrintQueue(tmp_path / "print_queue", sealer)
    retention = Retention(
        store, AuditLog(store), tmp_path / "attachments", timedelta(days=90),
        print_queue=queue, print_retention=timedelta(days=7), print_folder=tmp_path / "prints",
    )  # fmt: skip
    return retention, queue


def test_purge_deletes_printed_receipts_and_folder_prints_after_the_print_period(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    from devices.printer.base import PrintJob
    from devices.printer.folder import FolderPrinter

    retention, queue = _print_retention(store, sealer, tmp_path)
    printed = queue.add(PrintJob("000.00.12.H56-261129-0001", pdf=b"%PDF receipt"))
    queue.send(printed, FolderPrinter(tmp_path / "prints"))
    waiting = queue.add(PrintJob("000.00.12.H56-261129-0002", pdf=b"%PDF receipt"))
    soon = datetime.now(UTC) + timedelta(days=6)
    assert retention.purge(soon).print_jobs == 0
    later = datetime.now(UTC) + timedelta(days=8)
    report = retention.purge(later)
    assert (report.print_jobs, report.prints) == (1, 1)
    assert [j.job_id for j in queue.jobs()] == [waiting]  # never printed: kept for staff
    assert list((tmp_path / "prints").iterdir()) == []
    with store.session() as session:
        detail = session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
        assert detail is not None and '"print_jobs": 1' in detail.detail


def test_purge_deletes_a_receipt_never_printed_after_the_dossier_retention(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    from devices.printer.base import PrintJob

    retention, queue = _print_retention(store, sealer, tmp_path)
    queue.add(PrintJob("000.00.12.H56-261129-0002", pdf=b"%PDF receipt"))
    assert retention.purge(datetime.now(UTC) + timedelta(days=89)).print_jobs == 0
    assert retention.purge(datetime.now(UTC) + timedelta(days=91)).print_jobs == 1


def test_purge_dry_run_counts_print_jobs_without_deleting(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    from devices.printer.base import PrintJob, PrintResult

    retention, queue = _print_retention(store, sealer, tmp_path)
    job_id = queue.add(PrintJob("000.00.12.H56-261129-0001", pdf=b"%PDF receipt"))

    class Paper:
        formats = frozenset({"pdf"})

        def print_job(self, job: PrintJob) -> PrintResult:
            return PrintResult("paper")

    queue.send(job_id, Paper())
    report = retention.purge(datetime.now(UTC) + timedelta(days=8), dry_run=True)
    assert report.print_jobs == 1 and len(queue.jobs()) == 1


def _printed_for(queue: Any, folder: Path, name: str, citizen: str = "") -> str:
    from devices.printer.base import PrintJob
    from devices.printer.folder import FolderPrinter

    job_id: str = queue.add(PrintJob(name, pdf=b"%PDF receipt", png=b"PNG slip"), citizen=citizen)
    queue.send(job_id, FolderPrinter(folder))
    return job_id


def test_forget_erases_the_citizens_print_jobs_and_printed_files_and_counts_them(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    retention, queue = _print_retention(store, sealer, tmp_path)
    prints = tmp_path / "prints"
    _dossier(store, sealer, "K-AN", AN, "accepted", NOW)
    _printed_for(queue, prints, "K-AN", citizen=sealer.lookup_hash(AN))
    kept = _printed_for(queue, prints, "K-BINH", citizen=sealer.lookup_hash(BINH))
    report = retention.forget_citizen(sealer, AN, "binh", "citizen asked")
    assert (report.print_jobs, report.prints) == (1, 2)  # one job: its PDF and its slip
    assert [j.job_id for j in queue.jobs()] == [kept]
    assert all("K-BINH" in p.name for p in prints.iterdir())


def test_forget_finds_an_untagged_job_by_the_citizens_dossier_code(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    retention, queue = _print_retention(store, sealer, tmp_path)
    _dossier(store, sealer, "K-AN", AN, "accepted", NOW)
    _printed_for(queue, tmp_path / "prints", "K-AN")  # kept before jobs carried a tag
    report = retention.forget_citizen(sealer, AN, "binh", "citizen asked")
    assert (report.print_jobs, report.prints) == (1, 2)


def test_forget_erases_the_receipt_of_a_dossier_it_keeps_unsent(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    retention, queue = _print_retention(store, sealer, tmp_path)
    _dossier(store, sealer, "K-AN", AN, "pending", NOW)
    _printed_for(queue, tmp_path / "prints", "K-AN", citizen=sealer.lookup_hash(AN))
    report = retention.forget_citizen(sealer, AN, "binh", "citizen asked")
    assert (report.kept_unsent, report.print_jobs) == (1, 1)


def test_forget_audits_how_many_print_jobs_and_files_it_erased(
    store: Store, sealer: Sealer, tmp_path: Path
) -> None:
    retention, queue = _print_retention(store, sealer, tmp_path)
    _printed_for(queue, tmp_path / "prints", "K-AN", citizen=sealer.lookup_hash(AN))
    retention.forget_citizen(sealer, AN, "binh", "citizen asked")
    with store.session() as session:
        detail = session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
        assert detail is not None
        assert '"print_jobs": 1' in detail.detail and '"prints": 2' in detail.detail
