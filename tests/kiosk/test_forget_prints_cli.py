"""`kiosk retention forget` erases the citizen's receipts, and `kiosk receipt --reprint` then
refuses them (prints are paper, not storage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

ID_NUMBER = "001095012345"
CODE = "000.00.12.H56-261129-0001"
SUPERVISOR_PIN = "739164"


def _kiosk(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def _printed_receipt(data_dir: Path) -> str:
    """A receipt for ID_NUMBER, kept in the queue (tagged with the keyed ID hash) and printed by
    the `pdf:` printer into the data folder's prints."""
    from devices.printer.base import PrintJob
    from devices.printer.folder import FolderPrinter
    from kiosk.config import KioskConfig
    from kiosk.runtime import open_kiosk_sealer, open_print_queue

    base = KioskConfig()
    config = replace(base, storage=replace(base.storage, data_dir=str(data_dir)))
    sealer = open_kiosk_sealer(config)
    queue = open_print_queue(config, sealer)
    job = PrintJob(CODE, pdf=b"%PDF-1.4 Nguyen Van An", png=b"PNG slip")
    job_id = queue.add(job, citizen=sealer.lookup_hash(ID_NUMBER))
    queue.send(job_id, FolderPrinter(config.print_dir))
    return job_id


def _forget(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Forget ID_NUMBER, confirmed by supervisor binh's PIN (the contract: ID, then PIN)."""
    added = _kiosk(
        "staff", "add", "binh", "--role", "supervisor", "--pin-stdin",
        data_dir=data_dir, stdin=SUPERVISOR_PIN + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return _kiosk(
        "retention", "forget", "--staff", "binh", "--reason", "citizen asked", "--id-stdin", *extra,
        data_dir=data_dir, stdin=f"{ID_NUMBER}\n{SUPERVISOR_PIN}\n",
    )  # fmt: skip


def test_forget_json_says_how_many_print_jobs_and_printed_files_it_erased(tmp_path: Path) -> None:
    _printed_receipt(tmp_path)
    done = _forget(tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["print_jobs"], report["prints"]) == (1, 2)
    assert list((tmp_path / "prints").iterdir()) == []


def test_forget_says_how_many_print_jobs_and_printed_files_it_erased(tmp_path: Path) -> None:
    _printed_receipt(tmp_path)
    done = _forget(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 print job(s) and 2 printed file(s)" in done.stdout


def test_a_forgotten_citizens_receipt_is_neither_listed_nor_reprinted(tmp_path: Path) -> None:
    job_id = _printed_receipt(tmp_path)
    assert _forget(tmp_path).returncode == 0
    listed = _kiosk("receipt", "--list", "--json", data_dir=tmp_path)
    assert json.loads(listed.stdout) == []
    done = _kiosk("receipt", "--reprint", job_id, "--staff", "binh", data_dir=tmp_path,
                  stdin=SUPERVISOR_PIN + "\n")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"kiosk: print job {job_id!r} is not printed: its citizen was forgotten "
        "(kiosk retention forget) and the receipt erased"
    ]
    assert list((tmp_path / "prints").iterdir()) == []
