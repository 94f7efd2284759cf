"""Playwright against pytest-django's live server, with Debian's chromium and no internet.

Each test gets a fresh browser page (``page``) and its ``watch``: every request to a host
other than the loopback live server is aborted and recorded, every console error, uncaught
page error and JavaScript dialog is recorded. Tests end with ``watch.assert_clean()``.

The live server makes these tests transactional (the database is flushed afterwards), so the
``ningxia`` fixture puts the regions back first; tiles are switched off so the map needs no
network at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SCREENSHOTS = Path(django_settings.BASE_DIR) / "artifacts" / "screenshots"


@dataclass
class Watch:
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left the application: {self.outside}"
        assert self.errors == [], f"console or page errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def browser(chromium, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would
    # refuse the test body's (synchronous) ORM calls as "called from an async context".
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Django keys connections by async context, so ORM calls made while that loop
            # runs got a connection of their own; close it before the loop goes away (a left
            # open connection stops the test database from being dropped at the end).
            connections.close_all()


@pytest.fixture
def offline_map(settings, ningxia):
    """No tile layer: the map draws the region boundaries only and needs no network."""
    settings.MAP_TILES_URL = ""


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser, live_server, offline_map, watch):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1366, "height": 820},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(10_000)

    def only_loopback(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watch.errors.append(f"uncaught: {exc}"))

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(page):
    """``screenshot("popup")`` saves artifacts/screenshots/map-popup.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        page.wait_for_timeout(300)  # let Leaflet's fade and zoom animations finish
        path = SCREENSHOTS / f"map-{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
