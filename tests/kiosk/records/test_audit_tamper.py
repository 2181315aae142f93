"""Audit tampering is always detected : 100 random edits, deletions, reorderings,
tail truncations and whole-chain rewrites, each on a fresh copy of the same log — for a keyed
chain (HMAC with the audit key) and for an unkeyed one (a log from before the key)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.sealer import Sealer
from kiosk.records.audit import GENESIS, AuditLog, entry_hash
from kiosk.records.audit_anchor import AnchorInvalid, AuditAnchor
from kiosk.store import Store, open_store

ENTRIES = 30
TRIALS = 100


Pristine = tuple[Path, Sealer, bool]


def _log(store: Store, folder: Path, sealer: Sealer, keyed: bool) -> AuditLog:
    anchor = AuditAnchor(folder / "audit.anchor", sealer.anchor_signing_key(), sealer.anchor_mac)
    return AuditLog(store, anchor, sealer.audit_mac if keyed else None)


@pytest.fixture(scope="module", params=[True, False], ids=["keyed", "unkeyed"])
def pristine(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Pristine:
    folder = tmp_path_factory.mktemp("audit")
    sealer = Sealer(open_keyring("file", folder / "m.key", folder / "keyring.json"))
    store = open_store(f"sqlite:///{folder / 'kiosk.db'}")
    log = _log(store, folder, sealer, request.param)
    for n in range(ENTRIES):
        log.append("citizen", "card_read", {"step": n, "citizen": "001******345"}, f"s{n % 4}")
    store.close()  # checkpoints the WAL into kiosk.db
    return folder, sealer, request.param


def _copy(pristine: Pristine, target: Path) -> tuple[AuditLog, sqlite3.Connection]:
    folder, sealer, keyed = pristine
    target.mkdir()
    for name in ("kiosk.db", "audit.anchor"):
        shutil.copy(folder / name, target / name)
    store = open_store(f"sqlite:///{target / 'kiosk.db'}", migrate=False)
    return _log(store, target, sealer, keyed), sqlite3.connect(target / "kiosk.db")


def _tamper(rng: random.Random, db: sqlite3.Connection, keyed: bool) -> tuple[str, int]:
    """Apply one random tampering; return its kind and the id verify must name (a keyed chain
    names a re-hashed entry itself: its plain SHA-256 is not the audit key's HMAC)."""
    kind = rng.choice(["edit", "edit_rehash", "delete", "reorder", "truncate", "rewrite"])
    ids = [row[0] for row in db.execute("SELECT id FROM audit_events ORDER BY id")]
    last = ids[-1]
    if kind == "edit":
        victim = rng.choice(ids)
        column = rng.choice(["actor", "action", "detail", "session_id"])
        db.execute(f"UPDATE audit_events SET {column} = {column} || 'x' WHERE id = ?", (victim,))
        return kind, victim
    if kind == "edit_rehash":  # recompute the edited entry's own hash: its successor breaks
        victim = rng.choice(ids)
        row = db.execute(
            "SELECT prev_hash, at, session_id, actor, action FROM audit_events WHERE id = ?",
            (victim,),
        ).fetchone()
        detail = json.dumps({"step": -1})
        at = datetime.fromisoformat(row[1])
        new_hash = entry_hash(row[0], at, row[2], row[3], row[4], detail)
        db.execute(
            "UPDATE audit_events SET detail = ?, hash = ? WHERE id = ?", (detail, new_hash, victim)
        )
        return kind, victim if keyed else victim + 1
    if kind == "delete":
        victim = rng.choice(ids)
        db.execute("DELETE FROM audit_events WHERE id = ?", (victim,))
        return kind, victim + 1 if victim != last else last
    if kind == "reorder":
        first, second = sorted(rng.sample(ids, 2))
        db.execute("UPDATE audit_events SET id = -1 WHERE id = ?", (first,))
        db.execute("UPDATE audit_events SET id = ? WHERE id = ?", (first, second))
        db.execute("UPDATE audit_events SET id = ? WHERE id = -1", (second,))
        return kind, first
    if kind == "truncate":
        keep = rng.randrange(0, len(ids) - 1)
        db.execute("DELETE FROM audit_events WHERE id > ?", (ids[keep],))
        return kind, ids[keep] + 1
    # rewrite: edit one entry and recompute the whole chain consistently from there
    victim = rng.choice(ids)
    rows = db.execute(
        "SELECT id, at, session_id, actor, action, detail FROM audit_events ORDER BY id"
    ).fetchall()
    prev = GENESIS
    for entry_id, at, session_id, actor, action, detail in rows:
        if entry_id == victim:
            detail = json.dumps({"step": "rewritten"})
        digest = entry_hash(prev, datetime.fromisoformat(at), session_id, actor, action, detail)
        db.execute(
            "UPDATE audit_events SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (detail, prev, digest, entry_id),
        )
        prev = digest
    return kind, ids[0] if keyed else last


def test_intact_log_verifies(pristine: Pristine, tmp_path: Path) -> None:
    log, _ = _copy(pristine, tmp_path / "copy")
    verdict = log.verify()
    assert verdict.ok and verdict.entries == ENTRIES


def test_hundred_random_tamperings_are_all_detected_at_the_right_entry(
    pristine: Pristine, tmp_path: Path
) -> None:
    rng = random.Random(8)
    kinds: dict[str, int] = {}
    for trial in range(TRIALS):
        log, db = _copy(pristine, tmp_path / f"t{trial}")
        kind, expected = _tamper(rng, db, pristine[2])
        db.commit()
        db.close()
        verdict = log.verify()
        log.store.close()
        assert not verdict.ok, f"trial {trial}: {kind} not detected"
        assert verdict.first_broken_id == expected, f"trial {trial}: {kind}: {verdict}"
        kinds[kind] = kinds.get(kind, 0) + 1
    assert len(kinds) == 6  # every kind of tampering was tried


def test_appending_after_a_truncation_does_not_hide_it(pristine: Pristine, tmp_path: Path) -> None:
    log, db = _copy(pristine, tmp_path / "copy")
    db.execute("DELETE FROM audit_events WHERE id > 20")
    db.commit()
    for n in range(15):
        log.append("system", "after", {"n": n})
    assert not log.verify().ok


def test_deleted_anchor_is_reported(pristine: Pristine, tmp_path: Path) -> None:
    log, _ = _copy(pristine, tmp_path / "copy")
    (tmp_path / "copy" / "audit.anchor").unlink()
    verdict = log.verify()
    assert not verdict.ok and "anchor" in verdict.reason


def test_edited_anchor_is_refused(pristine: Pristine, tmp_path: Path) -> None:
    log, _ = _copy(pristine, tmp_path / "copy")
    path = tmp_path / "copy" / "audit.anchor"
    document = json.loads(path.read_text())
    document["body"]["id"] = 12
    path.write_text(json.dumps(document))
    with pytest.raises(AnchorInvalid):
        log.verify()
