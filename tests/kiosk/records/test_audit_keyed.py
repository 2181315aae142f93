"""The keyed audit chain: an entry appended without the kiosk's keyring does not verify, logs from
before the key stay verifiable, and the anchor is signed (not MAC'd with a keyring secret) so a
copy kept off the machine can be checked — and catches a rewrite made with the local keys."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.crypto import open_sealer
from kiosk.crypto.keyring import open_keyring, write_atomically
from kiosk.crypto.sealer import Sealer
from kiosk.records.audit import KEYED_MARKER, AuditLog, entry_hash
from kiosk.records.audit_anchor import (
    AnchorInvalid,
    anchor_path,
    export_anchor,
    open_anchor,
    open_audit_log,
    read_exported_anchor,
)
from kiosk.store import Store, open_store


@pytest.fixture
def sealer(tmp_path: Path) -> Sealer:
    return Sealer(open_keyring("file", tmp_path / "keys" / "m.key", tmp_path / "keys" / "r.json"))


@pytest.fixture
def store(store_url: str):
    store = open_store(store_url)
    yield store
    store.close()


def _fill(log: AuditLog, count: int) -> None:
    for n in range(count):
        log.append("citizen", "step", {"n": n, "citizen": "001******345"}, "s1")


def sql(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Raw SQL straight to the store's database (SQLite or PostgreSQL), as someone holding the
    database but not the keyring would write it."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def moment(value: Any) -> datetime:
    """A stored time as read by raw SQL: text on SQLite, a datetime on PostgreSQL."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def append_forged_row(url: str, action: str = "staff_login") -> int:
    """What an attacker with the database but not the keyring does: a row with a recomputed
    SHA-256 that links to the newest entry. Returns its id."""
    [(prev_hash,)] = sql(url, "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")
    at = datetime.fromisoformat("2026-01-05T08:00:00+00:00")
    detail = json.dumps({"user": "mallory"})
    digest = entry_hash(prev_hash, at, "", "staff:mallory", action, detail)
    [(forged,)] = sql(
        url,
        "INSERT INTO audit_events (at, session_id, actor, action, detail, prev_hash, hash) "
        "VALUES (:at, '', 'staff:mallory', :action, :detail, :prev, :hash) RETURNING id",
        at=at.isoformat(), action=action, detail=detail, prev=prev_hash, hash=digest,
    )  # fmt: skip
    return int(forged)


def test_a_forged_row_appended_with_a_recomputed_hash_is_named(tmp_path, sealer, store, store_url):
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 5)
    forged = append_forged_row(store_url)
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == forged
    assert "audit key" in verdict.reason


def test_the_next_genuine_entry_does_not_cover_a_forged_row(tmp_path, sealer, store, store_url):
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 5)
    forged = append_forged_row(store_url)
    _fill(log, 3)
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == forged
    anchored = open_anchor(tmp_path, sealer).read()
    assert anchored is not None and anchored.entry_id == 5  # the anchor did not move over it


def test_entries_of_a_keyed_log_are_not_plain_sha256(tmp_path, sealer, store, store_url):
    log = open_audit_log(tmp_path, store, sealer)
    digest = log.append("system", "start", {})
    [(prev, at)] = sql(store_url, "SELECT prev_hash, at FROM audit_events")
    assert digest != entry_hash(prev, moment(at), "", "system", "start", "{}")


def _legacy_log(tmp_path: Path, store: Store, sealer: Sealer, entries: int) -> None:
    """A log and anchor as a kiosk wrote them before the audit key: plain SHA-256 entries, an
    anchor MAC'd with the keyring's old anchor key."""
    _fill(AuditLog(store), entries)
    [(last_id, last_hash)] = sql(
        str(store.engine.url.render_as_string(hide_password=False)),
        "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1",
    )
    body = {"id": last_id, "hash": last_hash}
    mac = sealer.anchor_mac(json.dumps(body, sort_keys=True).encode("utf-8"))
    write_atomically(anchor_path(tmp_path), json.dumps({**body, "mac": mac}).encode("utf-8"))


def test_a_log_from_before_the_key_still_verifies_and_switches_at_a_marker(
    tmp_path, sealer, store, store_url
):
    _legacy_log(tmp_path, store, sealer, 4)
    log = open_audit_log(tmp_path, store, sealer)
    assert log.verify().ok
    _fill(log, 2)
    verdict = log.verify()
    assert verdict.ok and verdict.entries == 7
    assert sql(store_url, "SELECT action FROM audit_events WHERE id = 5") == [(KEYED_MARKER,)]
    anchored = open_anchor(tmp_path, sealer).read()
    assert anchored is not None and (anchored.entry_id, anchored.keyed_from) == (7, 5)


def test_after_the_switch_a_forged_row_is_named(tmp_path, sealer, store, store_url):
    _legacy_log(tmp_path, store, sealer, 4)
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 1)
    forged = append_forged_row(store_url)
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == forged


