"""Debian's Chromium driven headless by Selenium through the system chromedriver, for the console
and dashboard tests (docs/fleet.md §10). Without the browser a developer's run skips; in CI
(`CI=true`) it fails, as a missing PostgreSQL does."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.postgres import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=vi-VN",
)
PHONE = (390, 844)
LAPTOP = (1366, 768)


def refuse_without_browser(reason: str) -> None:
    import pytest

    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def browser_missing() -> str:
    """Why the browser tests cannot run here ("" when they can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            return f"{needed} is missing: apt-get install -y chromium chromium-driver"
    return ""


@contextmanager
def chromium(size: tuple[int, int] = LAPTOP) -> Iterator[Any]:
    """A fresh headless Chromium (its own profile folder, deleted after) with the window's
    inner size `size` (CSS pixels)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kiosk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        resize(driver, size)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def resize(driver: Any, size: tuple[int, int]) -> None:
    """Set the viewport (not the window) to `size`: headless windows have no frame, but measure
    and correct once so the layout is judged at exactly that width."""
    driver.set_window_size(*size)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner and tuple(inner) != size:
        driver.set_window_size(2 * size[0] - inner[0], 2 * size[1] - inner[1])


def wait_for(check: Callable[[], Any], timeout_s: float = 10, what: str = "") -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            found = check()
        except Exception:  # an element not there yet, a page still loading
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what or check}")
        time.sleep(0.05)


def sign_in(driver: Any, base_url: str, path: str, token: str) -> None:
    """Open `path` and sign in through the page's own form, as an officer does."""
    from selenium.webdriver.common.by import By

    driver.get(base_url + path)
    field = wait_for(
        lambda: (
            driver.find_element(By.ID, "access-token").is_displayed()
            and driver.find_element(By.ID, "access-token")
        ),
        what="the sign-in form",
    )
    field.send_keys(token)
    driver.find_element(By.ID, "login-button").click()


def overflow_x(driver: Any) -> int:
    """How many CSS pixels the page reaches past the viewport's right edge (0: nothing scrolls
    sideways)."""
    return int(
        driver.execute_script(
            "const d = document.documentElement;"
            "return Math.max(d.scrollWidth, document.body.scrollWidth) - d.clientWidth;"
        )
    )


def screenshot_dir(default: Path) -> Path:
    """KIOSK_SCREENSHOTS when set (to keep them), else the test's tmp folder."""
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", "") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def full_page_screenshot(driver: Any, path: Path) -> Path:
    """The whole page at the current width (the window grown to the page's height)."""
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    original = driver.get_window_size()
    driver.set_window_size(original["width"], max(original["height"], height + 200))
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(original["width"], original["height"])
    assert driver.execute_script("return window.innerWidth") == width
    return path
