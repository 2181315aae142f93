"""Signed catalogue and trust updates from the fleet (docs/fleet_link.md §3): applied atomically
and audited when the signature, the key and the hash verify; refused and audited otherwise, the
old catalogue kept."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.domain.catalogue import BUILTIN_CATALOGUE, catalogue_for_data_dir
from kiosk.fleet_link.link import FleetLink
from kiosk.store.models import AuditEvent
from tests.kiosk.fleet_link.fleet_double import RunningFleetDouble, raw_public
from tests.kiosk.trust_pki import Pki

WORLD_MASTER_LIST = Path(__file__).parents[1] / "records" / "world" / "DE_ML_2025-08-14-07-41-09.ml"


def new_catalogue(version: str = "2026.12-fleet") -> bytes:
    document = json.loads(BUILTIN_CATALOGUE.read_bytes())
    document["version"] = version
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def audit_actions(kiosk: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    with kiosk["store"].session() as session:
        rows = session.execute(select(AuditEvent.action, AuditEvent.detail)).all()
    return [(a, json.loads(d)) for a, d in rows if a.startswith("fleet_")]


def test_a_signed_catalogue_is_applied_sealed_and_audited(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    payload = new_catalogue()
    double.fleet.publish("catalogue", payload)
    report = link.run_round(heartbeat=False)
    assert [u.applied for u in report.updates] == [True]
    data_dir = kiosk["config"].data_dir
    assert (data_dir / "procedures.json").read_bytes() == payload
    assert catalogue_for_data_dir(data_dir).version == "2026.12-fleet"  # the seal matches
    actions = [a for a, _ in audit_actions(kiosk)]
    assert actions == ["fleet_update_key_pinned", "fleet_update_applied"]
    assert not list(data_dir.glob(".procedures.json.*"))  # no temporary left behind


def test_an_applied_catalogue_is_not_announced_again(
    link: FleetLink, double: RunningFleetDouble
) -> None:
    double.fleet.publish("catalogue", new_catalogue())
    link.run_round(heartbeat=False)
    link.run_round(heartbeat=False)
    fetched = [p for m, p in double.fleet.requests if p.startswith("/api/v1/updates/")]
    assert len(fetched) == 1
    assert (
        double.fleet.syncs[-1]["have"]["catalogue"] == hashlib.sha256(new_catalogue()).hexdigest()
    )


def _tamper(document: dict[str, Any]) -> None:
    document["payload_b64"] = base64.b64encode(new_catalogue("2026.12-evil")).decode()


def _unsign(document: dict[str, Any]) -> None:
    del document["signature_b64"]


def _bad_signature(document: dict[str, Any]) -> None:
    document["signature_b64"] = base64.b64encode(bytes(64)).decode()


@pytest.mark.parametrize(
    "spoil", [_tamper, _unsign, _bad_signature], ids=["tampered", "unsigned", "bad signature"]
)
def test_a_spoiled_catalogue_update_is_refused_audited_and_the_old_one_kept(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any], spoil: Any
) -> None:
    data_dir = kiosk["config"].data_dir
    before = catalogue_for_data_dir(data_dir)
    spoil(double.fleet.publish("catalogue", new_catalogue()))
    report = link.run_round(heartbeat=False)
    assert [u.applied for u in report.updates] == [False]
    assert not (data_dir / "procedures.json").exists()
    assert catalogue_for_data_dir(data_dir).version == before.version
    assert [a for a, _ in audit_actions(kiosk)][-1] == "fleet_update_refused"
    link.run_round(heartbeat=False)  # a refused update is not fetched again and again
    fetched = [p for m, p in double.fleet.requests if p.startswith("/api/v1/updates/")]
    assert len(fetched) == 1


def test_an_update_signed_by_another_key_than_the_pinned_one_is_refused(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    double.fleet.publish("catalogue", new_catalogue())
    link.run_round(heartbeat=False)  # pins the fleet's key
    intruder = Ed25519PrivateKey.generate()
    double.fleet.publish("catalogue", new_catalogue("2026.12-intruder"), signer=intruder)
    report = link.run_round(heartbeat=False)
    assert [u.applied for u in report.updates] == [False]
    assert "pinned update key" in report.updates[0].detail
    assert catalogue_for_data_dir(kiosk["config"].data_dir).version == "2026.12-fleet"


def test_a_catalogue_that_does_not_validate_is_refused_even_when_signed(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    double.fleet.publish("catalogue", b'{"format": 1, "procedures": "none"}')
    report = link.run_round(heartbeat=False)
    assert [u.applied for u in report.updates] == [False]
    assert not (kiosk["config"].data_dir / "procedures.json").exists()


def test_a_signed_pem_bundle_of_cscas_goes_into_the_trust_store_audited(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = Pki()
    bundle = pki.csca.public_bytes(Encoding.PEM) + pki.other.public_bytes(Encoding.PEM)
    double.fleet.publish("trust", bundle)
    report = link.run_round(heartbeat=False)
    assert [u.applied for u in report.updates] == [True]
    assert len(list(kiosk["config"].trust_store.glob("*.der"))) == 2
    assert audit_actions(kiosk)[-1][1]["kind"] == "trust"


def test_a_real_master_list_whose_signer_the_kiosk_does_not_trust_is_refused(
    link: FleetLink, double: RunningFleetDouble, kiosk: dict[str, Any]
) -> None:
    # Germany's published CSCA master list (tests/kiosk/records/world/): the fleet's signature
    # does not replace the list's own CMS signature check against a trusted CSCA.
    double.fleet.publish("trust", WORLD_MASTER_LIST.read_bytes())
    report = link.run_round(heartbeat=False)
    assert [u.applied for u in report.updates] == [False]
    assert "UNTRUSTED_SIGNER" in report.updates[0].detail
    assert not list(kiosk["config"].trust_store.glob("*.der"))


def test_a_configured_update_key_is_used_instead_of_trust_on_first_use(
    tmp_path: Path, double: RunningFleetDouble
) -> None:
    from kiosk.fleet_link.updates import UpdateApplier

    configured = base64.b64encode(raw_public(Ed25519PrivateKey.generate())).decode()
    applier = UpdateApplier(tmp_path, tmp_path / "trust", None, None, configured)  # type: ignore[arg-type]
    assert applier.public_key(None, "") == base64.b64decode(configured)  # type: ignore[arg-type]
