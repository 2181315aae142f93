"""Demo-mode folder printer and the print queue staff reprint from."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from devices.printer.base import PrintJob, PrintResult
from devices.printer.errors import PaperOut, PrinterError, PrinterOffline
from devices.printer.folder import FolderPrinter, expired_prints, prints_of
from devices.printer.queue import PENDING, PRINTED, JobForgotten, PrintQueue, UnknownJob

NAME = "Nguyễn Thị Hằng, Thôn Đông".encode()  # what a receipt shows, in every rendering
JOB = PrintJob(
    "000.00.12.H56-250815-0007",
    pdf=b"%PDF-1.4 " + NAME,
    png=b"\x89PNG " + NAME,
    escpos=b"\x1b@" + NAME,
)


class _Sealer:
    """AES-GCM with one key: what the queue needs from the kiosk's Sealer (AEAD with AAD)."""

    def __init__(self) -> None:
        self.key = AESGCM.generate_key(bit_length=256)

    def seal(self, data: bytes, aad: bytes) -> bytes:
        nonce = secrets.token_bytes(12)
        return nonce + AESGCM(self.key).encrypt(nonce, data, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        return AESGCM(self.key).decrypt(blob[:12], blob[12:], aad)


def _queue(tmp_path: Path) -> PrintQueue:
    return PrintQueue(tmp_path / "queue", _Sealer())


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
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    assert queue.job(job_id) == JOB
    assert [j.job_id for j in queue.pending()] == [job_id]


def test_paper_out_leaves_the_job_pending_with_the_reason(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    with pytest.raises(PaperOut):
        queue.send(job_id, _Flaky(PaperOut()))
    info = queue.info(job_id)
    assert (info.state, info.reason, info.attempts) == (PENDING, "printer_paper_out", 1)


def test_reprint_after_paper_is_loaded_marks_the_job_printed(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
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
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    printer = _Flaky(None)
    queue.send(job_id, printer)
    queue.send(job_id, printer)
    assert printer.printed == [JOB, JOB]
    assert [j.state for j in queue.jobs()] == [PRINTED]


def test_purge_removes_old_printed_jobs_but_never_pending_ones(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    printed = queue.add(JOB)
    pending = queue.add(JOB)
    queue.send(printed, _Flaky(None))
    later = datetime.now(UTC) + timedelta(days=31)
    assert queue.purge(timedelta(days=30), now=later) == 1
    assert [j.job_id for j in queue.jobs()] == [pending]


def test_purge_removes_pending_jobs_only_past_their_own_limit(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    queue.add(JOB)
    later = datetime.now(UTC) + timedelta(days=31)
    assert queue.purge(timedelta(days=7), later, pending_older_than=timedelta(days=90)) == 0
    assert queue.purge(timedelta(days=7), later, pending_older_than=timedelta(days=30)) == 1
    assert queue.jobs() == []


def test_no_rendering_is_kept_in_plain_text(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    files = [p for p in (tmp_path / "queue").rglob("*") if p.is_file()]
    assert sorted(p.name for p in files) == [
        "job.escpos.sealed", "job.json", "job.pdf.sealed", "job.png.sealed",
    ]  # fmt: skip
    for path in files:
        raw = path.read_bytes()
        assert NAME not in raw and b"%PDF" not in raw and b"PNG" not in raw, path.name
    assert JOB.name in (tmp_path / "queue" / job_id / "job.json").read_text()  # staff see it


def test_kept_files_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    job_id = _queue(tmp_path).add(JOB)
    folder = tmp_path / "queue" / job_id
    assert os.stat(folder).st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())


def test_a_sealed_rendering_moved_into_another_job_does_not_open(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    first, second = queue.add(JOB), queue.add(JOB)
    root = tmp_path / "queue"
    (root / second / "job.pdf.sealed").write_bytes((root / first / "job.pdf.sealed").read_bytes())
    assert queue.job(first) == JOB
    with pytest.raises(InvalidTag):
        queue.job(second)


def test_plain_renderings_of_an_older_queue_are_sealed_and_still_print(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    folder = tmp_path / "queue" / job_id
    for kind in ("pdf", "png", "escpos"):  # as a queue from before sealing left them
        (folder / f"job.{kind}.sealed").unlink()
        (folder / f"job.{kind}").write_bytes(getattr(JOB, kind))
    assert queue.seal_plain_files() == 3
    assert sorted(p.name for p in folder.iterdir()) == [
        "job.escpos.sealed", "job.json", "job.pdf.sealed", "job.png.sealed",
    ]  # fmt: skip
    printer = _Flaky(None)
    queue.send(job_id, printer)
    assert printer.printed == [JOB]


def test_times_of_jobs_queued_before_utc_times_read_as_local_time(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    meta = tmp_path / "queue" / job_id / "job.json"
    meta.write_text(meta.read_text().replace(
        queue.info(job_id).created_at.isoformat(), "2025-08-15T09:30:00"
    ))  # fmt: skip
    assert queue.info(job_id).created_at == datetime(2025, 8, 15, 9, 30).astimezone()


def test_expired_prints_lists_only_old_files_the_folder_printer_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    FolderPrinter(folder).print_job(JOB)
    (folder / "notes.txt").write_text("staff notes")
    written = sorted(p for p in folder.iterdir() if p.suffix != ".txt")
    later = datetime.now(UTC) + timedelta(days=8)
    assert expired_prints(folder, timedelta(days=7), later) == written
    assert expired_prints(folder, timedelta(days=9), later) == []
    assert expired_prints(tmp_path / "missing", timedelta(days=1)) == []


@pytest.mark.parametrize("job_id", ["../x", "nonexistent", ""])
def test_unknown_or_malformed_job_ids_are_refused(tmp_path: Path, job_id: str) -> None:
    with pytest.raises(UnknownJob):
        _queue(tmp_path).info(job_id)


# --- prints are paper, not storage -------------------------------------------------------------


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_folder_printer_writes_owner_only_files_in_an_owner_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    FolderPrinter(folder).print_job(JOB)
    assert _mode(folder) == 0o700
    assert sorted(_mode(p) for p in folder.iterdir()) == [0o600, 0o600, 0o600]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_folder_printer_tightens_an_existing_world_readable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    FolderPrinter(folder).print_job(JOB)
    assert _mode(folder) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_folder_printer_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        FolderPrinter(tmp_path / "prints").print_job(JOB)
    finally:
        os.umask(old)
    assert {_mode(p) for p in (tmp_path / "prints").iterdir()} == {0o600}


def test_prints_of_finds_every_file_of_the_named_jobs_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    printer = FolderPrinter(folder)
    printer.print_job(JOB)
    printer.print_job(PrintJob("000.00.12.H56-250815-0008", pdf=b"%PDF other"))
    (folder / "notes.pdf").write_bytes(b"staff notes")
    found = prints_of(folder, {JOB.name})
    assert sorted(p.suffix for p in found) == [".escpos", ".pdf", ".png"]
    assert all(JOB.file_stem in p.name for p in found)


def test_a_job_is_found_by_its_citizen_tag_or_by_its_name(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    tagged = queue.add(JOB, citizen="tag-of-an")
    untagged = queue.add(PrintJob("000.00.12.H56-250815-0009", pdf=b"%PDF"))
    queue.add(PrintJob("000.00.12.H56-250815-0010", pdf=b"%PDF"), citizen="tag-of-binh")
    assert queue.jobs_of("tag-of-an", {"000.00.12.H56-250815-0009"}) == [tagged, untagged]


def test_the_citizen_tag_is_kept_beside_the_job_not_its_id_number(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB, citizen="f" * 64)
    assert '"citizen": "' + "f" * 64 in (queue.root / job_id / "job.json").read_text()


def test_a_forgotten_job_keeps_no_rendering_and_is_not_listed(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB, citizen="tag-of-an")
    assert queue.forget([job_id]) == 1
    assert [p.name for p in (queue.root / job_id).iterdir()] == ["job.json"]
    assert "tag-of-an" not in (queue.root / job_id / "job.json").read_text()
    assert queue.jobs() == [] and queue.jobs_of("tag-of-an") == []


def test_a_forgotten_job_refuses_a_reprint_with_a_typed_error(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    job_id = queue.add(JOB)
    queue.forget([job_id])
    printer = _Flaky(None)
    with pytest.raises(JobForgotten) as raised:
        queue.send(job_id, printer)
    assert raised.value.code == "print_job_forgotten" and printer.printed == []


def test_the_purge_removes_forgotten_tombstones_after_the_print_period(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    queue.forget([queue.add(JOB)])
    assert queue.purge(timedelta(days=7), datetime.now(UTC) + timedelta(days=8)) == 1
    assert list(queue.root.iterdir()) == []
