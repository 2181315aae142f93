"""The README documents every configuration key and every command the kiosk has."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from kiosk.cli import build_parser
from kiosk.config import _TABLES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_config_key_is_in_the_readme():
    missing = [
        f"[{table}] {f.name}"
        for table, cls in _TABLES.items()
        for f in dataclasses.fields(cls)
        if not re.search(rf"`\[{table}\] [^`]*\b{f.name}\b", README)
    ]
    assert missing == []


def test_every_command_is_in_the_readme():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    missing = [name for name in commands if f"`kiosk {name}" not in README]
    assert missing == []
