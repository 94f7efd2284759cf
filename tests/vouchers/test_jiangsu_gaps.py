"""Jiangsu as a new user meets it (issue #12 walk-through, seeds/003):

- the order form shows the entitlement left (创新券余额 / 额度剩余) and the proposed voucher
  (拟兑付创新券金额: 35 % of the order, capped by what is left) — seed lines 440–470;
- an individual user (个人用户注册) is told the yearly application is the enterprise's form
  (科小、高企、在孵企业、人才企业, seed lines 60–70) instead of being offered it;
- the revenue limit (上年度营业收入不高于4亿元) is the policy's, edited by the centre.

Personas: ``zhongshan`` an enterprise in 兴庆区; Mallory another enterprise; ``ivan_lab`` the
institution; Cecilia the centre.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import OrgKind
from catalog.models import Booking
from tests import factories
from tests.vouchers.test_jiangsu_application import applicant, filled, stamped
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import (
    XINGQING,
    YEAR,
    booked,
    complete,
    order,
    service_of,
    voucher_of,
    wallet,
)
from vouchers.models import ClaimEvent, EntitlementClaim, Policy

pytestmark = pytest.mark.django_db


def page(username: str) -> Client:
    client = Client()
    client.login(username=username, password=factories.PASSWORD)
    return client


def granted(username: str = "zhongshan") -> None:
    """A 科小 through both steps of the application: 100,000 yuan granted at once."""
    enterprise = applicant("tech_sme", username)
    claim = ok(enterprise.post("/api/claims/", filled("tech_sme"), format="multipart"), 201)
    path = f"/api/claims/{claim['id']}/"
    assert enterprise.get(path + "form/").status_code == 200
    assert ok(enterprise.post(path + "stamped-form/", stamped(), format="multipart"))["status"] == "granted"


def offer_box(html: str) -> str:
    assert 'id="voucher-offer"' in html, "the order form shows no voucher figures"
    return html.split('id="voucher-offer"')[1].split("</section>")[0]


# --- 1. The order form's 额度剩余 and 拟兑付创新券金额 ----------------------------------------------


def test_the_order_form_shows_the_entitlement_left_and_the_proposed_voucher(jiangsu, olivia, ivan_lab):
    granted()
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)  # 800 元/样品
    client = page("zhongshan")
    url = reverse("catalog:book_service", args=[service.pk])
    box = offer_box(client.get(url).content.decode())
    assert "额度剩余" in box and "100,000.00 元" in box and f"{YEAR} 年度" in box
    assert "拟兑付创新券金额" in box and "280.00 元" in box  # 35 % of one sample at 800
    assert (
        'data-rate="0.3500"' in box
        and 'data-remaining="100000.00"' in box
        and "voucher_offer.js" in (client.get(url).content.decode())
    )

    # A refused POST shows the figures for the quantity entered: 1,000 samples would be
    # 280,000 yuan of voucher, capped by the 100,000 left; nothing is booked.
    refused = client.post(url, {"quantity": "1000", "note": "", "use_voucher": "maybe"})
    assert refused.status_code == 400
    box = offer_box(refused.content.decode())
    assert "800,000.00 元" in box and "<strong>100,000.00 元</strong>" in box.split("拟兑付创新券金额")[1]
    assert not Booking.objects.filter(service=service).exists()


def test_an_applicant_without_a_granted_entitlement_is_told_to_apply_first(jiangsu, olivia, ivan_lab):
    applicant("tech_sme")
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    box = offer_box(page("zhongshan").get(reverse("catalog:book_service", args=[service.pk])).content.decode())
    assert "0.00 元" in box and "请先在“我的额度”中申领" in box and reverse("vouchers:wallet") in box


def test_no_voucher_figures_for_outsiders_other_schemes_or_plain_items(jiangsu, olivia, ivan_lab):
    granted()
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    plain = factories.approved_item(ivan_lab, kind="service", name="常规检测", voucher_eligible=False, operator=olivia)
    url = reverse("catalog:book_service", args=[service.pk])
    # The institution may not book: it sees the refusal, and no one's entitlement.
    lab_page = page("ivan_lab").get(url)
    assert lab_page.status_code == 403 and 'id="voucher-offer"' not in lab_page.content.decode()
    # An item the voucher does not cover has no switch and no figures.
    plain_page = page("zhongshan").get(reverse("catalog:book_service", args=[plain.pk])).content.decode()
    assert 'id="voucher-offer"' not in plain_page
    # Ningxia's contract scheme proposes its voucher on the contract, not on the order form.
    Policy.objects.filter(year=YEAR, region__isnull=True).update(model="contract", entitlement="none")
    assert 'id="voucher-offer"' not in page("zhongshan").get(url).content.decode()


# --- 2. An individual is not offered the enterprise's application ------------------------------


def test_an_individual_is_told_why_it_cannot_apply_and_nothing_is_kept(jiangsu, olivia, ivan_lab):
    factories.applicant_user(username="geren", adcode=XINGQING, kind=OrgKind.INDIVIDUAL, credit_code="")
    person = login("geren")
    shown = wallet(person)
    assert "只面向本省企业" in shown["refusal"] and shown["still_claimable"] == "0.00"
    refused = person.post("/api/claims/", filled("tech_sme"), format="multipart")
    assert refused.status_code == 403 and "企业申领创新券信息表" in refused.json()["detail"]
    assert not EntitlementClaim.objects.exists() and not ClaimEvent.objects.exists()

    client = page("geren")
    wallet_page = client.get(reverse("vouchers:wallet")).content.decode()
    assert "不能申请额度" in wallet_page and "上年度营业收入（万元）" not in wallet_page
    posted = client.post(reverse("vouchers:wallet_claim"), filled("tech_sme"))
    assert posted.status_code == 403 and "不能申请额度" in posted.content.decode()
    assert not EntitlementClaim.objects.exists()

    # The order form says the same beside the voucher switch, which starts at 不使用创新券
    # (no voucher figures: there is nothing to offer).
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    form = client.get(reverse("catalog:book_service", args=[service.pk])).content.decode()
    assert "不使用创新券" in form and "只面向本省企业" in form and 'id="voucher-offer"' not in form


def test_an_enterprise_still_applies_and_an_outsider_role_is_refused(jiangsu, ivan_lab):
    enterprise = applicant("tech_sme")
    assert wallet(enterprise)["refusal"] == ""
    assert ok(enterprise.post("/api/claims/", filled("tech_sme"), format="multipart"), 201)["status"] == "to_upload"
    institution = login("ivan_lab")
    refused = institution.post("/api/claims/", filled("tech_sme"), format="multipart")
    assert refused.status_code == 403 and EntitlementClaim.objects.count() == 1
    assert institution.get("/api/wallet/").status_code == 403


# --- 3. The revenue limit is the policy's ------------------------------------------------------


def test_the_revenue_limit_is_read_from_the_policy_the_centre_edits(jiangsu, mallory):
    policy = Policy.objects.get(year=YEAR, region__isnull=True)
    assert policy.revenue_limit == Decimal("40000")
    enterprise = applicant("high_tech")
    wallet_page = page("zhongshan").get(reverse("vouchers:wallet")).content.decode()
    assert "不超过 40,000 万元（4 亿元）" in wallet_page

    over = enterprise.post("/api/claims/", filled("high_tech", revenue="45000"), format="multipart")
    assert over.status_code == 400 and "超过 40,000 万元（4 亿元）" in over.json()["revenue"][0]
    assert not EntitlementClaim.objects.exists()

    # Only the centre changes it: another enterprise is refused and nothing changes.
    path = f"/api/policies/{policy.pk}/"
    assert login("mallory").patch(path, {"revenue_limit": None}, format="json").status_code == 403
    policy.refresh_from_db()
    assert policy.revenue_limit == Decimal("40000")
    negative = login("cecilia").patch(path, {"revenue_limit": "-1"}, format="json")
    assert negative.status_code == 400
    assert ok(login("cecilia").patch(path, {"revenue_limit": "50000"}, format="json"))["revenue_limit"] == "50000.00"
    assert "不超过 50,000 万元（5 亿元）" in page("zhongshan").get(reverse("vouchers:wallet")).content.decode()
    assert ok(enterprise.post("/api/claims/", filled("high_tech", revenue="45000"), format="multipart"), 201)


def test_no_revenue_limit_means_none_is_checked(jiangsu):
    ok(
        login("cecilia").patch(
            f"/api/policies/{Policy.objects.get(year=YEAR).pk}/", {"revenue_limit": None}, format="json"
        )
    )
    enterprise = applicant("high_tech")
    assert ok(enterprise.post("/api/claims/", filled("high_tech", revenue="900000"), format="multipart"), 201)
    assert "营业收入不超过" not in page("zhongshan").get(reverse("vouchers:wallet")).content.decode()


def test_the_policy_page_edits_the_revenue_limit(jiangsu):
    policy = Policy.objects.get(year=YEAR, region__isnull=True)
    html = page("cecilia").get(reverse("vouchers:policy_edit", args=[policy.pk])).content.decode()
    assert "申请方上年度营业收入上限（万元）" in html and 'name="revenue_limit"' in html and 'value="40000.00"' in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_jiangsu_records_at_4_yi(ningxia):
    before, after = [("vouchers", "0022_proof_review")], [("vouchers", "0023_policy_revenue_limit")]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("vouchers", "Policy")
    jiangsu = old.objects.create(year=2030, name="江苏", model="quota", entitlement="application", contract_review=[])
    ningxia_record = old.objects.create(year=2031, name="宁夏")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("vouchers", "Policy")
    assert new.objects.get(pk=jiangsu.pk).revenue_limit == Decimal("40000")
    assert new.objects.get(pk=ningxia_record.pk).revenue_limit is None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)


# --- 4. What the printed form takes from the record, and the founding date it asks for ---------


def test_the_application_shows_the_record_it_prints_and_asks_the_founding_date(jiangsu, mallory):
    factories.applicant_user(
        username="zhongshan", adcode=XINGQING, qualification="tech_sme", legal_representative="钟山"
    )
    client = page("zhongshan")
    html = client.get(reverse("vouchers:wallet")).content.decode()
    record = html.split('class="facts org-record"')[1].split("</dl>")[0]
    assert "zhongshan科技有限公司" in record and "钟山" in record and "解放东街1号" in record
    assert "未填写" not in record.split("联系人")[0]
    assert reverse("accounts:me") in html and "注册成立时间" in html
    # Another enterprise's page shows its own record, never this one's.
    assert "钟山" not in page("mallory").get(reverse("vouchers:wallet")).content.decode()

    api = login("zhongshan")
    for founded, words in (("", "请填写注册成立时间"), (f"{YEAR + 1}-01-01", "不能晚于今天")):
        refused = api.post("/api/claims/", filled("tech_sme", founded_on=founded), format="multipart")
        assert refused.status_code == 400 and words in refused.json()["founded_on"][0]
    missing = client.post(reverse("vouchers:wallet_claim"), filled("tech_sme", founded_on=""))
    assert missing.status_code == 400 and not EntitlementClaim.objects.exists()

    claim = ok(api.post("/api/claims/", filled("tech_sme"), format="multipart"), 201)
    assert claim["form"]["founded_on"] == "2015-06-18"
    from vouchers.entitlements.documents import render_application_html

    printed = render_application_html(EntitlementClaim.objects.get(pk=claim["id"]))
    assert "注册成立时间" in printed and "2015-06-18" in printed and "钟山" in printed


# --- The order's words, its status and the full payment (walk 5, finding 6) --------------------


def next_step(html: str) -> str:
    assert 'id="next-step"' in html, "no next step on the page"
    return html.split('id="next-step"')[1].split("</section>")[0]


def test_the_order_is_named_an_order_issued_on_submission_and_paid_in_full(jiangsu, olivia, ivan_lab, mallory):
    """The booking's step opens a 创新券订单 (not a 服务合同 draft); the submitted order says
    it was submitted (nothing reviewed it: 已提交（已生成创新券）) on its page, its history and
    the API; its next step is the full payment the pay page names, 支付服务费."""
    granted()
    lab, operator, enterprise = login("ivan_lab"), login("olivia"), login("zhongshan")
    booking = booked(enterprise, lab, service_of(lab, operator))
    step = next_step(page("zhongshan").get(reverse("catalog:booking", args=[booking])).content.decode())
    assert "生成创新券订单草稿" in step and "服务合同草稿" not in step
    assert "voucher-prerequisite" not in step and "本年度方案如要求" not in step  # the application is granted

    path = order(enterprise, booking)
    assert ok(enterprise.post(path + "submit/"))["status_label"] == "已提交（已生成创新券）"
    cid = int(path.rstrip("/").rsplit("/", 1)[1])
    url = reverse("vouchers:contract", args=[cid])
    html = page("zhongshan").get(url).content.decode()
    assert "已提交（已生成创新券）" in html and "已审定" not in html
    listing = page("zhongshan").get(reverse("vouchers:contracts")).content.decode()
    assert "已提交（已生成创新券）" in listing and "已审定" not in listing
    voucher = voucher_of(enterprise, path)
    complete(lab, booking)
    step = next_step(page("zhongshan").get(url).content.decode())
    pay_url = reverse("vouchers:pay", args=[voucher["id"]])
    assert "可以支付服务费" in step and f'href="{pay_url}"' in step and ">支付服务费<" in step
    assert "用券支付" not in step
    pay_page = page("zhongshan").get(pay_url).content.decode()
    assert "<h1>支付服务费" in pay_page and "不会重复支付" in pay_page and "扣券" not in pay_page
    detail = page("zhongshan").get(reverse("vouchers:detail", args=[voucher["id"]])).content.decode()
    assert ">支付服务费</a>" in detail and "用券支付" not in detail
    # The institution and another enterprise are not led to pay; the outsider sees nothing.
    assert f'href="{pay_url}"' not in page("ivan_lab").get(url).content.decode()
    assert page("mallory").get(url).status_code == 404
    assert page("mallory").get(pay_url).status_code == 404


def test_the_booking_step_names_what_the_application_still_lacks(jiangsu, olivia, ivan_lab):
    """Walk 5, finding 8: no hedge naming every scheme's requirement — Jiangsu's enterprise
    without a granted application is told to apply, then to upload the stamped form."""
    enterprise = applicant("tech_sme")
    lab, operator = login("ivan_lab"), login("olivia")
    booking = booked(enterprise, lab, service_of(lab, operator))
    url = reverse("catalog:booking", args=[booking])
    step = next_step(page("zhongshan").get(url).content.decode())
    assert 'id="voucher-prerequisite"' in step and "本年度方案如要求" not in step
    assert "提交年度资格申请（《企业申领创新券信息表》），通过后获得额度" in step and "研发项目" not in step
    claim = ok(enterprise.post("/api/claims/", filled("tech_sme"), format="multipart"), 201)
    step = next_step(page("zhongshan").get(url).content.decode())
    assert "上传签字盖章的《企业申领创新券信息表》" in step
    assert enterprise.get(f"/api/claims/{claim['id']}/form/").status_code == 200
    ok(enterprise.post(f"/api/claims/{claim['id']}/stamped-form/", stamped(), format="multipart"))  # 科小: granted
    assert "voucher-prerequisite" not in next_step(page("zhongshan").get(url).content.decode())
