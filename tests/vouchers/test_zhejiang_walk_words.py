"""Walk 5's findings 3–5, each province in its own words:

- Zhejiang's users know only the 创新券使用登记: the menu entry of the enterprise, the provider
  and the county bureau, the list it opens, the record's page and its PDF say 使用登记 (the
  text of the contract it records keeps 合同); Jiangsu's order and Ningxia's contract stay;
- the bank-account page's example bank names the deployment's province, not Ningxia's capital,
  and the centre's platform settings give the deployment's own wording as examples;
- the claims queue states only the year's scheme's claim rule.

Every page is read through the test client; outsiders are refused."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from accounts.navigation import menu_for
from tests import factories
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import XINGQING, publish, service_of
from vouchers.contracts.documents import render_contract_pdf
from vouchers.models import Contract
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db


def labels(user) -> set[str]:
    return {label for label, _ in menu_for(user)}


def page(user, url: str, status: int = 200) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# --- 3. Zhejiang's record is the 创新券使用登记 ------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "record", "not_record"),
    [
        ("zhejiang", "创新券使用登记", {"创新券合同", "创新券订单"}),
        ("jiangsu", "创新券订单", {"创新券合同", "创新券使用登记"}),
        ("ningxia", "创新券合同", {"创新券订单", "创新券使用登记"}),
    ],
)
def test_the_record_entry_of_the_three_roles_is_named_in_the_schemes_word(alice, ivan, bob, preset, record, not_record):
    install_preset(key=preset, year=timezone.localdate().year)
    for user in (alice, ivan, bob):
        assert record in labels(user) and not not_record & labels(user), (user.username, labels(user))


@pytest.fixture
def registered(ningxia, clock, bob, cecilia, olivia, ivan_lab, mallory):
    """A Zhejiang enterprise's use registered through the API (the voucher at once)."""
    factories.applicant_user(username="qianjiang", adcode=XINGQING)
    assert publish(login("cecilia"), "zhejiang")["use_registration"] is True
    enterprise, lab = login("qianjiang"), login("ivan_lab")
    ok(enterprise.post("/api/claims/", {"amount": "50000"}, format="json"), 201)
    form = factories.use_registration_form(ivan_lab.organisation.institution.pk, service_of(lab, login("olivia")))
    use = ok(enterprise.post("/api/use-registrations/", form, format="multipart"), 201)
    return Contract.objects.get(pk=use["contract"])


def test_zhejiangs_list_page_and_pdf_say_use_registration(registered, bob, ivan_lab, mallory):
    contract = registered
    enterprise = User.objects.get(username="qianjiang")

    listing = page(enterprise, "/vouchers/contracts/")
    assert "<h1>创新券使用登记</h1>" in listing and ">创新券使用登记</a>" in listing  # heading, menu
    assert "<th>使用登记编号</th>" in listing and "合同金额（元）" in listing and contract.number in listing
    assert f'href="{reverse("vouchers:use_registration")}">登记一次使用</a>' in listing  # leads to the form
    assert "创新券服务合同" not in listing and "创新券合同" not in listing

    for user in (ivan_lab, bob):  # the provider and the county bureau see the same record
        listing = page(user, "/vouchers/contracts/")
        assert "<h1>创新券使用登记</h1>" in listing and contract.number in listing
        assert "创新券服务合同" not in listing and "创新券合同" not in listing and "登记一次使用" not in listing
    assert "无需审核" in page(bob, "/vouchers/contracts/") and "使用登记审核" not in page(bob, "/vouchers/contracts/")

    detail = page(enterprise, f"/vouchers/contracts/{contract.pk}/")
    assert f"<title>使用登记 {contract.number}" in detail and "<h1>创新券使用登记 " in detail
    assert "下载使用登记 PDF" in detail and "使用登记编号" in detail
    # The agreement it records is the enterprise's contract: its own text says 合同.
    assert "签订本合同" in detail and "第四条　合同金额" in detail and "可使用创新券" in detail
    assert "科技创新券服务合同" not in detail and "本使用登记" not in detail and "使用登记金额" not in detail

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_contract_pdf(contract))).pages)
    text = text.replace(" ", "")
    assert "科技创新券使用登记" in text and "使用登记编号" in text and "自愿使用" in text
    assert "合同金额" in text and "所登记的科技服务" in text  # the terms of the contract it records
    assert "科技创新券服务合同" not in text and "使用登记金额" not in text

    # An outsider (another enterprise) reads neither the record nor its PDF.
    page(mallory, f"/vouchers/contracts/{contract.pk}/", status=404)
    assert contract.number not in page(mallory, "/vouchers/contracts/")


# --- 4. The bank's example and the platform settings' examples are the deployment's ----------------


@pytest.mark.parametrize(("adcode", "bank"), [(330000, "浙江"), (320000, "江苏"), (410000, "河南"), (640000, "宁夏")])
def test_the_bank_example_names_the_deployments_province(settings, alice, ivan, adcode, bank):
    settings.PLATFORM_PROVINCE = adcode
    for user in (alice, ivan):
        body = page(user, reverse("accounts:bank_account"))
        assert f"如：中国工商银行{bank}分行营业部" in body and "如：中国工商银行银川" not in body


def test_only_payees_set_a_bank_account(bob, olivia, cecilia):
    for outsider in (bob, olivia, cecilia):
        page(outsider, reverse("accounts:bank_account"), status=403)


def test_the_platform_settings_examples_are_the_deployments_own(settings, cecilia, bob):
    settings.PLATFORM_PROVINCE = 330000
    body = page(cecilia, reverse("accounts:province"))
    assert "如：浙江省" in body and "如：浙江；用于“浙江全省”“浙江境内”" in body and "如：[浙江科技创新券]" in body
    assert "宁夏" not in body and "如：河南省科学技术厅" not in body
    page(bob, reverse("accounts:province"), status=403)


# --- 5. The claims queue states the scheme's own claim rule ---------------------------------------

RULES = {
    "jiangsu": "科技型中小企业的年度资格申请即时通过，其余由申请单位所在地科技局审核。",
    "henan": "固定额度领取即时生效",
    "zhejiang": "额度内自主申领即时生效",
    "ningxia": "本年度方案无需申领额度",
}


@pytest.mark.parametrize("preset", list(RULES))
def test_the_claims_queue_states_only_the_schemes_rule(bob, olivia, cecilia, preset):
    install_preset(key=preset, year=timezone.localdate().year)
    for reviewer in (bob, olivia, cecilia):
        body = page(reviewer, reverse("vouchers:claims"))
        assert RULES[preset] in body
        for other, rule in RULES.items():
            assert other == preset or rule not in body, (preset, other)
        assert "固定额度领取和额度内自主申领" not in body


def test_the_claims_queue_refuses_applicants_and_institutions(alice, ivan):
    install_preset(key="jiangsu", year=timezone.localdate().year)
    for outsider in (alice, ivan):
        page(outsider, reverse("vouchers:claims"), status=403)
