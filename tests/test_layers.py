"""Layer rules (docs/architecture.md): imports point downward only.

Between the top-level packages: ui/ is the only package importing PySide6; devices/ and printing/
import neither Qt nor kiosk/; kiosk/ imports no Qt and reaches ui/ only from the `kiosk run` entry
point. Inside kiosk/, each sub-package has a rank and may import only lower ranks (and itself).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = {
    "kiosk": {"PySide6", "ui"},
    "devices": {"PySide6", "kiosk", "ui", "printing"},
    "printing": {"PySide6", "kiosk", "ui", "devices"},
}
# The entry points that start the screens: the kiosk, and the screenshot walk (simulate --ui).
ALLOWED = {("kiosk/cli/run.py", "ui"), ("kiosk/cli/simulate.py", "ui")}
# The local portal is demo and test equipment: production code reaches it only from the
# composition root's demo branch and from `kiosk portal-serve`.
LOCAL_PORTAL_USERS = {"kiosk/runtime.py", "kiosk/cli/portal.py"}
# Known upward imports still to remove (each names where it goes).
UPWARD_PENDING: set[tuple[str, str]] = set()

# Inside kiosk/, lowest first. A module may import its own sub-package and any listed before it.
KIOSK_RANKS = [
    "texts",  # what the kiosk says, per language
    "domain",  # model types and rules: identity, forms, catalogue, calendar, VietQR, errors
    "config",  # kiosk.toml, validated
    "store",  # SQLAlchemy engine, models, migrations
    "crypto",  # keys and sealing of what is stored
    "portal",  # HTTP client of the province portal
    "records",  # what the kiosk keeps: outbox, sync, drafts, dossiers, audit, staff, trust
    "services",  # what the journey's steps call: card, camera, dossiers, payment, printing
    "journey",  # the engine and its steps
    "ops",  # doctor, report, simulate, watchdog, logging
    "fleet_link",  # the kiosk's side of the province's fleet service (queue, sender, updates)
    "local_portal",  # the portal on loopback for demo mode and tests: only the two below use it
    "fleet_server",  # the province's fleet service: only kiosk/cli/fleet*.py use it
    "runtime",  # the composition root: builds all of the above from the configuration
    "cli",  # the `kiosk` command
    "__main__",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def imported_top_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def kiosk_part(module: str) -> str | None:
    """The kiosk sub-package (rank entry) a module name belongs to, None outside kiosk/."""
    parts = module.split(".")
    if parts[0] != "kiosk" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in KIOSK_RANKS else None


def violations() -> list[str]:
    found = []
    for package, forbidden in RULES.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for name in imported_top_packages(path) & forbidden:
                if (relative, name) not in ALLOWED:
                    found.append(f"{relative} imports {name}")
    return found


def upward_imports() -> list[str]:
    found = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = kiosk_part(module)
        if own is None:
            if path.parent != ROOT / "kiosk" or path.stem not in ("__init__",):
                found.append(f"{module} belongs to no ranked part of kiosk/")
            continue
        for name in sorted(imported_modules(path)):
            other = kiosk_part(name)
            if (module, name) in UPWARD_PENDING:
                continue
            if other is not None and KIOSK_RANKS.index(other) > KIOSK_RANKS.index(own):
                found.append(f"{module} ({own}) imports {name} ({other})")
    return found


def local_portal_importers(root: Path) -> list[str]:
    """Production modules (kiosk/, ui/, devices/, printing/) outside the local portal itself
    that import it."""
    found = []
    for package in ("kiosk", "ui", "devices", "printing"):
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative.startswith("kiosk/local_portal/") or relative in LOCAL_PORTAL_USERS:
                continue
            if any(name.startswith("kiosk.local_portal") for name in imported_modules(path)):
                found.append(relative)
    return found


def test_imports_point_downward_only():
    assert violations() == []


def test_inside_kiosk_imports_point_to_lower_parts_only():
    assert upward_imports() == []


@pytest.mark.parametrize("package", sorted(RULES))
def test_the_rule_checker_sees_a_forbidden_import(tmp_path, package):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtWidgets import QLabel\n", encoding="utf-8")
    assert "PySide6" in imported_top_packages(bad) & RULES[package]


def test_the_rank_checker_sees_an_upward_import(monkeypatch, tmp_path):
    (tmp_path / "kiosk" / "domain").mkdir(parents=True)
    bad = tmp_path / "kiosk" / "domain" / "bad.py"
    bad.write_text("from kiosk.journey.engine import JourneyEngine\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert upward_imports() == [
        "kiosk.domain.bad (domain) imports kiosk.journey.engine (journey)",
        "kiosk.domain.bad (domain) imports kiosk.journey.engine.JourneyEngine (journey)",
    ]


def test_only_the_demo_branch_and_portal_serve_import_the_local_portal():
    assert local_portal_importers(ROOT) == []


def test_the_local_portal_check_sees_a_production_import(tmp_path):
    (tmp_path / "kiosk" / "services").mkdir(parents=True)
    bad = tmp_path / "kiosk" / "services" / "bad.py"
    bad.write_text("from kiosk.local_portal.server import LocalPortal\n", encoding="utf-8")
    assert local_portal_importers(tmp_path) == ["kiosk/services/bad.py"]
