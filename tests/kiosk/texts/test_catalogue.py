"""The data files themselves: complete in every language, placeholders that the code fills, and a
text for every code and key the kiosk can raise or report."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kiosk.texts import catalogue, placeholders
from kiosk.texts.catalogue import ADDRESS, FILLED, SOURCE, is_source_only

ROOT = Path(__file__).resolve().parents[3]
OTHER_LANGUAGES = [language for language in catalogue().languages() if language != SOURCE]


def test_there_is_a_language_besides_the_source():
    assert OTHER_LANGUAGES


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_key_is_in_every_language(language):
    translated = set(catalogue().texts[language])
    wanted = {key for key in catalogue().keys_under() if not is_source_only(key)}
    assert sorted(wanted - translated) == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_language_has_a_key_the_source_lacks_or_a_staff_text(language):
    translated = set(catalogue().texts[language])
    assert sorted(k for k in translated if not catalogue().has(k) or is_source_only(k)) == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_translation_has_the_same_named_placeholders_as_the_source(language):
    source = catalogue().texts[SOURCE]
    different = [
        key
        for key, text in catalogue().texts[language].items()
        if text and placeholders(text) - set(ADDRESS) != placeholders(source[key]) - set(ADDRESS)
    ]
    assert different == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_only_vietnamese_texts_use_the_form_of_address(language):
    addressed = [k for k, t in catalogue().texts[language].items() if placeholders(t) & {*ADDRESS}]
    assert addressed == []


def test_every_placeholder_is_one_the_code_fills():
    used = {
        (language, key, name)
        for language, table in catalogue().texts.items()
        for key, text in table.items()
        for name in placeholders(text) - FILLED
    }
    assert used == set()


def _sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def _raised_codes() -> set[str]:
    """Error codes written in the code: `code = "..."` in a class body, `code="..."` in a call,
    and the code an `AccountError("...")` is raised with."""
    found: set[str] = set()
    for path in _sources("kiosk", "devices"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and [getattr(t, "id", "") for t in statement.targets] == ["code"]
                        and isinstance(statement.value, ast.Constant)
                    ):
                        found.add(statement.value.value)
            elif isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
                first = node.args[0] if node.args else None
                raised = getattr(node.func, "id", "") == "AccountError"
                if raised and isinstance(first, ast.Constant):
                    found.add(first.value)
    return found


def test_the_code_scan_finds_codes_from_every_kind_of_source():
    codes = _raised_codes()
    # a device error class, a keyword in a raise, a service error class, an account error
    assert {"card_access_denied", "camera_unavailable", "outbox_full", "account_too_young"} <= codes


def test_every_error_code_raised_in_the_code_has_a_text():
    bases = {"portal_error", "camera_error"}  # never raised themselves, only their subclasses
    codes = _raised_codes() - bases
    missing = sorted(code for code in codes if not catalogue().has(f"error.{code}.citizen"))
    assert missing == []


def test_every_face_check_and_liveness_failure_has_a_text():
    from devices.camera import liveness, verification

    reasons: set[str] = set()
    for module in (liveness, verification):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        reasons |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(("liveness_", "face_"))
        }
    assert reasons and sorted(r for r in reasons if not catalogue().has(f"error.{r}.citizen")) == []


def _answers(value: ast.expr | None) -> set[str]:
    """The strings an expression can give: a constant, or either branch of `a if c else b`."""
    if isinstance(value, ast.IfExp):
        return _answers(value.body) | _answers(value.orelse)
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
        return {value.value}
    return set()


def _reported_keys() -> set[str]:
    """Progress keys the camera reports: `report(fraction, "key")` in the camera service, the
    keys the face check and liveness return, and the liveness challenges."""
    from devices.camera.liveness import CHALLENGES

    keys = set(CHALLENGES)
    for path in [
        ROOT / "kiosk/services/camera.py",
        ROOT / "devices/camera/verification.py",
        ROOT / "devices/camera/liveness.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value: ast.expr | None = None
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "report":
                value = node.args[1] if len(node.args) > 1 else None
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "FrameVerdict":
                value = node.args[0] if node.args else None
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
                value = node.value  # the face check's and liveness' plain key answers
            keys |= _answers(value)
    return keys


def test_the_key_scan_finds_the_cameras_keys():
    assert {"show_card_qr", "turn_left", "move_closer", "place_document"} <= _reported_keys()


def test_every_progress_key_the_camera_reports_has_guidance():
    silent = {"onlooker"}  # not said: the screen hides personal data instead
    keys = _reported_keys() - silent
    assert sorted(key for key in keys if not catalogue().has(f"guidance.{key}")) == []
