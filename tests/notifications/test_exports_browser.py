"""The export job page in a real browser: the export link lands on the job page, which shows
the rows written and the download link once the worker is done — by polling with script,
by refreshing itself without — and fits a phone and a desktop screen."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from notifications.models import ExportJob, ExportStatus
from tests import factories

# The Playwright fixtures of the browser tests (Debian's chromium, loopback only).
from tests.browser.conftest import browser, chromium  # noqa: F401
from tests.notifications.workers import run_worker_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = "/dashboard/export/sharing_instruments.csv?from=2026-01&to=2026-06"


def worker_in_a_thread() -> None:
    """The worker until idle, beside the browser (Playwright's loop owns this thread)."""

    def run():
        try:
            run_worker_until_idle()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive()


def new_page(browser, live_server, user, *, width: int, script: bool = True):  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, java_script_enabled=script
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    host = urlsplit(live_server.url).hostname
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(f"uncaught: {exc}"))
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_job_page_follows_the_worker_with_and_without_script(
    browser,  # noqa: F811
    live_server,
    bob,
    ivan_lab,
    settings,
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    lab = factories.listed_institution(username="xq_lab", name="兴庆区检测中心", lng=106.29, lat=38.47)
    for i in range(5):
        factories.approved_item(lab, name=f"兴庆仪器{i}")
    worker_in_a_thread()  # the catalogue's notification mails, so that only exports remain

    # With script, on a phone: the export link lands on the job page, which polls.
    page = new_page(browser, live_server, bob, width=390)
    page.goto(EXPORT)
    job = ExportJob.objects.get()
    assert page.url.endswith(f"/tasks/exports/{job.pk}/")
    assert page.locator('[data-field="status_label"]').inner_text() == "排队中"
    assert page.locator('[data-field="download"]').is_hidden()
    assert fits(page)
    worker_in_a_thread()
    page.locator('[data-field="download"]').wait_for(state="visible", timeout=10_000)
    assert page.locator('[data-field="status_label"]').inner_text() == "已完成"
    assert page.locator('[data-field="rows"]').inner_text() == "已写 5 / 5 行"
    assert page.locator('[data-field="percent"]').evaluate("el => el.value") == 100
    assert page.locator('[data-field="download_link"]').get_attribute("href") == f"/tasks/exports/{job.pk}/download/"
    assert fits(page)
    page.goto("/tasks/exports/")
    assert page.locator("td a", has_text="仪器共享指标").count() == 1
    assert fits(page)
    assert page.errors == []

    # Without script, on a desktop: the page refreshes itself until the file is there.
    page = new_page(browser, live_server, bob, width=1440, script=False)
    page.goto(EXPORT)
    second = ExportJob.objects.exclude(pk=job.pk).get()
    assert second.status == ExportStatus.QUEUED
    assert page.locator("text=排队中").count() == 1
    worker_in_a_thread()
    page.locator(f'a[href="/tasks/exports/{second.pk}/download/"]').wait_for(state="visible", timeout=10_000)
    assert "已完成" in page.content()
    assert fits(page)
    page.goto("/tasks/exports/")
    assert fits(page)
