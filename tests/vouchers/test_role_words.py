"""Each province's words for roles, and the small page fixes of issue #12 (walk findings 8, 13, 14):

- the centre's and the bureau's names come from the province profile through one function
  (``accounts.actors.role_name``): histories, the home header, review levels and statuses;
- the batch refusal names no province's body;
- the contract list's status filter offers only the statuses of the year's chain;
- the application form's 联系人 is the contact person, the phone and e-mail beside it;
- the centre's budget form offers the counties that top up, or only the province's budget.

The migration that fills ``centre_title`` of existing profiles is tested in
``tests/accounts/test_province_words.py``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import province
from accounts.actors import kind_name, role_name
from tests import factories
from tests.vouchers.test_pages import as_user, page
from tests.vouchers.test_settlement_pages import batch_on_notice, end_notice
from vouchers import ledger
from vouchers.contracts import services
from vouchers.models import Budget, Policy, Reviewer
from vouchers.names import contract_status_label, contract_statuses, level_name
from vouchers.policies.presets import install_preset
from vouchers.policies.schemes import chain_text, parse_chain

pytestmark = pytest.mark.django_db
XINGQING = 640104


@pytest.mark.parametrize(
    ("adcode", "bureau", "centre"),
    [
        (640000, "推荐部门", "创业中心"),
        (410000, "市县科技主管部门", "省科技厅"),
        (320000, "科技主管部门", "省统筹中心"),
        (330000, "科技部门", "省科技厅"),
        (440000, "科技主管部门", "省科技厅"),  # any other province: its own 省/区/市科技厅
    ],
)
def test_each_province_names_its_bureau_and_centre_through_one_function(settings, adcode, bureau, centre):
    settings.PLATFORM_PROVINCE = adcode
    assert province.current().centre_title == centre
    assert (role_name("bureau"), role_name("centre")) == (bureau, centre)
    assert (kind_name("bureau"), kind_name("centre")) == (bureau, centre)
    assert (level_name(Reviewer.BUREAU), level_name(Reviewer.CENTRE)) == (bureau, centre)
    assert contract_status_label("at_centre") == f"待{centre}审定"
    assert chain_text(["bureau", "operator", "centre"]) == f"{bureau}→运营单位→{centre}"
    # The chain is read in the province's words and in the generic ones.
    assert parse_chain(f"{bureau}→{centre}") == parse_chain("推荐部门→创业中心") == ["bureau", "centre"]


def test_a_centre_name_holding_a_separator_is_read_whole(cecilia):
    province.profile_save(by=cecilia, data={"centre_title": "省科技厅、省财政厅"})
    assert parse_chain("推荐部门→省科技厅、省财政厅") == ["bureau", "centre"]
    assert chain_text(["operator", "centre"]) == "运营单位→省科技厅、省财政厅"


def test_jiangsu_home_header_and_history_use_the_provinces_words(
    settings, client, alice, bob, olivia, cecilia, ivan_lab
):
    factories.ningxia_policy()  # a three-level chain, so both names show in the history
    settings.PLATFORM_PROVINCE = 320000
    as_user(client, cecilia)
    home = page(client.get(reverse("home")))
    assert f"{cecilia.organisation.name} · 省统筹中心 ·" in home and "创业中心" not in home
    as_user(client, bob)
    home = page(client.get(reverse("home")))
    assert f"{bob.organisation.name} · 科技主管部门 ·" in home and "市县科技局" not in home

    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    services.contract_submit(contract=contract, by=alice)
    services.contract_review(contract=contract, by=bob, approve=True, note="同意")
    services.contract_review(contract=contract, by=olivia, approve=True, note="同意")
    as_user(client, alice)
    detail = page(client.get(reverse("vouchers:contract", args=[contract.pk])))
    assert "待省统筹中心审定" in detail and "创业中心" not in detail
    services.contract_review(contract=contract, by=cecilia, approve=True, note="同意")
    detail = page(client.get(reverse("vouchers:contract", args=[contract.pk])))
    assert f"{cecilia.organisation.name}（省统筹中心）" in detail and "创业中心" not in detail


def test_the_batch_refusal_names_no_provinces_body(settings, api_as, issued, alice, olivia, cecilia, ivan_lab):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    end_notice(batch)
    settings.PLATFORM_PROVINCE = 410000
    refused = api_as(ivan_lab).post(f"/api/batches/{batch.pk}/approve/")
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "您无权管理" in detail and "创业中心" not in detail and "科技局" not in detail
    batch.refresh_from_db()
    assert batch.status == "notice"


@pytest.mark.parametrize(
    ("preset", "offered", "absent"),
    [
        ("ningxia", ["at_bureau", "at_operator", "at_centre"], ["at_institution", "ordinary"]),
        ("henan", ["at_institution", "at_operator", "ordinary"], ["at_bureau", "at_centre"]),
        ("jiangsu", [], ["at_bureau", "at_institution", "at_operator", "at_centre", "ordinary"]),
    ],
)
def test_the_contract_filter_lists_only_the_statuses_of_the_years_chain(client, alice, preset, offered, absent):
    install_preset(key=preset, year=timezone.localdate().year)
    codes = [code for code, _ in contract_statuses(timezone.localdate().year)]
    assert codes[:1] == ["draft"] and {"returned", "approved"} <= set(codes)
    assert set(offered) <= set(codes) and not set(absent) & set(codes)
    as_user(client, alice)
    listing = page(client.get(reverse("vouchers:contracts")))
    for code in absent:
        assert f'<option value="{code}"' not in listing
    for code in offered:
        assert f'<option value="{code}"' in listing
    # A status the year's chain does not have filters nothing (and is not shown as chosen).
    for code in absent:
        assert (
            " selected"
            not in page(client.get(reverse("vouchers:contracts"), {"status": code}))
            .split('name="status"')[1]
            .split("</select>")[0]
        )


def test_the_application_form_names_the_contact_person_then_phone_and_email(settings, client, mallory):
    install_preset(key="jiangsu", year=timezone.localdate().year)
    settings.PLATFORM_PROVINCE = 320000
    user = factories.applicant_user(username="zhongshan", adcode=XINGQING, qualification="tech_sme")
    org = user.organisation
    org.contact_name, org.contact_phone, org.contact_email = "钟小山", "025-12345678", "zs@example.com"
    org.save()
    as_user(client, user)
    html = page(client.get(reverse("vouchers:wallet")))
    record = html.split('class="facts org-record"')[1].split("</dl>")[0]
    assert "<dt>联系人</dt><dd>钟小山</dd>" in record
    assert "<dt>联系电话/邮箱</dt><dd>025-12345678 · zs@example.com</dd>" in record
    # Without a person on record the line says so, never a phone number in the person's place.
    org.contact_name = ""
    org.save()
    record = page(client.get(reverse("vouchers:wallet"))).split('class="facts org-record"')[1]
    assert "<dt>联系人</dt><dd>未填写</dd>" in record
    # Another enterprise never sees this contact.
    as_user(client, mallory)
    assert "钟小山" not in page(client.get(reverse("vouchers:wallet")))


def budget_choices(client, year) -> str:
    html = page(client.get(reverse("vouchers:budget"), {"year": year}))
    return html.split('name="region"')[1].split("</select>")[0]


def test_the_budget_form_offers_only_the_counties_that_top_up(client, cecilia, bob, mallory):
    year = timezone.localdate().year
    install_preset(key="jiangsu", year=year)
    as_user(client, cecilia)
    choices = budget_choices(client, year)
    assert "省级预算" in choices or "自治区预算" in choices
    assert "兴庆区" not in choices and "玄武区" not in choices
    # A county budget is refused where the county does not top up: a form error, nothing set.
    refused = client.post(reverse("vouchers:budget"), {"year": year, "amount": "5000", "region": str(XINGQING)})
    assert refused.status_code == 200 and "errorlist" in page(refused)
    assert not Budget.objects.filter(year=year, region_id=XINGQING).exists()

    # Once 兴庆区 tops up, it (and only it) is offered, and its budget can be set.
    Policy.objects.create(name="兴庆区配套", year=year, region_id=XINGQING, county_topup_rate=Decimal("0.10"))
    choices = budget_choices(client, year)
    assert "兴庆区" in choices and "金凤区" not in choices
    ok = client.post(reverse("vouchers:budget"), {"year": year, "amount": "5000", "region": str(XINGQING)})
    assert ok.status_code == 302 and Budget.objects.filter(year=year, region_id=XINGQING).exists()

    # Outsiders: an enterprise has no budget page, and a bureau of a province-paid scheme sets none.
    as_user(client, mallory)
    assert client.get(reverse("vouchers:budget")).status_code == 403
    as_user(client, bob)
    before = ledger.budget_balance(year, None)
    refused = client.post(reverse("vouchers:budget"), {"year": year, "amount": "1", "region": ""})
    assert refused.status_code == 403 and ledger.budget_balance(year, None) == before
    assert "由创业中心下达" in page(client.get(reverse("vouchers:budget"), {"year": year}))  # Ningxia's word


def test_zhejiang_centre_is_offered_every_countys_local_budget(client, cecilia):
    year = timezone.localdate().year
    install_preset(key="zhejiang", year=year)
    as_user(client, cecilia)
    choices = budget_choices(client, year)
    assert "兴庆区" in choices and "金凤区" in choices
