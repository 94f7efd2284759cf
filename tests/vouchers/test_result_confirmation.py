"""Paying after the result (Policy.result_confirmation, Henan's 上传订单结果 → 用户确认结果无误即支付)
on the pages: the institution uploads the order result on the booking page, the enterprise
sees it on the pay page and confirms it in the payment; nothing is paid before; outsiders
can neither upload nor read the result. The flag is scheme data: here on a Ningxia-shaped
policy, in Henan's preset (tests/vouchers/test_province_schemes.py) through the API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.vouchers.test_pages import as_user, page
from vouchers import ledger
from vouchers.contracts import services
from vouchers.models import VoucherStatus, VoucherUse

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def voucher(alice, bob, olivia, cecilia, ivan_lab):
    factories.ningxia_policy(result_confirmation=True)
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        contract = services.contract_review(contract=contract, by=reviewer, approve=True)
    return contract.voucher


def test_the_enterprise_pays_only_after_confirming_the_uploaded_result(client, voucher, alice, ivan_lab, mallory):
    booking = voucher.contract.booking
    pay_url = reverse("vouchers:pay", args=[voucher.pk])
    as_user(client, alice)
    assert "服务机构尚未上传订单结果" in page(client.get(pay_url))
    refused = client.post(pay_url, {"idempotency_key": KEY, "result_confirmed": "on"})
    assert "上传订单结果后才能支付" in page(refused) and not VoucherUse.objects.exists()
    assert (
        client.post(
            reverse("catalog:booking_result", args=[booking.pk]), {"result": factories.pdf_upload()}
        ).status_code
        == 403
    )

    as_user(client, ivan_lab)
    booking_url = reverse("catalog:booking", args=[booking.pk])
    assert "上传订单结果" in page(client.get(booking_url))
    bad = client.post(reverse("catalog:booking_result", args=[booking.pk]), {"result": factories.fake_pdf_executable()})
    assert bad.status_code == 400
    booking.refresh_from_db()
    assert not booking.result
    done = client.post(
        reverse("catalog:booking_result", args=[booking.pk]), {"result": factories.pdf_upload("报告.pdf")}
    )
    assert done.status_code == 302

    as_user(client, mallory)
    assert client.get(reverse("catalog:booking_result_file", args=[booking.pk])).status_code == 404

    as_user(client, alice)
    body = page(client.get(pay_url))
    assert "查看服务机构上传的订单结果" in body and "确认无误" in body
    download = client.get(reverse("catalog:booking_result_file", args=[booking.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    unconfirmed = client.post(pay_url, {"idempotency_key": KEY})
    assert "确认无误后支付" in page(unconfirmed) and not VoucherUse.objects.exists()
    assert client.post(pay_url, {"idempotency_key": KEY, "result_confirmed": "on"}).status_code == 302
    use = VoucherUse.objects.get()
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.USED and use.result_confirmed_at is not None
    assert ledger.ledger_problems() == []


def test_where_the_scheme_rates_the_platform_the_use_page_asks_for_both_scores(
    client, alice, bob, olivia, cecilia, ivan_lab, mallory
):
    factories.ningxia_policy(platform_rating=True)
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        contract = services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = contract.voucher
    as_user(client, alice)
    assert client.post(reverse("vouchers:pay", args=[voucher.pk]), {"idempotency_key": KEY}).status_code == 302
    use_url, rate_url = reverse("vouchers:use", args=[voucher.pk]), reverse("vouchers:use_rate", args=[voucher.pk])
    assert "省平台服务评分" in page(client.get(use_url))
    missing = client.post(rate_url, {"score": "5", "comment": "很好"})
    assert missing.status_code == 400 and "省平台服务评分" in page(missing)
    assert VoucherUse.objects.get().rating is None
    as_user(client, mallory)
    assert client.post(rate_url, {"score": "1", "platform_score": "1"}).status_code in (403, 404)
    as_user(client, alice)
    done = client.post(rate_url, {"score": "5", "platform_score": "4", "comment": "很好"})
    assert done.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", page(done))
    rating = VoucherUse.objects.get().rating
    assert (rating.score, rating.platform_score) == (5, 4)
    assert "省平台服务 4 分" in page(client.get(use_url))
