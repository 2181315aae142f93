"""Pushing signed updates and kiosks fetching them (docs/fleet.md §4)."""

from __future__ import annotations

import base64
from pathlib import Path

from kiosk.crypto.signed_update import verify_update
from kiosk.fleet_server.updates import push_update, update_public_key
from tests.kiosk.fleet_server.conftest import bearer

CATALOGUE = Path(__file__).parents[3] / "kiosk" / "domain" / "data" / "procedures.json"


def test_a_pushed_catalogue_is_offered_to_a_kiosk_that_lacks_it(fleet):
    token = fleet.enroll()
    pushed = push_update(fleet.db, "catalogue", CATALOGUE.read_bytes(), fleet.clock())
    updates = fleet.sync(token, []).json()["updates"]
    assert updates == [
        {
            "kind": "catalogue",
            "sha256": pushed["sha256"],
            "url": f"/api/v1/updates/catalogue/{pushed['sha256']}",
        }
    ]


def test_a_kiosk_that_has_the_update_is_not_offered_it_again(fleet):
    token = fleet.enroll()
    pushed = push_update(fleet.db, "catalogue", CATALOGUE.read_bytes(), fleet.clock())
    answer = fleet.sync(token, [], have={"catalogue": pushed["sha256"], "trust": ""})
    assert answer.json()["updates"] == []


def test_the_fetched_update_verifies_with_the_key_update_key_prints(fleet):
    token = fleet.enroll()
    pushed = push_update(fleet.db, "catalogue", CATALOGUE.read_bytes(), fleet.clock())
    url = fleet.sync(token, []).json()["updates"][0]["url"]
    document = fleet.http.get(url, headers=bearer(token)).json()
    verified = verify_update(document, update_public_key(fleet.db)["public_key"], "catalogue")
    assert (verified.payload, verified.sha256) == (CATALOGUE.read_bytes(), pushed["sha256"])


def test_a_fetched_update_tampered_on_the_way_is_refused_by_the_kiosks_verifier(fleet):
    import pytest

    from kiosk.crypto.signed_update import UpdateRefused

    token = fleet.enroll()
    pushed = push_update(fleet.db, "catalogue", CATALOGUE.read_bytes(), fleet.clock())
    document = fleet.http.get(
        f"/api/v1/updates/catalogue/{pushed['sha256']}", headers=bearer(token)
    ).json()
    document["payload_b64"] = base64.b64encode(b'{"format": 1, "procedures": []}').decode()
    with pytest.raises(UpdateRefused):
        verify_update(document, update_public_key(fleet.db)["public_key"])


def test_the_newest_push_is_the_one_offered(fleet):
    token = fleet.enroll()
    push_update(fleet.db, "trust", b"first", fleet.clock())
    fleet.clock.advance(minutes=1)
    second = push_update(fleet.db, "trust", b"second", fleet.clock())
    assert [u["sha256"] for u in fleet.sync(token, []).json()["updates"]] == [second["sha256"]]


def test_an_update_is_fetched_only_with_a_kiosk_token(fleet):
    pushed = push_update(fleet.db, "trust", b"pem", fleet.clock())
    answer = fleet.http.get(f"/api/v1/updates/trust/{pushed['sha256']}")
    assert answer.status_code == 401


def test_an_unknown_update_is_404(fleet):
    token = fleet.enroll()
    answer = fleet.http.get("/api/v1/updates/catalogue/" + "0" * 64, headers=bearer(token))
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")


def test_the_signing_key_is_made_once_and_kept(fleet_db):
    assert update_public_key(fleet_db) == update_public_key(fleet_db)


def test_a_kiosk_fetches_the_update_key_to_pin_it_on_first_use(fleet):
    token = fleet.enroll()
    answer = fleet.http.get("/api/v1/update-key", headers=bearer(token)).json()
    assert answer == {
        "key_b64": update_public_key(fleet.db)["public_key"],
        "key_id": update_public_key(fleet.db)["key_id"],
    }
    assert fleet.http.get("/api/v1/update-key").status_code == 401


def test_an_update_the_service_signed_verifies_with_the_kiosks_own_verifier(fleet):
    from kiosk.fleet_link.updates import signed_update as kiosk_verifier

    token = fleet.enroll()
    pushed = push_update(fleet.db, "catalogue", CATALOGUE.read_bytes(), fleet.clock())
    document = fleet.http.get(
        f"/api/v1/updates/catalogue/{pushed['sha256']}", headers=bearer(token)
    ).json()
    key_b64 = fleet.http.get("/api/v1/update-key", headers=bearer(token)).json()["key_b64"]
    verified = kiosk_verifier.verify_update(document, key_b64, "catalogue")
    assert verified.payload == CATALOGUE.read_bytes()
