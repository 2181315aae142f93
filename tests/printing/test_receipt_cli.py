"""`kiosk receipt --sample [--kind] [--format pdf|escpos|png] --out FILE` and the queue commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

OFFICER_PIN = "482915"


def _kiosk(
    *args: str, data_dir: Path | None = None, stdin: str = "", command: str = "receipt"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"KIOSK_DATA_DIR": str(data_dir)} if data_dir else {})}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", command, *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def _reprint(job_id: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`kiosk receipt --reprint JOB --staff lan`, officer lan's PIN on standard input."""
    added = _kiosk("add", "lan", "--pin-stdin", data_dir=data_dir, stdin=OFFICER_PIN + "\n",
                   command="staff")  # fmt: skip
    assert added.returncode == 0, added.stderr
    return _kiosk("--reprint", job_id, "--staff", "lan", data_dir=data_dir, stdin=OFFICER_PIN)


def test_sample_pdf_is_the_two_copy_receipt(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    done = _kiosk("--sample", "--format", "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes().count(b"/Type /Page\n") == 2


def test_sample_png_is_the_80mm_slip(tmp_path: Path) -> None:
    out = tmp_path / "r.png"
    assert _kiosk("--sample", "--format", "png", "--out", str(out)).returncode == 0
    with Image.open(out) as image:
        assert image.width == 576


def test_sample_escpos_is_a_printer_job(tmp_path: Path) -> None:
    out = tmp_path / "r.bin"
    assert (
        _kiosk("--sample", "--kind", "ticket", "--format", "escpos", "--out", str(out)).returncode
        == 0
    )
    assert out.read_bytes().startswith(b"\x1b@\x1dv0")


@pytest.mark.parametrize(
    "args",
    [(), ("--sample",), ("--sample", "--kind", "ticket", "--format", "pdf", "--out", "x"),
     ("--sample", "--format", "docx", "--out", "x"), ("--sample", "--out", "/nonexistent/dir/x"),
     ("--reprint", "nonexistent")],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], tmp_path: Path) -> None:
    done = _kiosk(*args, data_dir=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_list_of_an_empty_queue_is_an_empty_json_list(tmp_path: Path) -> None:
    done = _kiosk("--list", "--json", data_dir=tmp_path)
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


def _queued(data_dir: Path) -> str:
    """A job kept (sealed) in the print queue of a kiosk whose data folder is `data_dir`."""
    from dataclasses import replace

    from devices.printer.base import PrintJob
    from kiosk.config import KioskConfig
    from kiosk.runtime import open_print_queue

    base = KioskConfig()
    config = replace(base, storage=replace(base.storage, data_dir=str(data_dir)))
    return open_print_queue(config).add(PrintJob("000.00.12.H56-261129-0001", pdf=b"%PDF-1.4 x"))


def test_a_sealed_kept_job_is_listed_and_reprinted_from_the_command_line(tmp_path: Path) -> None:
    job_id = _queued(tmp_path)
    listed = _kiosk("--list", "--json", data_dir=tmp_path)
    assert [(j["job_id"], j["state"]) for j in json.loads(listed.stdout)] == [(job_id, "pending")]
    done = _reprint(job_id, tmp_path)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).read_bytes() == b"%PDF-1.4 x"
    assert Path(done.stdout.strip()).parent == tmp_path / "prints"


def test_reprint_of_a_tampered_job_exits_2_with_one_line(tmp_path: Path) -> None:
    job_id = _queued(tmp_path)
    sealed = tmp_path / "print_queue" / job_id / "job.pdf.sealed"
    blob = sealed.read_bytes()
    sealed.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    done = _reprint(job_id, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"kiosk: print job {job_id!r} cannot be opened: sealed value was changed or belongs "
        "elsewhere"
    ]


def test_listing_the_queue_opens_no_keys(tmp_path: Path) -> None:
    done = _kiosk("--list", "--json", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "keys").exists()
