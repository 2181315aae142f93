"""Who imports the fleet service, and what it imports (docs/fleet.md §1)."""

from __future__ import annotations

from pathlib import Path

from tests.test_layers import imported_modules

ROOT = Path(__file__).resolve().parents[3]


def test_only_the_fleet_commands_import_the_fleet_service():
    importers = [
        path.relative_to(ROOT).as_posix()
        for package in ("kiosk", "ui", "devices", "printing")
        for path in sorted((ROOT / package).rglob("*.py"))
        if not path.relative_to(ROOT).as_posix().startswith("kiosk/fleet_server/")
        and any(name.startswith("kiosk.fleet_server") for name in imported_modules(path))
    ]
    assert all(p.startswith("kiosk/cli/fleet") for p in importers) and importers


def test_the_fleet_service_imports_neither_the_journey_nor_the_kiosks_runtime():
    forbidden = ("kiosk.journey", "kiosk.runtime", "kiosk.services", "kiosk.fleet_link", "ui.")
    found = [
        f"{path.name} imports {name}"
        for path in sorted((ROOT / "kiosk" / "fleet_server").rglob("*.py"))
        for name in imported_modules(path)
        if name == "ui" or name.startswith(forbidden)
    ]
    assert found == []
