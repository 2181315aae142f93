"""Demo-mode printer: writes each job's renderings (PDF, PNG, ESC/POS bytes) into a folder.

Spec (`[devices] printer`): `pdf:DIR`; an empty DIR (`pdf:`) is the kiosk's default folder.

The files are the paper a printer would hand the citizen (name, ID number, address), so they are
readable by the kiosk's user alone: 0600 files in a 0700 folder (an existing folder is tightened).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from devices.printer.base import ESCPOS, PDF, PNG, PrinterSetup, PrintJob, PrintResult
from devices.printer.errors import PrinterOffline
from devices.probe import ProbeResult, ProbeState

FORMS = ("pdf:DIR (empty DIR: the data folder)",)

SUFFIXES = {PDF: ".pdf", PNG: ".png", ESCPOS: ".escpos"}
_PRINTED_FILE = re.compile(r"\d{8}-\d{12}-[0-9A-Za-z._-]+\.(pdf|png|escpos)")
FOLDER_MODE, FILE_MODE = 0o700, 0o600


def private_folder(folder: Path) -> None:
    """Create `folder` (0700) or tighten it to 0700 when it exists."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != FOLDER_MODE:
        folder.chmod(FOLDER_MODE)


def _write_private(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(partial, FILE_MODE)  # a leftover .part from before may have had a wider mode
    os.replace(partial, path)


class FolderPrinter:
    """Writes `<time>-<name>.pdf|.png|.escpos` into `folder` (created when missing)."""

    formats = frozenset(SUFFIXES)

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def print_job(self, job: PrintJob) -> PrintResult:
        renderings = {PDF: job.pdf, PNG: job.png, ESCPOS: job.escpos}
        stem = f"{datetime.now():%Y%m%d-%H%M%S%f}-{job.kind}-{job.file_stem}"
        written: list[Path] = []
        try:
            private_folder(self.folder)
            for kind, data in renderings.items():
                if data is None:
                    continue
                path = self.folder / (stem + SUFFIXES[kind])
                _write_private(path, data)
                written.append(path)
        except OSError as exc:
            raise PrinterOffline(f"cannot write to {self.folder}: {exc.strerror}") from None
        if not written:
            raise PrinterOffline(f"job {job.name!r} has nothing to print")
        main = next((p for p in written if p.suffix == ".pdf"), written[0])
        return PrintResult(where=str(main))


def expired_prints(folder: Path, older_than: timedelta, now: datetime | None = None) -> list[Path]:
    """Files a `FolderPrinter` wrote into `folder` more than `older_than` ago (by modification
    time); other files in the folder are never listed."""
    if not folder.is_dir():
        return []
    limit = (now or datetime.now().astimezone()).timestamp() - older_than.total_seconds()
    return sorted(
        path
        for path in folder.iterdir()
        if _PRINTED_FILE.fullmatch(path.name) and path.is_file() and path.stat().st_mtime < limit
    )


def prints_of(folder: Path, names: Collection[str]) -> list[Path]:
    """Files a `FolderPrinter` wrote into `folder` for jobs named one of `names` (the job name,
    e.g. a dossier code, made safe as a file name the way the printer does)."""
    if not folder.is_dir() or not names:
        return []
    stems = {PrintJob(name).file_stem for name in names}
    found = []
    for path in folder.iterdir():
        if not (_PRINTED_FILE.fullmatch(path.name) and path.is_file()):
            continue
        # `<date>-<time>-<kind>-<stem>.<ext>`: kinds have no hyphen, so the stem is the rest
        rest = path.name.split("-", 3)[3]
        if rest.rpartition(".")[0] in stems:
            found.append(path)
    return sorted(found)


@dataclass(frozen=True)
class FolderSpec:
    """`pdf:DIR` or `pdf:`."""

    folder: Path | None = None  # None: the setup's default folder

    def where(self, setup: PrinterSetup) -> Path:
        return self.folder or setup.default_folder

    def open(self, setup: PrinterSetup) -> FolderPrinter:
        return FolderPrinter(self.where(setup))

    def probe(self, setup: PrinterSetup) -> ProbeResult:
        folder = self.where(setup)
        try:
            private_folder(folder)
            probe = folder / ".doctor-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return ProbeResult(ProbeState.ERROR, f"cannot write to {folder}: {exc.strerror}")
        return ProbeResult(ProbeState.PRESENT, f"prints to the folder {folder} (no paper)")


def parse(text: str) -> FolderSpec | None:
    kind, colon, folder = text.partition(":")
    if kind != "pdf" or not colon:
        return None
    return FolderSpec(Path(folder).expanduser() if folder else None)
