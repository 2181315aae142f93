"""Retention: personal data is deleted when it is no longer needed (Law 91/2025, Decree 356/2025).

- `purge`: dossiers the portal accepted more than `[security] retention_days` ago, and expired
  drafts, are deleted with their attachments (rows and sealed files).
- printed receipts kept for a reprint are deleted `[security] print_queue_days` after printing
  (a job never printed after `retention_days`), and so are the files a `pdf:` folder printer wrote.
- `forget_citizen`: a supervisor's "forget this citizen" action: every dossier and draft found
  by the keyed hash of the ID number is deleted. Dossiers not yet accepted by the portal are kept
  unless the supervisor says so explicitly (deleting them withdraws the application). Their
  receipts go in every case: the print-queue jobs tagged with the same keyed hash (or named by
  one of their dossier codes) are erased, leaving tombstones that refuse a reprint, and so are
  the files a `pdf:` folder printer wrote for those jobs.

Deletes run with SQLite `secure_delete` (freed pages are zeroed) and end with a WAL checkpoint,
so the removed ciphertext does not linger in free pages or the WAL; on PostgreSQL they end with a
VACUUM of the tables they touched, which prunes the dead row versions (what PostgreSQL cannot
promise: docs/architecture.md §7). Consent records and audit events stay: they hold no personal
data and prove what happened. Every run is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from devices.printer.folder import expired_prints, prints_of
from devices.printer.queue import PrintQueue
from kiosk.config import SecurityConfig
from kiosk.crypto import Sealer
from kiosk.domain.identity import mask_id
from kiosk.records.audit import AuditLog
from kiosk.store import Store
from kiosk.store.dialect import begin_secure_delete, reclaim_deleted
from kiosk.store.models import Attachment, Dossier, DraftRow, OutboxEntry

# The tables a purge or a forget deletes personal data (ciphertext) from.
PERSONAL_TABLES = (
    Attachment.__tablename__,
    OutboxEntry.__tablename__,
    Dossier.__tablename__,
    DraftRow.__tablename__,
)

ACCEPTED = "accepted"


class RetentionError(Exception):
    """A retention action was asked for in a way that is not allowed (e.g. no reason given)."""


@dataclass(frozen=True)
class PurgeReport:
    dossiers: int
    drafts: int
    files: int
    dry_run: bool = False
    print_jobs: int = 0  # kept print jobs deleted
    prints: int = 0  # files of a `pdf:` folder printer deleted


@dataclass(frozen=True)
class ForgetReport:
    masked_id: str
    dossiers: int
    drafts: int
    files: int
    kept_unsent: int  # dossiers not yet accepted by the portal, kept (not asked to withdraw)
    print_jobs: int = 0  # print-queue jobs erased (tombstones refuse a reprint)
    prints: int = 0  # files of a `pdf:` folder printer deleted


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Retention:
    def __init__(
        self,
        store: Store,
        audit: AuditLog,
        attachment_dir: Path | None,
        retention: timedelta,
        print_queue: PrintQueue | None = None,
        print_retention: timedelta = timedelta(days=7),
        print_folder: Path | None = None,
    ) -> None:
        self.store = store
        self.audit = audit
        self.attachment_dir = attachment_dir
        self.retention = retention
        self.print_queue = print_queue
        self.print_retention = print_retention
        self.print_folder = print_folder

    def purge(self, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
        now = now or datetime.now(UTC)
        cutoff = now - self.retention
        with self.store.session() as session:
            begin_secure_delete(session)
            accepted = session.execute(
                select(Dossier.id, OutboxEntry.updated_at)
                .join(OutboxEntry, OutboxEntry.dossier_id == Dossier.id)
                .where(OutboxEntry.state == ACCEPTED)
            ).all()
            due = [dossier_id for dossier_id, synced in accepted if _aware(synced) < cutoff]
            drafts = [
                row.id for row in session.scalars(select(DraftRow)) if _aware(row.expires_at) <= now
            ]
            files = 0
            if not dry_run:
                files = self._delete_dossiers(session, due)
                if drafts:
                    session.execute(delete(DraftRow).where(DraftRow.id.in_(drafts)))
        print_jobs, prints = self._purge_prints(now, dry_run)
        report = PurgeReport(len(due), len(drafts), files, dry_run, print_jobs, prints)
        if not dry_run:
            self._reclaim_deleted()
            self.audit.append(
                "system",
                "retention_purge",
                {
                    "dossiers": report.dossiers,
                    "drafts": report.drafts,
                    "files": files,
                    "retention_days": self.retention.days,
                    "print_jobs": print_jobs,
                    "prints": prints,
                    "print_queue_days": self.print_retention.days,
                },
            )
        return report

    def _purge_prints(self, now: datetime, dry_run: bool) -> tuple[int, int]:
        jobs = 0
        queue = self.print_queue
        if queue is not None:
            args = (self.print_retention, now, self.retention)
            jobs = len(queue.expired(*args)) if dry_run else queue.purge(*args)
        paths = []
        if self.print_folder is not None:
            paths = expired_prints(self.print_folder, self.print_retention, now)
        if not dry_run:
            for path in paths:
                _overwrite_and_unlink(path)
        return jobs, len(paths)

    def forget_citizen(
        self,
        sealer: Sealer,
        id_number: str,
        staff: str,
        reason: str,
        include_unsent: bool = False,
    ) -> ForgetReport:
        if not reason.strip():
            raise RetentionError("forgetting a citizen needs a reason")
        lookup = sealer.lookup_hash(id_number)
        with self.store.session() as session:
            begin_secure_delete(session)
            rows = session.execute(
                select(Dossier.id, OutboxEntry.state, Dossier.kiosk_reference, Dossier.portal_code)
                .outerjoin(OutboxEntry, OutboxEntry.dossier_id == Dossier.id)
                .where(Dossier.id_lookup == lookup)
            ).all()
            codes = {code for row in rows for code in row[2:] if code}
            chosen = [row[0] for row in rows if include_unsent or row[1] in (ACCEPTED, None)]
            files = self._delete_dossiers(session, chosen)
            drafts = session.execute(delete(DraftRow).where(DraftRow.id_lookup == lookup))
            draft_count = int(getattr(drafts, "rowcount", 0) or 0)
        self._reclaim_deleted()
        print_jobs, prints = self._forget_prints(lookup, codes)
        report = ForgetReport(
            mask_id(id_number),
            len(chosen),
            draft_count,
            files,
            len(rows) - len(chosen),
            print_jobs,
            prints,
        )
        self.audit.append(
            f"staff:{staff}",
            "citizen_forgotten",
            {
                "citizen": report.masked_id,
                "dossiers": report.dossiers,
                "drafts": draft_count,
                "kept_unsent": report.kept_unsent,
                "print_jobs": print_jobs,
                "prints": prints,
                "reason": reason.strip(),
            },
        )
        return report

    def _forget_prints(self, lookup: str, codes: set[str]) -> tuple[int, int]:
        """Erase the citizen's print-queue jobs and the folder printer's files for them."""
        names = set(codes)
        erased = 0
        if self.print_queue is not None:
            job_ids = self.print_queue.jobs_of(lookup, codes)
            names |= {self.print_queue.info(job_id).name for job_id in job_ids}
            erased = self.print_queue.forget(job_ids)
        prints = 0
        if self.print_folder is not None:
            prints = sum(_overwrite_and_unlink(p) for p in prints_of(self.print_folder, names))
        return erased, prints

    def _delete_dossiers(self, session: Session, ids: list[int]) -> int:
        if not ids:
            return 0
        paths = session.scalars(
            select(Attachment.path).where(
                Attachment.dossier_id.in_(ids), Attachment.path.is_not(None)
            )
        ).all()
        session.execute(delete(Attachment).where(Attachment.dossier_id.in_(ids)))
        session.execute(delete(OutboxEntry).where(OutboxEntry.dossier_id.in_(ids)))
        session.execute(delete(Dossier).where(Dossier.id.in_(ids)))
        return sum(self._remove_file(p) for p in paths if p)

    def _remove_file(self, relative: str) -> int:
        if self.attachment_dir is None:
            return 0
        path = (self.attachment_dir / relative).resolve()
        if not path.is_relative_to(self.attachment_dir.resolve()):
            return 0  # never delete outside the attachment folder
        return _overwrite_and_unlink(path)

    def _reclaim_deleted(self) -> None:
        reclaim_deleted(self.store.engine, PERSONAL_TABLES)


def _overwrite_and_unlink(path: Path) -> int:
    try:
        size = path.stat().st_size
        with path.open("r+b") as handle:  # overwrite before unlinking (best effort)
            handle.write(b"\0" * size)
        path.unlink()
    except FileNotFoundError:
        return 0
    return 1


def retention_for(
    security: SecurityConfig,
    data_dir: Path,
    print_dir: Path,
    store: Store,
    audit: AuditLog,
    print_queue: PrintQueue,
) -> Retention:
    """The kiosk's retention: its store, attachments (in `data_dir`), print queue and
    folder-printer output (`print_dir`), with the periods `[security]` sets."""
    from kiosk.crypto.sealer import attachment_dir

    return Retention(
        store,
        audit,
        attachment_dir(data_dir),
        timedelta(days=security.retention_days),
        print_queue=print_queue,
        print_retention=timedelta(days=security.print_queue_days),
        print_folder=print_dir,
    )
