"""Booking a slot by clicking the grid, in Debian's chromium, on a phone (390×844) and a
desktop (1440×900): the page is never wider than the screen, the clicked range fills the
form, and submitting it makes the booking. Without script, a free cell's link fills the form
and the same submit works. Screenshots go to artifacts/screenshots/booking-*.png
(gitignored), like the other browser tests'.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from catalog import services
from catalog.models import Booking, BookingStatus
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
# The first free cell whose next step (same day) is free too: the two clicks of a range.
FIND_RANGE = """() => {
  for (const td of document.querySelectorAll('table.slot-grid td[data-state="free"]')) {
    const next = document.querySelector(
      `table.slot-grid td[data-day="${td.dataset.day}"][data-row="${Number(td.dataset.row) + 1}"]`);
    if (next && next.dataset.state === "free") return [td.dataset.start, next.dataset.end];
  }
  return null;
}"""


@pytest.fixture
def world(ningxia, olivia):
    """A microscope open every day 08:00–20:00 (so some steps are free whatever the day and
    time the test runs), and Alice, a certified enterprise."""
    lab = factories.listed_institution(username="lab", name="贺兰山分析测试中心")
    sem = factories.approved_item(
        lab,
        name="场发射扫描电子显微镜",
        price=Decimal("300"),
        operator=olivia,
        open_weekdays=[1, 2, 3, 4, 5, 6, 7],
        open_from="08:00",
        open_until="20:00",
    )
    alice = factories.applicant_user(username="alice", adcode=640104)
    return {"sem": sem, "alice": alice, "lab": lab}


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    host = re.sub(r"^https?://([^:/]+).*$", r"\1", live_server.url)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"booking-{name}.png"), full_page=True)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_slot_is_booked_by_clicking_the_grid(page, watch, live_server, world, screen):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    log_in(page, live_server, world["alice"])
    sem = world["sem"]

    # The instrument page: the week's grid and the small map (boundaries, no tiles).
    page.goto(f"/catalog/instruments/{sem.pk}/")
    assert page.locator('table.slot-grid td[data-state="free"] a.slot').count() > 0
    assert page_width(page) <= viewport["width"]
    shoot(page, f"instrument-{screen}")

    page.goto(f"/catalog/instruments/{sem.pk}/book/")
    assert page_width(page) <= viewport["width"]
    start, end = page.evaluate(FIND_RANGE)
    page.click(f'table.slot-grid td[data-start="{start}"] a.slot')
    assert page.input_value("#id_starts_at") == start
    page.click(f'table.slot-grid td[data-end="{end}"] a.slot')  # extends the choice by one step
    assert page.input_value("#id_starts_at") == start and page.input_value("#id_ends_at") == end
    assert page.locator("table.slot-grid td.selected").count() == 2
    assert "已选" in page.text_content("#slot-choice")
    assert page_width(page) <= viewport["width"]
    shoot(page, f"grid-{screen}")

    # On a phone the button right under the grid (it submits the same form); on a desktop
    # the form's own.
    page.click(".slot-choice-bar button" if screen == "phone" else "#book-form button[type=submit]")
    page.wait_for_url(re.compile(r"/catalog/bookings/\d+/$"))
    booking = Booking.objects.get(enterprise=world["alice"].organisation)
    assert timezone.localtime(booking.starts_at).strftime("%Y-%m-%dT%H:%M") == start
    assert timezone.localtime(booking.ends_at).strftime("%Y-%m-%dT%H:%M") == end
    assert booking.status == BookingStatus.REQUESTED and booking.amount == Decimal("300.00")
    assert booking.number in page.text_content("h1")
    assert "下一步" in page.text_content("#next-step")
    assert page_width(page) <= viewport["width"]
    shoot(page, f"detail-{screen}")

    # The held slot is drawn busy once the institution accepts it.
    services.booking_answer(booking=booking, by=world["lab"], accept=True)
    page.goto(f"/catalog/instruments/{sem.pk}/book/")
    assert page.get_attribute(f'table.slot-grid td[data-start="{start}"]', "data-state") == "busy"

    # The institution's queue: the booking under 待处理, the page as wide as the screen.
    log_in(page, live_server, world["lab"])
    page.goto("/catalog/bookings/")
    assert booking.number in page.text_content("table.queue-open")
    assert page_width(page) <= viewport["width"]
    shoot(page, f"queue-{screen}")
    watch.assert_clean()


def test_without_script_a_cell_link_fills_the_form_on_a_phone(browser, live_server, world, offline_map):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS["phone"],
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        log_in(page, live_server, world["alice"])
        sem = world["sem"]
        page.goto(f"/catalog/instruments/{sem.pk}/book/")
        start = page.get_attribute('table.slot-grid td[data-state="free"]', "data-start")
        page.click(f'table.slot-grid td[data-start="{start}"] a.slot')
        assert page.input_value("#id_starts_at") == start
        assert page_width(page) <= VIEWPORTS["phone"]["width"]
        page.click("#book-form button[type=submit]")
        page.wait_for_url(re.compile(r"/catalog/bookings/\d+/$"))
        booking = Booking.objects.get(enterprise=world["alice"].organisation)
        assert timezone.localtime(booking.starts_at).strftime("%Y-%m-%dT%H:%M") == start
        assert booking.quantity == Decimal("0.50")  # one half-hour step
    finally:
        context.close()