def test_an_unkeyed_row_slipped_in_after_keyed_ones_is_named_even_at_the_end(
    tmp_path, sealer, store, store_url
):
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 3)
    [(prev, at, detail)] = sql(
        store_url, "SELECT prev_hash, at, detail FROM audit_events WHERE id = 3"
    )
    rehashed = entry_hash(prev, moment(at), "s1", "citizen", "step", detail)
    sql(store_url, "UPDATE audit_events SET hash = :hash WHERE id = 3", hash=rehashed)
    verdict = log.verify()
    assert not verdict.ok and verdict.first_broken_id == 3


def test_the_exported_anchor_is_json_signed_with_the_anchor_key_not_the_data_key(
    tmp_path, sealer, store, store_url
):
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 3)
    exported = export_anchor(tmp_path, sealer)
    assert exported is not None
    document = json.loads(exported)
    public_key = document["body"]["kiosk_key"]
    assert public_key == open_anchor(tmp_path, sealer).public_key
    anchored = read_exported_anchor(exported, public_key, "copy")
    assert (anchored.entry_id, anchored.keyed_from) == (3, 1)
    assert sealer.keyring.anchor_signing_key not in sealer.keyring.data_keys.values()


def test_an_exported_anchor_that_was_edited_is_refused(tmp_path, sealer, store, store_url):
    _fill(open_audit_log(tmp_path, store, sealer), 3)
    exported = export_anchor(tmp_path, sealer)
    assert exported is not None
    document = json.loads(exported)
    document["body"]["id"] = 2
    with pytest.raises(AnchorInvalid):
        read_exported_anchor(
            json.dumps(document).encode(), document["body"]["kiosk_key"], "edited copy"
        )


def test_an_exported_anchor_catches_a_rewrite_made_with_the_local_keys(
    tmp_path, sealer, store, store_url
):
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 6)
    exported = export_anchor(tmp_path, sealer)
    assert exported is not None
    # Someone holding this kiosk's keys drops the end of the log and writes a new one.
    sql(store_url, "DELETE FROM audit_events WHERE id > 2")
    anchor_path(tmp_path).unlink()
    store.downgrade("base")  # a new, empty database in its place
    store.close()
    rewritten = open_store(store_url)
    again = open_audit_log(tmp_path, rewritten, sealer)
    _fill(again, 6)
    assert again.verify().ok  # locally nothing shows
    remembered = read_exported_anchor(exported, json.loads(exported)["body"]["kiosk_key"], "copy")
    verdict = again.verify(external=[remembered])
    rewritten.close()
    assert not verdict.ok and verdict.first_broken_id == 6


def test_an_exported_anchor_beyond_the_end_names_the_missing_entries(
    tmp_path, sealer, store, store_url
):
    log = open_audit_log(tmp_path, store, sealer)
    _fill(log, 4)
    exported = export_anchor(tmp_path, sealer)
    assert exported is not None
    remembered = read_exported_anchor(exported, json.loads(exported)["body"]["kiosk_key"], "copy")
    sql(store_url, "DELETE FROM audit_events WHERE id > 2")
    verdict = AuditLog(store, None, sealer.audit_mac).verify(external=[remembered])
    assert not verdict.ok and verdict.first_broken_id == 3


# --- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def kiosk_toml(tmp_path: Path, store_url: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\ndatabase_url = "{store_url}"\n',
        encoding="utf-8",
    )
    return path


def _kiosk_log(kiosk_toml: Path, entries: int) -> Path:
    config = load_config(kiosk_toml)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    try:
        _fill(
            open_audit_log(config.data_dir, store, open_sealer(config.security, config.data_dir)),
            entries,
        )
    finally:
        store.close()
    return config.data_dir


def test_audit_verify_names_the_first_forged_entry(kiosk_toml, capsys):
    _kiosk_log(kiosk_toml, 4)
    forged = append_forged_row(load_config(kiosk_toml).database_url)
    assert main(["--config", str(kiosk_toml), "audit", "verify"]) == 1
    assert f"broken at entry {forged}" in capsys.readouterr().out


def test_audit_anchor_prints_the_signed_anchor_and_verify_checks_a_kept_copy(
    tmp_path, kiosk_toml, capsys
):
    data_dir = _kiosk_log(kiosk_toml, 4)
    assert main(["--config", str(kiosk_toml), "audit", "anchor"]) == 0
    kept = tmp_path / "anchor-copy.json"
    kept.write_text(capsys.readouterr().out, encoding="utf-8")
    sql(load_config(kiosk_toml).database_url, "DELETE FROM audit_events WHERE id > 2")
    anchor_path(data_dir).unlink()
    argv = ["--config", str(kiosk_toml), "audit", "verify", "--anchor", str(kept)]
    assert main(argv) == 1
    assert "broken at entry 3" in capsys.readouterr().out
