"""The console and dashboard pages: served from the package, no outside resources, stable ids
for the browser tests (docs/fleet.md §6, §7)."""

from __future__ import annotations

import re

import pytest

from kiosk.fleet_server.app import STATIC

PAGE_IDS = {
    "/console": [
        "login",
        "access-token",
        "login-button",
        "officer-name",
        "sound-toggle",
        "requests",
        "empty",
        "connection",
        "request-template",
    ],
    "/dashboard": [
        "login",
        "access-token",
        "login-button",
        "tile-online",
        "tile-alerts",
        "tile-today",
        "tile-month",
        "alerts",
        "kiosks",
        "chart-offices",
        "chart-procedures",
        "procedure-table",
    ],
}


@pytest.mark.parametrize("path", sorted(PAGE_IDS))
def test_each_page_is_vietnamese_html_with_its_stable_element_ids(fleet, path):
    page = fleet.http.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in page.text
    assert [i for i in PAGE_IDS[path] if f'id="{i}"' not in page.text] == []


@pytest.mark.parametrize("path", sorted(PAGE_IDS))
def test_each_page_loads_nothing_from_outside_the_server(fleet, path):
    page = fleet.http.get(path)
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert re.findall(r"(?:src|href)=\"(?!/static/)[^\"]*\"", page.text) == []


def test_the_pages_scripts_and_style_are_served(fleet):
    for name in ("common.js", "console.js", "dashboard.js", "fleet.css"):
        assert fleet.http.get(f"/static/{name}").status_code == 200


def test_no_script_puts_server_text_into_html():
    scripts = " ".join(p.read_text(encoding="utf-8") for p in STATIC.glob("*.js"))
    assert "innerHTML" not in scripts and "insertAdjacentHTML" not in scripts


def test_the_root_leads_to_the_dashboard(fleet):
    answer = fleet.http.get("/", follow_redirects=False)
    assert answer.headers["location"] == "/dashboard"


def test_the_dashboard_json_names_procedures_from_the_catalogue(fleet):
    status = fleet.http.get(
        "/api/v1/fleet/status", headers={"Authorization": f"Bearer {fleet.access()}"}
    ).json()
    assert status["procedure_names"]["birth_registration"]
