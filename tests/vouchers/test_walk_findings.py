"""What the fourth walk-through of the provinces found on the order form and the use pages
(issue #12): the order form names the scheme's payee (Henan and Zhejiang users were told the
money goes to the enterprise's account) and warns when the service is expected to end after
the voucher's validity (Jiangsu: a December order for a 40-day service); the pay and use pages
of a voucher paid in full do not speak of a deduction; the proof upload offers every kind the
API takes (Jiangsu's 合同、研发活动证明、其他)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.vouchers.test_ningxia_scenario import login
from tests.vouchers.test_province_schemes import publish

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offer_box(html: str) -> str:
    assert 'id="voucher-offer"' in html, "the order form shows no voucher figures"
    return html.split('id="voucher-offer"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    "scheme, says, never",
    [
        ("jiangsu", "拨付至企业账户", "由服务机构凭券"),
        ("henan", "由服务机构凭券向平台申请兑付", "拨付至企业账户"),
        ("zhejiang", "载体兑付（创新券抵扣服务费用，由服务方申请兑付）或企业兑付", "拨付至企业账户"),
    ],
)
def test_the_order_form_names_the_schemes_payee(scheme, says, never, ningxia, clock, cecilia, olivia, ivan_lab, alice):
    publish(login("cecilia"), scheme)
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    box = offer_box(page(alice).get(reverse("catalog:book_service", args=[service.pk])).content.decode())
    assert says in box and never not in box


def test_the_order_form_warns_when_the_service_ends_after_the_vouchers_validity(
    ningxia, clock, cecilia, olivia, ivan_lab, alice
):
    publish(login("cecilia"), "jiangsu")  # vouchers valid to the year's end
    url = lambda item: reverse("catalog:book_service", args=[item.pk])  # noqa: E731
    quick = factories.approved_item(ivan_lab, kind="service", operator=olivia, cycle_days=7)
    assert "offer-late" not in offer_box(page(alice).get(url(quick)).content.decode())
    slow = factories.approved_item(ivan_lab, kind="service", operator=olivia, name="长周期研发服务", cycle_days=400)
    box = offer_box(page(alice).get(url(slow)).content.decode())
    assert "offer-late" in box and "晚于创新券有效期（至 2026-12-31）" in box and "不使用创新券" in box


def test_a_voucher_paid_in_full_is_not_called_a_deduction_and_every_proof_kind_is_offered(issued, alice, api_as):
    policy = issued.contract.policy
    policy.payee_rule = "enterprise"  # Jiangsu: the enterprise pays in full and redeems
    policy.proof_review = False
    policy.save()
    pay_page = page(alice).get(reverse("vouchers:pay", args=[issued.pk])).content.decode()
    assert "<h1>支付服务费" in pay_page and "确认支付" in pay_page and "确认用券支付" not in pay_page
    paid = api_as(alice).post(f"/api/vouchers/{issued.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="walk-pay-01")
    assert paid.status_code == 201, paid.content.decode()
    assert paid.json()["cash_paid"] == "40000.00"
    html = page(alice).get(reverse("vouchers:use", args=[issued.pk])).content.decode()
    assert "<dt>创新券金额</dt>" in html and "未抵扣服务费，由企业申请兑付" in html
    assert "<dt>创新券抵扣</dt>" not in html
    kinds = html.split('name="kind"')[1].split("</select>")[0]
    for label in ("发票", "银行回单", "结果证明", "合同（企业自有）", "研发活动证明", "其他"):
        assert label in kinds
    assert kinds.index("发票") < kinds.index("研发活动证明")  # what the scheme asks for comes first
    assert "合同、研发活动证明等其他材料可一并上传" in html


def test_a_deducted_voucher_still_shows_the_deduction(issued, alice, api_as):
    paid = api_as(alice).post(f"/api/vouchers/{issued.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="walk-pay-02")
    assert paid.status_code == 201, paid.content.decode()
    html = page(alice).get(reverse("vouchers:use", args=[issued.pk])).content.decode()
    assert "<dt>创新券抵扣</dt>" in html and "未抵扣服务费" not in html


def test_the_order_page_leads_the_holder_to_pay_once_the_voucher_is_issued(issued, alice, bob):
    """Henan's walk-through: after the voucher was issued the order page only linked to the
    voucher; paying took two more clicks."""
    contract_url = reverse("vouchers:contract", args=[issued.contract_id])
    step = page(alice).get(contract_url).content.decode().split('id="next-step"')[1].split("</p>")[0]
    assert "可以用券支付" in step and reverse("vouchers:pay", args=[issued.pk]) in step
    step = page(bob).get(contract_url).content.decode().split('id="next-step"')[1].split("</p>")[0]
    assert "用券支付" not in step and reverse("vouchers:detail", args=[issued.pk]) in step


def test_the_order_page_names_the_voucher_state_in_the_schemes_words(issued, alice):
    policy = issued.contract.policy
    policy.voucher_labels = {"issued": "未支付", "used": "已支付", "redeeming": "已支付", "redeemed": "兑付成功"}
    policy.save()
    html = page(alice).get(reverse("vouchers:contract", args=[issued.contract_id])).content.decode()
    assert f"{issued.number}</a>（未支付，有效期至" in html


@pytest.mark.parametrize(
    "scheme, step, origin, reviewed",
    [
        ("jiangsu", "已受理、可使用创新券的预约", "每份提交的创新券订单对应一张电子创新券", False),
        ("henan", "可提交创新券订单的预约", "每份审核通过的创新券订单对应一张电子创新券", True),
        ("zhejiang", None, "每次创新券使用登记生成一张电子创新券", False),
    ],
)
def test_the_home_and_voucher_list_speak_the_schemes_words(
    scheme, step, origin, reviewed, ningxia, clock, cecilia, alice
):
    """Jiangsu's and Zhejiang's walk-through: the home listed contracts in review and
    returned contracts that their schemes never have, and the voucher list spoke of
    reviewed service contracts."""
    publish(login("cecilia"), scheme)
    home = page(alice).get("/").content.decode()
    assert ("审核中的订单" in home and "被退回待修改的订单" in home) is reviewed
    assert reviewed or ("审核中的" not in home and "被退回待修改的" not in home)
    assert "可申领创新券的预约" not in home
    if step:
        assert step in home
    listed = page(alice).get(reverse("vouchers:list")).content.decode()
    assert origin in listed and "审定通过的服务合同" not in listed


def test_ningxia_home_keeps_its_contract_words(policy, alice):
    home = page(alice).get("/").content.decode()
    assert "审核中的合同" in home and "被退回待修改的合同" in home and "已受理、可申领创新券的预约" in home
    assert "每份审核通过的创新券合同对应一张电子创新券" in page(alice).get(reverse("vouchers:list")).content.decode()
