"""A county bureau's 申领上限 page in Debian's chromium on a phone (390×844) and a desktop
(1440×900): the fields name the higher level's figures, a cap above them is refused in the
field, and after saving the form comes back with the saved values. Never wider than the
screen. Screenshots: artifacts/screenshots/claim-caps-*.png."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_contract_browser import VIEWPORTS, assert_fits, log_in
from vouchers.policies.presets import install_preset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_county_bureau_tightens_its_caps_and_sees_them_saved(page, watch, live_server, ningxia, screen):
    install_preset(key="zhejiang", year=timezone.localdate().year)
    bureau = factories.bureau_user(username="bob", adcode=640104)
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    log_in(page, live_server, bureau)
    page.goto("/vouchers/claims/caps/")
    assert "留空沿用全省上限 200,000.00 元" in page.inner_text("body")
    assert_fits(page, viewport)
    page.fill("#id_claim_year_cap", "250000")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    assert "不能高于全省上限 200,000.00 元" in page.inner_text("body")
    assert_fits(page, viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"claim-caps-{screen}-refused.png"), full_page=True)
    watch.errors = [e for e in watch.errors if "status of 400" not in e]  # the refusal is a 400 page
    page.fill("#id_claim_year_cap", "80000")
    page.fill("#id_claim_each_cap", "10000")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#id_claim_year_cap") == "80000.00"
    assert page.input_value("#id_claim_each_cap") == "10000.00"
    assert page.input_value("#id_holding_cap") == ""
    assert "兴庆区科技局" in page.inner_text("body")
    assert_fits(page, viewport)
    page.screenshot(path=str(SCREENSHOTS / f"claim-caps-{screen}-saved.png"), full_page=True)
    watch.assert_clean()
