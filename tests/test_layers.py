"""Layer rules (DESIGN.md): imports point downward only.

ui/ is the only package importing PySide6; devices/ and printing/ import neither Qt nor kiosk/;
kiosk/ imports no Qt and reaches ui/ only from the `kiosk run` entry point.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = {
    "kiosk": {"PySide6", "ui"},
    "devices": {"PySide6", "kiosk", "ui", "printing"},
    "printing": {"PySide6", "kiosk", "ui", "devices"},
}
ALLOWED = {("kiosk/cli/run.py", "ui")}  # the entry point starts the screens


def imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def violations() -> list[str]:
    found = []
    for package, forbidden in RULES.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for name in imported_top_packages(path) & forbidden:
                if (relative, name) not in ALLOWED:
                    found.append(f"{relative} imports {name}")
    return found


def test_imports_point_downward_only():
    assert violations() == []


@pytest.mark.parametrize("package", sorted(RULES))
def test_the_rule_checker_sees_a_forbidden_import(tmp_path, package):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtWidgets import QLabel\n", encoding="utf-8")
    assert "PySide6" in imported_top_packages(bad) & RULES[package]
