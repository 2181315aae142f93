"""The print queue staff reprint from: every job is kept, sealed, as files in a folder.

`<root>/<job id>/job.json` holds what staff see and no personal data (the dossier code, kind,
state, reason, times); the renderings, which show the citizen's name, address and ID number, are
kept only sealed: `job.pdf.sealed`, `job.png.sealed`, `job.escpos.sealed`. The queue does not know
how to seal: the caller gives it a `JobSealer` (the kiosk passes its AES-256-GCM `Sealer`), and
each file is bound to its job id and rendering (associated data), so a sealed file moved into
another job does not open.

A job is `pending` until a printer has printed it (paper out, cover open, printer offline leave it
pending), then `printed`; printed jobs stay so staff can reprint any receipt until `purge` removes
them (receipts carry personal data: keep them only as long as needed). A job may carry an opaque
citizen tag (the kiosk's keyed ID hash, never the ID itself) so that forgetting a citizen finds
their jobs: `forget` destroys the renderings and leaves a `forgotten` tombstone (no tag), which
is not listed and refuses a reprint with `JobForgotten` until the purge removes it. Writes are
atomic (temporary file, then rename), so a power cut leaves the old or the new state.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from devices.printer.base import ESCPOS, PDF, PNG, Printer, PrintJob, PrintResult
from devices.printer.errors import PrinterError

PENDING, PRINTED, FORGOTTEN = "pending", "printed", "forgotten"
RENDERINGS = (PDF, PNG, ESCPOS)
META = "job.json"
_SEALED = {kind: f"job.{kind}.sealed" for kind in RENDERINGS}
_PLAIN = {kind: f"job.{kind}" for kind in RENDERINGS}  # before sealing (see `seal_plain_files`)
_JOB_ID = re.compile(r"\d{8}-\d{6}-\d{6}-[0-9A-Za-z._-]+")


class UnknownJob(KeyError):
    """No job with that id in the queue."""


class JobForgotten(PrinterError):
    """The job's citizen was forgotten: its renderings are destroyed and it cannot be printed."""

    code = "print_job_forgotten"


class JobSealer(Protocol):
    """Authenticated encryption with associated data (the kiosk's `Sealer` is one)."""

    def seal(self, data: bytes, aad: bytes) -> bytes: ...

    def open(self, blob: bytes, aad: bytes) -> bytes: ...


@dataclass(frozen=True)
class QueuedJob:
    job_id: str
    name: str
    kind: str
    state: str  # pending | printed
    reason: str  # error code of the last failed attempt ("" once printed)
    created_at: datetime  # aware
    printed_at: datetime | None
    attempts: int


def _write_atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def _overwrite_and_unlink(path: Path) -> None:
    with path.open("r+b") as handle:  # overwrite before unlinking (best effort)
        handle.write(b"\0" * path.stat().st_size)
    path.unlink()


