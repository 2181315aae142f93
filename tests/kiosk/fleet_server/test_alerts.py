"""The dashboard's alerts: offline > 5 min, paper out, backlog, audit anchor mismatch
(docs/fleet.md §7)."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.fleet_server.status import fleet_status
from kiosk.records.audit_anchor import AuditAnchor
from tests.kiosk.fleet_server.conftest import event, heartbeat

KIOSK_KEY = Ed25519PrivateKey.from_private_bytes(b"k" * 32)


def _alerts(fleet):
    return [(a["kind"], a["kiosk_id"]) for a in fleet_status(fleet.db, fleet.clock())["alerts"]]


def _anchor(tmp_path, entry_id, entry_hash, key=KIOSK_KEY):
    anchor = AuditAnchor(tmp_path / f"anchor-{entry_id}-{entry_hash[:4]}", key)
    anchor.record(entry_id, entry_hash)
    return event("anchor", {"anchor": json.loads(anchor.export() or b"")})


def test_a_kiosk_silent_for_more_than_five_minutes_is_offline(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat()])
    fleet.clock.advance(minutes=5)
    assert _alerts(fleet) == []
    fleet.clock.advance(seconds=1)
    assert _alerts(fleet) == [("offline", "K1")]
    assert fleet_status(fleet.db, fleet.clock())["kiosks"][0]["online"] is False


def test_a_kiosk_that_syncs_again_is_online_again(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat()])
    fleet.clock.advance(minutes=20)
    fleet.sync(token, [])
    assert _alerts(fleet) == []


def test_a_revoked_kiosk_raises_no_offline_alert(fleet):
    from kiosk.fleet_server.admin import revoke

    fleet.enroll()
    revoke(fleet.db, "K1", fleet.clock())
    assert _alerts(fleet) == []


def test_paper_out_is_an_alert(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(paper="out")])
    assert _alerts(fleet) == [("paper_out", "K1")]


def test_a_backlog_past_50_is_an_alert_when_the_kiosk_names_no_soft_limit(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(unsent=50)])
    assert _alerts(fleet) == []
    fleet.sync(token, [heartbeat(unsent=51)])
    assert _alerts(fleet) == [("backlog", "K1")]


def test_the_backlog_alert_follows_the_kiosks_own_soft_limit(fleet):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(unsent=11, soft_limit=10)])
    assert _alerts(fleet) == [("backlog", "K1")]


def test_an_anchor_that_extends_the_last_one_raises_nothing(fleet, tmp_path):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(), _anchor(tmp_path, 10, "a" * 64)])
    fleet.sync(token, [_anchor(tmp_path, 12, "b" * 64), _anchor(tmp_path, 12, "b" * 64)])
    assert _alerts(fleet) == []


def test_an_anchor_with_fewer_entries_than_the_last_is_a_mismatch(fleet, tmp_path):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(), _anchor(tmp_path, 10, "a" * 64)])
    fleet.sync(token, [_anchor(tmp_path, 7, "c" * 64)])
    assert _alerts(fleet) == [("anchor_mismatch", "K1")]


def test_an_anchor_with_the_same_count_and_another_hash_is_a_mismatch(fleet, tmp_path):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(), _anchor(tmp_path, 10, "a" * 64)])
    fleet.sync(token, [_anchor(tmp_path, 10, "d" * 64)])
    assert _alerts(fleet) == [("anchor_mismatch", "K1")]


def test_an_anchor_signed_by_another_key_is_a_mismatch(fleet, tmp_path):
    token = fleet.enroll()
    fleet.sync(token, [heartbeat(), _anchor(tmp_path, 10, "a" * 64)])
    other = Ed25519PrivateKey.from_private_bytes(b"o" * 32)
    fleet.sync(token, [_anchor(tmp_path, 11, "e" * 64, key=other)])
    assert _alerts(fleet) == [("anchor_mismatch", "K1")]


def test_an_anchor_whose_signature_does_not_verify_is_a_mismatch(fleet, tmp_path):
    token = fleet.enroll()
    forged = _anchor(tmp_path, 10, "a" * 64)
    forged["body"]["anchor"]["body"]["id"] = 99
    fleet.sync(token, [heartbeat(), forged])
    assert _alerts(fleet) == [("anchor_mismatch", "K1")]


def test_every_anchor_is_kept(fleet, tmp_path):
    from sqlalchemy import func, select

    from kiosk.fleet_server.models import AnchorRecord

    token = fleet.enroll()
    fleet.sync(token, [_anchor(tmp_path, 1, "a" * 64), _anchor(tmp_path, 2, "b" * 64)])
    with fleet.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AnchorRecord)) == 2


def test_each_anchor_mismatch_says_why_with_a_reason_code(fleet, tmp_path):
    token = fleet.enroll()
    fleet.sync(token, [_anchor(tmp_path, 10, "a" * 64)])
    fleet.sync(token, [_anchor(tmp_path, 10, "d" * 64)])
    fleet.sync(token, [_anchor(tmp_path, 3, "d" * 64)])
    reasons = [a["reason"] for a in fleet_status(fleet.db, fleet.clock())["alerts"]]
    assert reasons == ["rewritten", "removed"]
