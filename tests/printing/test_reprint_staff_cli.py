"""`kiosk receipt --reprint JOB --staff NAME`: a reprint needs a staff member with the reprint
permission, confirmed by their PIN on standard input, checked in the core and audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_receipt_cli import OFFICER_PIN, _kiosk, _queued, _reprint

pytestmark = pytest.mark.timeout(300)


def audit_actions(data_dir: Path) -> list[tuple[str, str, dict]]:
    from sqlalchemy import select

    from kiosk.store import open_store
    from kiosk.store.models import AuditEvent

    store = open_store(f"sqlite:///{data_dir / 'kiosk.db'}")
    with store.session() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        found = [(r.actor, r.action, json.loads(r.detail)) for r in rows]
    store.close()
    return found


def test_a_reprint_without_a_staff_member_is_refused_in_one_line(tmp_path: Path) -> None:
    job_id = _queued(tmp_path)
    done = _kiosk("--reprint", job_id, data_dir=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "kiosk: --reprint needs --staff NAME (the staff member's PIN on standard input)"
    ]
    assert not (tmp_path / "prints").exists()


def test_a_reprint_with_a_wrong_pin_prints_nothing_and_the_refusal_is_audited(
    tmp_path: Path,
) -> None:
    job_id = _queued(tmp_path)
    _reprint(job_id, tmp_path)  # adds lan, prints once
    printed = sorted((tmp_path / "prints").iterdir())
    done = _kiosk("--reprint", job_id, "--staff", "lan", data_dir=tmp_path, stdin="999999\n")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "kiosk: not confirmed: wrong PIN or no staff account 'lan'; nothing was printed"
    ]
    assert sorted((tmp_path / "prints").iterdir()) == printed
    assert audit_actions(tmp_path)[-1][1:] == (
        "staff_login_refused",
        {"username": "lan", "result": "WrongPin"},
    )


def test_a_reprint_names_the_staff_member_in_the_audit_log(tmp_path: Path) -> None:
    job_id = _queued(tmp_path)
    assert _reprint(job_id, tmp_path).returncode == 0
    assert ("staff:lan", "receipt_reprint", {"username": "lan", "job": job_id}) in audit_actions(
        tmp_path
    )


def test_the_officer_pin_is_not_an_argument(tmp_path: Path) -> None:
    done = _kiosk("--reprint", "x", "--staff", "lan", OFFICER_PIN, data_dir=tmp_path)
    assert done.returncode == 2  # argparse refuses a stray PIN argument
