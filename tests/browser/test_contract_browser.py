"""Submitting a contract without the stamped scan, in Debian's chromium, on a phone (390×844)
and a desktop (1440×900).

The submit button is disabled (with its reasons beside it) until the scan is in. A submit
that gets through anyway (a tab opened before the scan was removed, a form posted by hand)
is refused, and the refusal is inside the viewport when the page has loaded — not 2,000 px
further down under a green pre-check. The page is never wider than the screen. Screenshots
go to artifacts/screenshots/contract-*.png (gitignored), like the other browser tests'.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests import factories
from tests.browser.conftest import SCREENSHOTS
from vouchers.contracts import services
from vouchers.models import Contract, ContractStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
# The element's box lies inside the visible part of the window.
IN_VIEWPORT = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""


@pytest.fixture
def world(ningxia, olivia, tmp_path):
    """Alice's draft contract from a booking at Ivan's lab: the pledge signed, no scan yet."""
    factories.ningxia_policy()
    lab = factories.listed_institution(username="ivan_lab", name="贺兰山分析测试中心", lng=106.1325, lat=38.5004)
    alice = factories.applicant_user(username="alice", adcode=640104)
    booking = factories.accepted_booking(alice, lab, price="20000", quantity="2")
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    contract = services.contract_accept_pledge(contract=contract, by=alice)
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(factories.pdf_upload("signed.pdf").read())
    return {"alice": alice, "contract": contract, "scan": scan, "lab": lab}


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    host = re.sub(r"^https?://([^:/]+).*$", r"\1", live_server.url)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )


def assert_fits(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide on a {viewport['width']} px screen"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"contract-{name}.png"))


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_submit_without_the_scan_is_refused_in_sight_and_the_button_waits_for_the_scan(
    page, watch, live_server, world, screen
):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    log_in(page, live_server, world["alice"])
    contract = world["contract"]

    page.goto(f"/vouchers/contracts/{contract.pk}/")
    assert_fits(page, viewport)
    assert page.evaluate(IN_VIEWPORT, "#next-step"), "the next step is named on the first screen"
    assert "须上传盖章后的合同扫描件" in page.inner_text("#next-step")
    submit = page.locator("#step-submit button[type=submit]")
    assert submit.is_disabled()
    assert "须上传盖章后的合同扫描件" in page.inner_text("#submit-blockers")
    assert "必备条件全部通过" not in page.inner_text("#precheck")
    shoot(page, f"{screen}-before")

    # The form posted anyway (as from a tab opened before the button was disabled).
    with page.expect_navigation():
        page.evaluate("document.querySelector('#step-submit form').submit()")
    page.wait_for_load_state()
    assert page.evaluate(IN_VIEWPORT, "#submit-errors"), "the refusal is on screen after the page loads"
    assert "须上传盖章后的合同扫描件" in page.inner_text("#submit-errors")
    # The browser went to the step's anchor (the form's action), not to the top of the page.
    assert page.evaluate("document.querySelector(':target').id") == "step-submit"
    assert page.locator("#step-submit button[type=submit]").is_disabled()
    assert_fits(page, viewport)
    shoot(page, f"{screen}-refused")
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT

    # Upload the scan on the same page: the button is enabled and the submit goes through.
    page.set_input_files("#step-scan input[type=file]", str(world["scan"]))
    with page.expect_navigation():
        page.click("#step-scan button[type=submit]")
    page.wait_for_load_state()
    submit = page.locator("#step-submit button[type=submit]")
    assert submit.is_enabled()
    assert page.locator("#submit-blockers").count() == 0
    assert "可以提交审核" in page.inner_text("#precheck")
    assert_fits(page, viewport)
    shoot(page, f"{screen}-ready")
    submit.scroll_into_view_if_needed()
    with page.expect_navigation():
        submit.click()
    page.wait_for_load_state()
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.AT_BUREAU
    assert "等待推荐部门审核" in page.inner_text("#next-step")
    assert_fits(page, viewport)
    # The refused submit answers 400 on purpose; chromium logs that status as a console error.
    watch.errors = [e for e in watch.errors if "status of 400" not in e]
    watch.assert_clean()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_choosing_an_institution_lists_its_services_without_leaving_the_form(page, watch, live_server, world, screen):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    factories.approved_item(world["lab"], kind="service", name="水质全分析（地表水 109 项指标全项检测）")
    lab = world["lab"].organisation.institution
    log_in(page, live_server, world["alice"])

    page.goto("/vouchers/contracts/new/")
    assert page.locator("#id_service option").count() == 1  # only the empty choice
    assert page.locator("#pick-institution button[data-no-script]").is_hidden()
    page.fill("#id_title", "水质检测")  # typed before choosing: kept
    page.select_option("#pick-institution-select", str(lab.pk))
    page.locator("#id_service option").nth(1).wait_for(state="attached")
    assert "水质全分析" in page.inner_text("#id_service")
    assert page.input_value("#id_title") == "水质检测"
    assert page.input_value("form.contract-form input[name=institution]") == str(lab.pk)
    assert_fits(page, viewport)
    shoot(page, f"{screen}-offline-form")
    watch.assert_clean()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_reviewer_and_the_centre_pages_fit_the_screen(page, watch, live_server, world, screen):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    contract, alice = world["contract"], world["alice"]
    services.contract_upload_scan(contract=contract, by=alice, upload=factories.pdf_upload("signed.pdf"))
    services.contract_submit(contract=contract, by=alice)
    bob = factories.bureau_user(username="bob", adcode=640104)
    cecilia = factories.staff_user(username="cecilia", kind="centre")
    policy = Contract.objects.get(pk=contract.pk).policy

    log_in(page, live_server, bob)
    page.goto(f"/vouchers/contracts/{contract.pk}/")
    assert page.evaluate(IN_VIEWPORT, "#next-step")
    assert "轮到您审核本合同" in page.inner_text("#next-step")
    assert page.locator("#review").count() == 1 and page.locator("#step-submit").count() == 0
    assert_fits(page, viewport)
    shoot(page, f"{screen}-bureau-review")

    page.context.clear_cookies()
    log_in(page, live_server, cecilia)
    for url in ("/vouchers/policies/", f"/vouchers/policies/{policy.pk}/"):
        page.goto(url)
        assert_fits(page, viewport)
    assert page.locator("input[name=quota_default]").count() == 1
    shoot(page, f"{screen}-policy-edit")
    watch.assert_clean()


def test_without_script_the_picker_lists_the_services_by_reloading(browser, live_server, offline_map, world):
    factories.approved_item(world["lab"], kind="service", name="水质全分析")
    lab = world["lab"].organisation.institution
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=VIEWPORTS["phone"], locale="zh-CN"
    )
    try:
        page = context.new_page()
        log_in(page, live_server, world["alice"])
        page.goto("/vouchers/contracts/new/")
        assert page.locator("#id_service option").count() == 1
        page.select_option("#pick-institution-select", str(lab.pk))
        with page.expect_navigation():
            page.click("#pick-institution button[data-no-script]")
        assert page.url.endswith(f"?institution={lab.pk}")
        assert "水质全分析" in page.inner_text("#id_service")
        assert page.input_value("form.contract-form input[name=institution]") == str(lab.pk)
        assert_fits(page, VIEWPORTS["phone"])
    finally:
        context.close()
