"""In a real browser: the contract PDF's page shows it being made, polls its status while the
worker renders it, then offers (and starts) the download; nothing wider than a phone."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests import factories
from tests.browser.conftest import browser, chromium, offline_map, page, watch  # noqa: F401 - fixtures
from tests.notifications.workers import run_worker_until_idle

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def empty_queue(transactional_db, ningxia, settings):
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
        )
    db = connections.settings["default"]
    max_age, db["CONN_MAX_AGE"] = db["CONN_MAX_AGE"], 0
    yield
    db["CONN_MAX_AGE"] = max_age


def worker_in_a_thread() -> None:
    """The worker beside Playwright's event loop (it runs its own with asyncio.run)."""
    errors = []

    def run():
        try:
            run_worker_until_idle()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert errors == [] and not thread.is_alive()


@pytest.mark.parametrize("width,height", [(390, 844), (1440, 900)])
def test_the_page_shows_progress_then_downloads_the_pdf(page, watch, alice, ivan_lab, width, height):  # noqa: F811
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"/vouchers/contracts/{contract.pk}/pdf/")
    assert page.locator("#pdf-progress").get_attribute("data-state") == "pending"
    assert page.get_by_role("status").inner_text().strip() == "正在生成合同文件…"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"artifacts/screenshots/contract-pdf-pending-{width}.png")

    with page.expect_download(timeout=30_000) as download:
        worker_in_a_thread()  # the page keeps polling meanwhile
    assert download.value.suggested_filename == f"{contract.number}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert page.locator("#pdf-progress").get_attribute("data-state") == "ready"
    assert page.get_by_role("link", name="下载合同 PDF").is_visible()
    assert page.get_by_role("status").inner_text().strip() == "合同文件已生成。"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    watch.assert_clean()