def _moment(text: str) -> datetime:
    """A stored time; jobs queued before times were kept in UTC hold the kiosk's local time."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.astimezone()


def _aad(job_id: str, kind: str) -> bytes:
    return f"print-job:{job_id}:{kind}".encode()


class PrintQueue:
    def __init__(self, root: Path, sealer: JobSealer) -> None:
        self.root = root
        self.sealer = sealer
        self._lock = threading.Lock()

    def add(self, job: PrintJob, citizen: str = "") -> str:
        """Keep `job` (pending, sealed) and return its id; `citizen` is the tag `jobs_of` finds
        it by (opaque here: the kiosk gives its keyed ID hash)."""
        with self._lock:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            base = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{job.file_stem}"
            job_id, n = base, 1
            while (self.root / job_id).exists():
                n += 1
                job_id = f"{base}-{n}"
            folder = self.root / job_id
            folder.mkdir(mode=0o700)
            for kind, data in ((PDF, job.pdf), (PNG, job.png), (ESCPOS, job.escpos)):
                if data is not None:
                    blob = self.sealer.seal(data, _aad(job_id, kind))
                    _write_atomic(folder / _SEALED[kind], blob)
            meta = {
                "name": job.name,
                "kind": job.kind,
                "state": PENDING,
                "reason": "",
                "created_at": datetime.now(UTC).isoformat(),
                "printed_at": None,
                "attempts": 0,
            }
            if citizen:
                meta["citizen"] = citizen
            _write_atomic(folder / META, json.dumps(meta, ensure_ascii=False).encode())
            return job_id

    def _folder(self, job_id: str) -> Path:
        folder = self.root / job_id
        if not _JOB_ID.fullmatch(job_id) or not (folder / META).is_file():
            raise UnknownJob(job_id)
        return folder

    def _meta(self, job_id: str) -> dict[str, object]:
        meta: dict[str, object] = json.loads((self._folder(job_id) / META).read_text("utf-8"))
        return meta

    def info(self, job_id: str) -> QueuedJob:
        meta = self._meta(job_id)
        printed = meta.get("printed_at")
        return QueuedJob(
            job_id=job_id,
            name=str(meta["name"]),
            kind=str(meta["kind"]),
            state=str(meta["state"]),
            reason=str(meta.get("reason", "")),
            created_at=_moment(str(meta["created_at"])),
            printed_at=_moment(str(printed)) if printed else None,
            attempts=int(str(meta.get("attempts", 0))),
        )

    def job(self, job_id: str) -> PrintJob:
        """The job's renderings, opened (the sealer's error when a file was changed or moved;
        `JobForgotten` when its citizen was forgotten)."""
        folder = self._folder(job_id)
        meta = self._meta(job_id)
        if meta.get("state") == FORGOTTEN:
            raise JobForgotten(f"print job {job_id} was erased when its citizen was forgotten")

        def read(kind: str) -> bytes | None:
            path = folder / _SEALED[kind]
            if not path.exists():
                return None
            return self.sealer.open(path.read_bytes(), _aad(job_id, kind))

        return PrintJob(
            name=str(meta["name"]),
            kind=str(meta["kind"]),
            pdf=read(PDF),
            png=read(PNG),
            escpos=read(ESCPOS),
        )

    def jobs(self, state: str | None = None) -> list[QueuedJob]:
        """Jobs oldest first; only those in `state` when given. Forgotten jobs are listed only
        when asked for by that state."""
        return [
            info
            for info in self._all()
            if info.state == state or (state is None and info.state != FORGOTTEN)
        ]

    def _ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [
            folder.name
            for folder in sorted(self.root.iterdir())
            if _JOB_ID.fullmatch(folder.name) and (folder / META).is_file()
        ]

    def _all(self) -> list[QueuedJob]:
        return [self.info(job_id) for job_id in self._ids()]

    def jobs_of(self, citizen: str, names: Collection[str] = ()) -> list[str]:
        """Ids of the live jobs tagged `citizen`, or (jobs kept before tags) named one of
        `names`."""
        found = []
        for job_id in self._ids():
            meta = self._meta(job_id)
            if meta.get("state") == FORGOTTEN:
                continue
            if (citizen and meta.get("citizen") == citizen) or meta.get("name") in names:
                found.append(job_id)
        return found

    def forget(self, job_ids: list[str]) -> int:
        """Destroy the jobs' renderings (overwritten, then removed) and leave tombstones that
        refuse a reprint; returns how many jobs were forgotten."""
        with self._lock:
            for job_id in job_ids:
                folder = self._folder(job_id)
                meta = self._meta(job_id)
                for path in folder.iterdir():
                    if path.name != META and path.is_file():
                        _overwrite_and_unlink(path)
                meta.pop("citizen", None)
                meta.update(state=FORGOTTEN, reason=JobForgotten.code)
                _write_atomic(folder / META, json.dumps(meta, ensure_ascii=False).encode())
        return len(job_ids)

    def pending(self) -> list[QueuedJob]:
        return self.jobs(PENDING)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            meta = self._meta(job_id)
            meta.update(changes)
            data = json.dumps(meta, ensure_ascii=False).encode()
            _write_atomic(self._folder(job_id) / META, data)

    def send(self, job_id: str, printer: Printer) -> PrintResult:
        """Print a kept job (first print or a staff reprint); the state records the outcome."""
        attempts = self.info(job_id).attempts + 1
        job = self.job(job_id)
        try:
            result = printer.print_job(job)
        except PrinterError as exc:
            self._update(job_id, state=PENDING, reason=exc.code, attempts=attempts)
            raise
        self._update(
            job_id,
            state=PRINTED,
            reason="",
            attempts=attempts,
            printed_at=datetime.now(UTC).isoformat(),
        )
        return result

    def expired(
        self,
        older_than: timedelta,
        now: datetime | None = None,
        pending_older_than: timedelta | None = None,
    ) -> list[QueuedJob]:
        """Printed jobs created more than `older_than` ago and — only when `pending_older_than`
        is given — jobs never printed created more than that ago."""
        now = now or datetime.now(UTC)
        if now.tzinfo is None:
            now = now.astimezone()
        due = []
        for info in self._all():
            limit = pending_older_than if info.state == PENDING else older_than
            if limit is not None and now - info.created_at > limit:
                due.append(info)
        return due

    def purge(
        self,
        older_than: timedelta,
        now: datetime | None = None,
        pending_older_than: timedelta | None = None,
    ) -> int:
        """Delete the `expired` jobs; returns how many."""
        due = self.expired(older_than, now, pending_older_than)
        with self._lock:
            for info in due:
                shutil.rmtree(self.root / info.job_id, ignore_errors=True)
        return len(due)

    def seal_plain_files(self) -> int:
        """Seal renderings a queue from before sealing left in plain files (each is sealed,
        then the plain file overwritten and removed). Returns how many files were sealed."""
        if not self.root.is_dir():
            return 0
        sealed = 0
        with self._lock:
            for folder in sorted(self.root.iterdir()):
                if not (_JOB_ID.fullmatch(folder.name) and folder.is_dir()):
                    continue
                for kind in RENDERINGS:
                    plain = folder / _PLAIN[kind]
                    if not plain.is_file():
                        continue
                    data = plain.read_bytes()
                    blob = self.sealer.seal(data, _aad(folder.name, kind))
                    _write_atomic(folder / _SEALED[kind], blob)
                    with plain.open("r+b") as handle:  # overwrite before unlinking (best effort)
                        handle.write(b"\0" * len(data))
                    plain.unlink()
                    sealed += 1
        return sealed
