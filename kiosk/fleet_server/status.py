"""The fleet's status (docs/fleet.md §7): every kiosk's health, the alerts, and today's and this
month's figures per office and procedure. `GET /api/v1/fleet/status` and
`kiosk fleet admin status --json` answer with the same JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from kiosk.fleet_server.clock import VIETNAM, iso
from kiosk.fleet_server.db import FleetDb, aware
from kiosk.fleet_server.models import Alert, Kiosk, KioskDay, SignedUpdate
from kiosk.fleet_server.updates import current_updates

OFFLINE_AFTER = timedelta(minutes=5)
DEFAULT_SOFT_LIMIT = 50  # backlog alert when a heartbeat names no soft limit of its own


def fleet_status(db: FleetDb, now: datetime) -> dict[str, Any]:
    today = now.astimezone(VIETNAM).date()
    month_start = today.replace(day=1).isoformat()
    with db.session() as session:
        kiosks = list(session.scalars(select(Kiosk).order_by(Kiosk.office, Kiosk.kiosk_id)))
        days = list(session.scalars(select(KioskDay).where(KioskDay.day >= month_start)))
        stored_alerts = list(
            session.scalars(select(Alert).where(Alert.cleared_at.is_(None)).order_by(Alert.id))
        )
    visits_today = {d.kiosk_id: d.visits for d in days if d.day == today.isoformat()}
    alerts: list[dict[str, Any]] = []
    entries = []
    for kiosk in kiosks:
        entry = _kiosk_entry(kiosk, now, visits_today.get(kiosk.kiosk_id, 0))
        if kiosk.revoked_at is None:
            alerts += _live_alerts(kiosk, entry, now)
        entries.append(entry)
    for stored in stored_alerts:
        alerts.append(
            {
                "kind": stored.kind,
                "kiosk_id": stored.kiosk_id,
                "reason": stored.reason,
                "detail": stored.detail,
                "since": iso(aware(stored.raised_at)),
            }
        )
    by_kiosk: dict[str, list[str]] = defaultdict(list)
    for alert in alerts:
        by_kiosk[alert["kiosk_id"]].append(alert["kind"])
    for entry in entries:
        entry["alerts"] = sorted(set(by_kiosk.get(entry["kiosk_id"], [])))
    return {
        "kiosks": entries,
        "alerts": alerts,
        "figures": {
            "today": _figures(d for d in days if d.day == today.isoformat())
            | {"date": today.isoformat()},
            "month": _figures(days) | {"month": today.isoformat()[:7]},
        },
        "procedure_names": procedure_names(db),
        "server_time": iso(now),
    }


def procedure_names(db: FleetDb) -> dict[str, str]:
    """Procedure code → Vietnamese name, from the newest pushed catalogue (else the built-in one),
    so the dashboard names procedures as citizens see them."""
    from kiosk.domain.catalogue import CatalogueError, load_catalogue, parse_catalogue

    with db.session() as session:
        sha = current_updates(session).get("catalogue")
        payload = None
        if sha is not None:
            payload = session.scalars(
                select(SignedUpdate.payload).where(
                    SignedUpdate.kind == "catalogue", SignedUpdate.sha256 == sha
                )
            ).first()
    try:
        catalogue = parse_catalogue(payload, "fleet") if payload else load_catalogue()
    except CatalogueError:
        return {}
    return {procedure.code: procedure.name for procedure in catalogue.procedures}


def _kiosk_entry(kiosk: Kiosk, now: datetime, visits: int) -> dict[str, Any]:
    last_seen = None if kiosk.last_seen is None else aware(kiosk.last_seen)
    online = last_seen is not None and kiosk.revoked_at is None and now - last_seen <= OFFLINE_AFTER
    return {
        "kiosk_id": kiosk.kiosk_id,
        "office": kiosk.office,
        "last_seen": iso(last_seen),
        "online": online,
        "devices": json.loads(kiosk.devices or "{}"),
        "outbox": {"unsent": kiosk.outbox_unsent, "oldest_unsent_s": kiosk.outbox_oldest_s},
        "today": {"visits": visits},
        "version": kiosk.version,
        "revoked": kiosk.revoked_at is not None,
        "soft_limit": (
            kiosk.outbox_soft_limit if kiosk.outbox_soft_limit is not None else DEFAULT_SOFT_LIMIT
        ),
    }


def _live_alerts(kiosk: Kiosk, entry: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    found = []
    if not entry["online"]:
        since = entry["last_seen"]
        detail = f"no sync since {since}" if since else "never synced"
        found.append(("offline", detail, since))
    if entry["devices"].get("paper") == "out":
        found.append(
            ("paper_out", "the printer is out of paper", iso(aware(kiosk.state_at or now)))
        )
    limit = kiosk.outbox_soft_limit if kiosk.outbox_soft_limit is not None else DEFAULT_SOFT_LIMIT
    if kiosk.outbox_unsent > limit:
        found.append(
            (
                "backlog",
                f"{kiosk.outbox_unsent} dossiers unsent (soft limit {limit})",
                iso(aware(kiosk.state_at or now)),
            )
        )
    return [
        {"kind": kind, "kiosk_id": kiosk.kiosk_id, "reason": "", "detail": detail, "since": since}
        for kind, detail, since in found
    ]


def _figures(days: Any) -> dict[str, Any]:
    """Visits per office and outcomes per office and procedure, summed over `days`."""
    offices: dict[str, dict[str, Any]] = {}
    for day in days:
        office = offices.setdefault(
            day.office, {"office": day.office, "visits": 0, "procedures": {}}
        )
        office["visits"] += day.visits
        for code, outcomes in json.loads(day.outcomes or "{}").items():
            per = office["procedures"].setdefault(code, {})
            for outcome, count in outcomes.items():
                per[outcome] = per.get(outcome, 0) + count
    procedures: dict[str, dict[str, int]] = {}
    for office in offices.values():
        for code, outcomes in office["procedures"].items():
            per = procedures.setdefault(code, {})
            for outcome, count in outcomes.items():
                per[outcome] = per.get(outcome, 0) + count
    return {
        "offices": sorted(offices.values(), key=lambda o: o["office"]),
        "procedures": dict(sorted(procedures.items())),
        "visits": sum(o["visits"] for o in offices.values()),
    }
