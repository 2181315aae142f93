"""The print queue staff reprint from: every job is kept as files in a folder.

`<root>/<job id>/job.json` (name, kind, state, reason, times) beside `job.pdf`, `job.png`,
`job.escpos`. A job is `pending` until a printer has printed it (paper out, cover open, printer
offline leave it pending), then `printed`; printed jobs stay so staff can reprint any receipt
until `purge` removes them (receipts carry personal data: keep them only as long as needed).
Writes are atomic (temporary file, then rename), so a power cut leaves the old or the new state.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from devices.printer.base import ESCPOS, PDF, PNG, Printer, PrintJob, PrintResult
from devices.printer.errors import PrinterError

PENDING, PRINTED = "pending", "printed"
_FILES = {PDF: "job.pdf", PNG: "job.png", ESCPOS: "job.escpos"}
_JOB_ID = re.compile(r"\d{8}-\d{6}-\d{6}-[0-9A-Za-z._-]+")


class UnknownJob(KeyError):
    """No job with that id in the queue."""


@dataclass(frozen=True)
class QueuedJob:
    job_id: str
    name: str
    kind: str
    state: str  # pending | printed
    reason: str  # error code of the last failed attempt ("" once printed)
    created_at: datetime
    printed_at: datetime | None
    attempts: int


def _write_atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)


class PrintQueue:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def add(self, job: PrintJob) -> str:
        """Keep `job` (pending) and return its id."""
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            base = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{job.file_stem}"
            job_id, n = base, 1
            while (self.root / job_id).exists():
                n += 1
                job_id = f"{base}-{n}"
            folder = self.root / job_id
            folder.mkdir()
            for kind, data in ((PDF, job.pdf), (PNG, job.png), (ESCPOS, job.escpos)):
                if data is not None:
                    _write_atomic(folder / _FILES[kind], data)
            meta = {
                "name": job.name,
                "kind": job.kind,
                "state": PENDING,
                "reason": "",
                "created_at": datetime.now().isoformat(),
                "printed_at": None,
                "attempts": 0,
            }
            _write_atomic(folder / "job.json", json.dumps(meta, ensure_ascii=False).encode())
            return job_id

    def _folder(self, job_id: str) -> Path:
        folder = self.root / job_id
        if not _JOB_ID.fullmatch(job_id) or not (folder / "job.json").is_file():
            raise UnknownJob(job_id)
        return folder

    def _meta(self, job_id: str) -> dict[str, object]:
        meta: dict[str, object] = json.loads((self._folder(job_id) / "job.json").read_text("utf-8"))
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
            created_at=datetime.fromisoformat(str(meta["created_at"])),
            printed_at=datetime.fromisoformat(str(printed)) if printed else None,
            attempts=int(str(meta.get("attempts", 0))),
        )

    def job(self, job_id: str) -> PrintJob:
        folder = self._folder(job_id)
        meta = self._meta(job_id)

        def read(kind: str) -> bytes | None:
            path = folder / _FILES[kind]
            return path.read_bytes() if path.exists() else None

        return PrintJob(
            name=str(meta["name"]),
            kind=str(meta["kind"]),
            pdf=read(PDF),
            png=read(PNG),
            escpos=read(ESCPOS),
        )

    def jobs(self, state: str | None = None) -> list[QueuedJob]:
        """Jobs oldest first; only those in `state` when given."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in sorted(self.root.iterdir()):
            if _JOB_ID.fullmatch(folder.name) and (folder / "job.json").is_file():
                info = self.info(folder.name)
                if state is None or info.state == state:
                    found.append(info)
        return found

    def pending(self) -> list[QueuedJob]:
        return self.jobs(PENDING)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            meta = self._meta(job_id)
            meta.update(changes)
            data = json.dumps(meta, ensure_ascii=False).encode()
            _write_atomic(self._folder(job_id) / "job.json", data)

    def send(self, job_id: str, printer: Printer) -> PrintResult:
        """Print a kept job (first print or a staff reprint); the state records the outcome."""
        attempts = self.info(job_id).attempts + 1
        try:
            result = printer.print_job(self.job(job_id))
        except PrinterError as exc:
            self._update(job_id, state=PENDING, reason=exc.code, attempts=attempts)
            raise
        self._update(
            job_id,
            state=PRINTED,
            reason="",
            attempts=attempts,
            printed_at=datetime.now().isoformat(),
        )
        return result

    def purge(self, older_than: timedelta, now: datetime | None = None) -> int:
        """Delete printed jobs created more than `older_than` ago; returns how many."""
        limit = (now or datetime.now()) - older_than
        removed = 0
        for info in self.jobs(PRINTED):
            if info.created_at < limit:
                shutil.rmtree(self.root / info.job_id)
                removed += 1
        return removed
