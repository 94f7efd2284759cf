"""Zhejiang's 使用登记 page in Debian's chromium on a phone (390×844) and a desktop (1440×900):
choose the provider (its services load in place), fill the form, upload the three files, tick
the promise, submit; the new use's page opens with its next step. The page is never wider than the screen.
Screenshots: artifacts/screenshots/use-registration-*.png."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_contract_browser import VIEWPORTS, assert_fits, log_in
from vouchers.entitlements import services as entitlements
from vouchers.models import VoucherUse
from vouchers.policies.presets import install_preset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(ningxia, olivia, tmp_path):
    install_preset(key="zhejiang", year=timezone.localdate().year)
    lab = factories.listed_institution(username="ivan_lab", name="贺兰山分析测试中心", lng=106.1325, lat=38.5004)
    factories.approved_item(lab, kind="service", name="材料成分全分析", price="20000")
    alice = factories.applicant_user(username="alice", adcode=640104)
    entitlements.claim_amount(by=alice, amount="50000")
    pdf = tmp_path / "file.pdf"
    pdf.write_bytes(factories.pdf_upload().read())
    return {"alice": alice, "lab": lab.organisation.institution, "pdf": pdf}


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_use_is_registered_in_one_form(page, watch, live_server, world, screen):
    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    log_in(page, live_server, world["alice"])
    page.goto("/vouchers/uses/")
    assert_fits(page, viewport)
    page.select_option("#pick-institution-select", str(world["lab"].pk))
    page.locator("#id_service option").nth(1).wait_for(state="attached")
    page.select_option("#id_service", index=1)
    page.select_option("#id_category", "检验检测")
    page.fill("#id_title", "材料成分分析技术服务合同")
    page.fill("#id_amount", "40000")
    today = timezone.localdate().isoformat()
    page.fill("#id_signed_on", today)
    page.fill("#id_completed_on", today)
    page.check("input[name=payee_choice][value=institution]")
    for name in ("contract_file", "invoice_file", "result_file"):
        page.set_input_files(f"input[name={name}]", str(world["pdf"]))
    page.check("#id_promise")
    assert_fits(page, viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"use-registration-{screen}-form.png"), full_page=True)
    with page.expect_navigation():
        page.click("form.use-registration-form button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("body")
    assert "使用登记已提交" in text and "材料成分分析技术服务合同" in text, text[:500]
    assert "/use/" in page.url and "下一步：载体兑付，由服务方" in text, text[:500]
    assert_fits(page, viewport)
    page.screenshot(path=str(SCREENSHOTS / f"use-registration-{screen}-done.png"), full_page=True)
    assert VoucherUse.objects.get().payee_choice == "institution"
    watch.assert_clean()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_completed_booking_is_registered_from_its_next_step_link(page, watch, live_server, world, screen):
    from decimal import Decimal

    from catalog import services as catalog
    from catalog.models import Service

    viewport = VIEWPORTS[screen]
    page.set_viewport_size(viewport)
    lab_user = world["lab"].organisation.users.get()
    booking = catalog.booking_request_quantity(item=Service.objects.get(), by=world["alice"], quantity=Decimal("2"))
    booking = catalog.booking_answer(booking=booking, by=lab_user, accept=True)
    booking = catalog.booking_start(booking=booking, by=lab_user)
    booking = catalog.booking_complete(booking=booking, by=lab_user)
    log_in(page, live_server, world["alice"])
    page.goto(f"/catalog/bookings/{booking.pk}/")
    with page.expect_navigation():
        page.click("a.button:has-text('创新券使用登记')")
    assert f"booking={booking.pk}" in page.url
    assert page.input_value("#id_booking") == str(booking.pk) and page.input_value("#id_amount") == "40000.00"
    assert_fits(page, viewport)
    page.check("input[name=payee_choice][value=enterprise]")
    for name in ("contract_file", "invoice_file", "result_file"):
        page.set_input_files(f"input[name={name}]", str(world["pdf"]))
    page.check("#id_promise")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"use-registration-{screen}-booking.png"), full_page=True)
    with page.expect_navigation():
        page.click("form.use-registration-form button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("body")
    assert "使用登记已提交" in text and booking.number in text, text[:500]
    assert "下一步：等待服务方" in text, text[:500]
    assert_fits(page, viewport)
    assert VoucherUse.objects.get().voucher.contract.booking_id == booking.pk
    watch.assert_clean()
