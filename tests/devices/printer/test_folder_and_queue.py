"""Demo-mode folder printer and the print queue staff reprint from."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from devices.printer.base import PrintJob, PrintResult
from devices.printer.errors import PaperOut, PrinterError, PrinterOffline
from devices.printer.folder import FolderPrinter
from devices.printer.queue import PENDING, PRINTED, PrintQueue, UnknownJob

JOB = PrintJob("000.00.12.H56-250815-0007", pdf=b"%PDF-1.4 a", png=b"\x89PNG b", escpos=b"\x1b@c")


class _Flaky:
    """A printer that fails with `error` until told otherwise."""

    formats = frozenset({"pdf", "png", "escpos"})

    def __init__(self, error: PrinterError | None) -> None:
        self.error = error
        self.printed: list[PrintJob] = []

    def print_job(self, job: PrintJob) -> PrintResult:
        if self.error is not None:
            raise self.error
        self.printed.append(job)
        return PrintResult("flaky")


def test_folder_printer_writes_every_rendering(tmp_path: Path) -> None:
    result = FolderPrinter(tmp_path / "prints").print_job(JOB)
    files = sorted((tmp_path / "prints").iterdir())
    assert [f.suffix for f in files] == [".escpos", ".pdf", ".png"]
    assert {f.read_bytes() for f in files} == {JOB.pdf, JOB.png, JOB.escpos}
    assert result.where.endswith("000.00.12.H56-250815-0007.pdf")


def test_folder_printer_on_an_unwritable_path_is_offline(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(PrinterOffline):
        FolderPrinter(blocker / "prints").print_job(JOB)


def test_job_names_become_safe_file_names() -> None:
    assert PrintJob("../../etc/passwd x").file_stem == "etc_passwd_x"


def test_queued_job_keeps_every_rendering_and_starts_pending(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path)
    job_id = queue.add(JOB)
    assert queue.job(job_id) == JOB
    assert [j.job_id for j in queue.pending()] == [job_id]


def test_paper_out_leaves_the_job_pending_with_the_reason(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path)
    job_id = queue.add(JOB)
    with pytest.raises(PaperOut):
        queue.send(job_id, _Flaky(PaperOut()))
    info = queue.info(job_id)
    assert (info.state, info.reason, info.attempts) == (PENDING, "printer_paper_out", 1)


def test_reprint_after_paper_is_loaded_marks_the_job_printed(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path)
    job_id = queue.add(JOB)
    printer = _Flaky(PaperOut())
    with pytest.raises(PaperOut):
        queue.send(job_id, printer)
    printer.error = None
    queue.send(job_id, printer)
    assert printer.printed == [JOB]
    info = queue.info(job_id)
    assert (info.state, info.reason, info.attempts) == (PRINTED, "", 2)
    assert queue.pending() == []


def test_printed_jobs_stay_for_a_staff_reprint(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path)
    job_id = queue.add(JOB)
    printer = _Flaky(None)
    queue.send(job_id, printer)
    queue.send(job_id, printer)
    assert printer.printed == [JOB, JOB]
    assert [j.state for j in queue.jobs()] == [PRINTED]


def test_purge_removes_old_printed_jobs_but_never_pending_ones(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path)
    printed = queue.add(JOB)
    pending = queue.add(JOB)
    queue.send(printed, _Flaky(None))
    later = datetime.now() + timedelta(days=31)
    assert queue.purge(timedelta(days=30), now=later) == 1
    assert [j.job_id for j in queue.jobs()] == [pending]


@pytest.mark.parametrize("job_id", ["../x", "nonexistent", ""])
def test_unknown_or_malformed_job_ids_are_refused(tmp_path: Path, job_id: str) -> None:
    with pytest.raises(UnknownJob):
        PrintQueue(tmp_path).info(job_id)
