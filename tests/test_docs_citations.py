"""The code cites the repository's own docs: every `docs/NAME.md §N` it names exists, with that
section; no code cites a document outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITATION = re.compile(r"docs/([a-z_]+\.md)(?: §(\d+))?")
OUTSIDE = re.compile(r"(?<![/\w])(DOMAIN|DESIGN|UI|STYLE)\.md\b")
CODE = ("kiosk", "ui", "devices", "printing", "tests", "bench", "tools")


def code_files() -> list[Path]:
    return [p for folder in CODE for p in (ROOT / folder).rglob("*.py")]


def sections(doc: Path) -> set[str]:
    return set(re.findall(r"^## (\d+)\. ", doc.read_text(encoding="utf-8"), flags=re.M))


def broken_citations() -> list[str]:
    found = []
    for path in code_files():
        text = path.read_text(encoding="utf-8")
        for name, section in CITATION.findall(text):
            doc = ROOT / "docs" / name
            if not doc.exists():
                found.append(f"{path.relative_to(ROOT)} cites missing docs/{name}")
            elif section and section not in sections(doc):
                found.append(f"{path.relative_to(ROOT)} cites docs/{name} §{section}, not there")
    return found


def test_every_cited_doc_and_section_exists():
    assert broken_citations() == []


def test_no_code_cites_a_document_outside_the_repository():
    outside = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in code_files()
        if p.name != "test_docs_citations.py"
        for m in OUTSIDE.finditer(p.read_text(encoding="utf-8"))
    ]
    assert outside == []


def test_the_checker_sees_a_missing_section(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "domain.md").write_text("## 1. Card\n", encoding="utf-8")
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "kiosk" / "x.py").write_text('"""docs/domain.md §7"""\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert broken_citations() == ["kiosk/x.py cites docs/domain.md §7, not there"]
