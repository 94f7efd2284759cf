"""The pay page of a voucher with a county top-up in Debian's chromium, on a phone (390×844)
and a desktop (1440×900): the summary with the top-up's note fits the screen (the walk-through
found it 393–423 px wide on a phone, the amounts cut off), and a voucher whose service is not
done yet says why instead of offering the step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.test_contract_browser import VIEWPORTS, assert_fits, log_in
from vouchers.contracts import services
from vouchers.models import Policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def issue(alice, lab, reviewers, *, served: bool):
    contract = factories.ready_contract(alice, lab, price="123456.78", quantity="2", served=served)
    services.contract_submit(contract=contract, by=alice)
    for reviewer in reviewers:
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    return contract.voucher


@pytest.fixture
def world(ningxia, alice, bob, olivia, cecilia, ivan_lab):
    year = timezone.localdate().year
    factories.ningxia_policy()
    Policy.objects.create(name="兴庆区配套", year=year, region_id=640104, county_topup_rate=Decimal("0.10"))
    reviewers = (bob, olivia, cecilia)
    return {
        "alice": alice,
        "done": issue(alice, ivan_lab, reviewers, served=True),
        "waiting": issue(alice, ivan_lab, reviewers, served=False),
    }


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_pay_summary_fits_and_a_waiting_voucher_says_why(page, watch, live_server, world, screen):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    log_in(page, live_server, world["alice"])
    done = world["done"]
    assert done.county_topup > 0
    page.goto(f"/vouchers/{done.pk}/pay/")
    assert "含区县配套" in page.inner_text(".pay-summary")
    assert_fits(page, viewport)
    waiting = world["waiting"]
    page.goto(f"/vouchers/{waiting.pk}/")
    text = page.inner_text("body")
    assert "暂不能用券支付" in text and "服务完成" in text
    assert page.locator(f'a[href="/vouchers/{waiting.pk}/pay/"]').count() == 0
    assert_fits(page, viewport)
    watch.assert_clean()
