"""Jiangsu's application pages in Debian's chromium, on a phone (390×844) and a desktop
(1440×900): the wallet's application form with the type's evidence, the 待上传 row with
下载申领表 / 上传申领表, and the booking form's 是否使用创新券 switch are never wider than the
screen. Screenshots go to artifacts/screenshots/application-*.png (gitignored).
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_booking_browser import VIEWPORTS, log_in, page_width
from vouchers.policies.presets import install_preset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(ningxia, olivia):
    from django.utils import timezone

    install_preset(key="jiangsu", year=timezone.localdate().year)
    lab = factories.listed_institution(username="lab", name="江苏省产品质量监督检验研究院")
    service = factories.approved_item(lab, kind="service", name="材料成分全分析", operator=olivia)
    filling = factories.applicant_user(username="filling", adcode=640104, qualification="incubated")
    waiting = factories.applicant_user(username="waiting", adcode=640104, qualification="high_tech")
    factories.jiangsu_application(waiting, "high_tech", stamped=False)
    return {"filling": filling, "waiting": waiting, "service": service}


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"application-{name}.png"), full_page=True)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_application_and_the_switch_fit_the_screen(page, live_server, world, screen):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    log_in(page, live_server, world["filling"])
    page.goto(f"{live_server.url}/vouchers/wallet/")
    assert page.locator("text=上年度营业收入（万元）").count() == 1
    assert page_width(page) <= viewport["width"]
    shoot(page, f"form-{screen}")
    page.goto(f"{live_server.url}/catalog/services/{world['service'].pk}/book/")
    assert page.locator("text=不使用创新券").count() >= 1
    assert page_width(page) <= viewport["width"]

    page.context.clear_cookies()
    log_in(page, live_server, world["waiting"])
    page.goto(f"{live_server.url}/vouchers/wallet/")
    assert page.locator("text=下载申领表").count() >= 1 and page.locator("button:has-text('上传申领表')").count() == 1
    assert page_width(page) <= viewport["width"]
    shoot(page, f"upload-{screen}")
