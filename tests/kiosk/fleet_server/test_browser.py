"""The counter console and the province dashboard in a real browser: Debian's Chromium, headless,
driven by Selenium through the system chromedriver (docs/fleet.md §10). The service runs on a real
PostgreSQL; kiosks are played over HTTP with their own tokens. Screenshots go to a tmp folder, or
to $KIOSK_SCREENSHOTS to keep them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.records.audit_anchor import AuditAnchor
from tests.fleet_e2e.browser import (
    LAPTOP,
    PHONE,
    browser_missing,
    chromium,
    full_page_screenshot,
    overflow_x,
    refuse_without_browser,
    resize,
    screenshot_dir,
    sign_in,
    wait_for,
)
from tests.kiosk.fleet_server.conftest import FakeClock, event, heartbeat, help_event

OFFICE = "UBND xã Tân Phú"
OTHER_OFFICE = "UBND phường Hòa Bình"


@pytest.fixture
def clock() -> FakeClock:
    """The service's clock at the real time: the pages compare times with the browser's clock."""
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def browser() -> Any:
    missing = browser_missing()
    if missing:
        refuse_without_browser(missing)
    with chromium(LAPTOP) as driver:
        yield driver


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_dir(tmp_path / "shots")


def _by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _open_console(browser: Any, fleet: Any, office: str = OFFICE) -> None:
    sign_in(browser, fleet.server.url, f"/console?office={office}", fleet.access(office))
    wait_for(
        lambda: (
            browser.find_element(_by("ID"), "connection").get_attribute("data-state") == "online"
        ),
        what="the console's live stream",
    )


def _card(browser: Any, help_id: str) -> Any:
    return wait_for(
        lambda: browser.find_element(_by("CSS_SELECTOR"), f'article[data-help-id="{help_id}"]'),
        what=f"the console card of {help_id}",
    )


# --- the counter console ------------------------------------------------------------------------


def test_a_help_request_appears_live_on_the_console_with_its_kiosk_and_step(fleet, browser):
    token = fleet.enroll("K1", OFFICE)
    _open_console(browser, fleet)
    fleet.sync(token, [help_event("h-1", at=fleet.clock())], kiosk_id="K1")
    card = _card(browser, "h-1")
    assert card.find_element(_by("CLASS_NAME"), "kiosk").text == "Máy K1"
    assert card.find_element(_by("CLASS_NAME"), "step").text == "Bước 6: Kiểm tra khuôn mặt"
    assert "Máy báo: Máy chưa nhận ra khuôn mặt của công dân" in card.text
    assert card.get_attribute("data-state") == "open"


def test_on_my_way_clicked_on_the_console_reaches_the_kiosk_in_its_next_sync(fleet, browser):
    token = fleet.enroll("K1", OFFICE)
    _open_console(browser, fleet)
    fleet.sync(token, [help_event("h-1", at=fleet.clock())])
    card = _card(browser, "h-1")
    browser.find_element(_by("ID"), "officer-name").send_keys("Chị Lan")
    card.find_element(_by("CSS_SELECTOR"), 'button[data-action="coming"]').click()
    wait_for(
        lambda: _card(browser, "h-1").get_attribute("data-state") == "coming",
        what="the card to say the officer is coming",
    )
    card = _card(browser, "h-1")
    assert "Cán bộ đang tới — Chị Lan" in card.text
    chosen = card.find_elements(_by("CSS_SELECTOR"), 'button[aria-pressed="true"]')
    assert [button.text for button in chosen] == ["Đang tới"]
    acks = fleet.sync(token, []).json()["acks"]
    assert [(a["help_id"], a["state"], a["by"]) for a in acks] == [("h-1", "coming", "Chị Lan")]


def test_the_console_asks_for_the_officers_name_before_answering(fleet, browser):
    token = fleet.enroll("K1", OFFICE)
    _open_console(browser, fleet)
    fleet.sync(token, [help_event("h-1", at=fleet.clock())])
    _card(browser, "h-1").find_element(_by("CSS_SELECTOR"), 'button[data-action="coming"]').click()
    assert browser.find_element(_by("ID"), "name-needed").is_displayed()
    assert fleet.sync(token, []).json()["acks"] == []


def test_a_request_closed_at_the_kiosk_leaves_the_console(fleet, browser):
    token = fleet.enroll("K1", OFFICE)
    _open_console(browser, fleet)
    fleet.sync(token, [help_event("h-1", at=fleet.clock())])
    _card(browser, "h-1")
    fleet.sync(token, [event("help_closed", {"help_id": "h-1"}, fleet.clock())])
    wait_for(
        lambda: not browser.find_elements(_by("CSS_SELECTOR"), 'article[data-help-id="h-1"]'),
        what="the closed request to leave",
    )
    assert browser.find_element(_by("ID"), "empty").is_displayed()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_console_with_requests_fits_the_width_without_sideways_scrolling(
    fleet, browser, shots, size
):
    token = fleet.enroll("K1", OFFICE)
    resize(browser, size)
    _open_console(browser, fleet)
    fleet.sync(token, [help_event("h-1", at=fleet.clock() - timedelta(minutes=3))])
    fleet.sync(
        token,
        [
            help_event(
                "h-2",
                at=fleet.clock(),
                step="payment",
                step_number=9,
                step_title="Thanh toán lệ phí",
                reason="citizen",
            )
        ],
    )
    _card(browser, "h-2")
    browser.find_element(_by("ID"), "officer-name").send_keys("Anh Tuấn")
    _card(browser, "h-1").find_element(_by("CSS_SELECTOR"), 'button[data-action="coming"]').click()
    wait_for(lambda: _card(browser, "h-1").get_attribute("data-state") == "coming")
    full_page_screenshot(browser, shots / f"console-{size[0]}x{size[1]}.png")
    assert overflow_x(browser) == 0


# --- the province dashboard ---------------------------------------------------------------------


def _anchor(folder: Path, entry_id: int, entry_hash: str) -> dict[str, Any]:
    anchor = AuditAnchor(
        folder / f"anchor-{entry_id}-{entry_hash[:4]}",
        Ed25519PrivateKey.from_private_bytes(b"k" * 32),
    )
    anchor.record(entry_id, entry_hash)
    return event("anchor", {"anchor": json.loads(anchor.export() or b"")})


def _province(fleet: Any, tmp_path: Path) -> None:
    """Four kiosks in two communes: one well, one out of paper with a backlog, one silent for
    ten minutes, one whose audit log was rewritten."""
    now = fleet.clock()
    silent = fleet.enroll("K3", OTHER_OFFICE)
    fleet.clock.now = now - timedelta(minutes=10)
    fleet.sync(silent, [heartbeat(at=fleet.clock(), visits=4)], kiosk_id="K3")
    fleet.clock.now = now
    well = fleet.enroll("K1", OFFICE)
    fleet.sync(well, [heartbeat(at=now, visits=12)], kiosk_id="K1")
    paper = fleet.enroll("K2", OFFICE)
    fleet.sync(paper, [heartbeat(at=now, paper="out", unsent=75, visits=7)], kiosk_id="K2")
    rewritten = fleet.enroll("K4", OTHER_OFFICE)
    fleet.sync(rewritten, [heartbeat(at=now), _anchor(tmp_path, 10, "a" * 64)], kiosk_id="K4")
    fleet.sync(rewritten, [_anchor(tmp_path, 10, "b" * 64)], kiosk_id="K4")


def _open_dashboard(browser: Any, fleet: Any) -> None:
    sign_in(browser, fleet.server.url, "/dashboard", fleet.access())
    wait_for(
        lambda: browser.find_element(_by("TAG_NAME"), "body").get_attribute("data-loaded"),
        what="the dashboard's figures",
    )


def _rows(browser: Any) -> dict[str, Any]:
    return {
        row.get_attribute("data-kiosk-id"): row
        for row in browser.find_elements(_by("CSS_SELECTOR"), "#kiosks tbody tr")
    }


def test_the_dashboard_lists_every_kiosk_with_its_status(fleet, browser, tmp_path):
    _province(fleet, tmp_path)
    _open_dashboard(browser, fleet)
    rows = _rows(browser)
    assert sorted(rows) == ["K1", "K2", "K3", "K4"]
    assert "● Trực tuyến" in rows["K1"].text
    assert "○ MẤT LIÊN LẠC" in rows["K3"].text
    assert "HẾT" in rows["K2"].find_element(_by("CSS_SELECTOR"), 'td[data-label="Giấy in"]').text
    assert browser.find_element(_by("ID"), "tile-online").get_attribute("data-value") == "3"


def test_the_dashboard_raises_each_alert_in_vietnamese(fleet, browser, tmp_path):
    _province(fleet, tmp_path)
    _open_dashboard(browser, fleet)
    alerts = {
        (item.get_attribute("data-kind"), item.get_attribute("data-kiosk-id")): item.text
        for item in browser.find_elements(_by("CSS_SELECTOR"), "#alerts li")
    }
    assert sorted(alerts) == [
        ("anchor_mismatch", "K4"),
        ("backlog", "K2"),
        ("offline", "K3"),
        ("paper_out", "K2"),
    ]
    assert "Nhật ký kiểm toán không khớp" in alerts[("anchor_mismatch", "K4")]
    assert "Máy in hết giấy" in alerts[("paper_out", "K2")]
    assert "75 hồ sơ chưa gửi được" in alerts[("backlog", "K2")]
    assert "Mất liên lạc quá 5 phút" in alerts[("offline", "K3")]


def test_the_dashboard_charts_write_every_number_beside_its_bar(fleet, browser, tmp_path):
    _province(fleet, tmp_path)
    _open_dashboard(browser, fleet)
    chart = browser.find_element(_by("ID"), "chart-offices")
    labels = [t.text for t in chart.find_elements(_by("CSS_SELECTOR"), "svg text")]
    assert OFFICE in labels and "19 hôm nay" in labels  # K1 12 + K2 7 visits today
    assert OTHER_OFFICE in labels and "7 tháng này" in labels  # K3 4 + K4 3


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_dashboard_fits_the_width_without_sideways_scrolling(
    fleet, browser, shots, tmp_path, size
):
    _province(fleet, tmp_path)
    resize(browser, size)
    _open_dashboard(browser, fleet)
    full_page_screenshot(browser, shots / f"dashboard-{size[0]}x{size[1]}.png")
    assert overflow_x(browser) == 0
